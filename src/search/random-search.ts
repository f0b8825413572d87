import { GenotypeHistory } from './genotype-history.ts';
import type { Strategy, StrategyContext } from './strategy.ts';

/**
 * The `random` strategy: uniform sampling without replacement. No genotype is proposed twice until
 * the space is exhausted, after which `ask` returns fewer than asked (then none).
 */
export function createRandomStrategy(ctx: StrategyContext): Strategy {
  const history = new GenotypeHistory(ctx.decisions, ctx.rng);
  return {
    id: 'random',
    ask(n) {
      const out: number[][] = [];
      while (out.length < n) {
        const g = history.sampleNew();
        if (g === null) break;
        out.push(g);
      }
      return out;
    },
    tell(trials) {
      // Results it did not ask for (a resumed journal) are not proposed again.
      for (const t of trials) history.claim(t.genotype);
    },
  };
}
