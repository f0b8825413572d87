import { InputError } from '../errors.ts';
import { genotypeAt, spaceSize } from '../space/search-space.ts';
import { genotypeKey, type Strategy, type StrategyContext } from './strategy.ts';

/** Largest space the `grid` strategy walks. */
export const MAX_GRID_SIZE = 10_000_000;

/**
 * The `grid` strategy: every architecture once, in mixed-radix index order (the first decision
 * most significant), skipping any that was told already (a resumed run's records). An exhaustive
 * enumeration for small spaces (`hwnas truth` uses it); no options, no randomness.
 */
export function createGridStrategy(ctx: StrategyContext): Strategy {
  const size = spaceSize({ decisions: ctx.decisions });
  if (size > MAX_GRID_SIZE) {
    throw new InputError('incompatible', `the grid strategy walks at most ${MAX_GRID_SIZE} architectures; this space has ${size.toExponential(2)}`, { path: '--strategy', expected: 'a smaller space, or a sampling strategy' });
  }
  let next = 0;
  const told = new Set<string>();
  return {
    id: 'grid',
    ask(n) {
      const out: number[][] = [];
      while (out.length < n && next < size) {
        const g = genotypeAt({ decisions: ctx.decisions }, next++);
        if (!told.has(genotypeKey(g))) out.push(g);
      }
      return out;
    },
    tell(trials) {
      for (const t of trials) told.add(genotypeKey(t.genotype));
    },
  };
}
