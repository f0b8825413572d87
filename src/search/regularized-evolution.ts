import { crowdingDistance } from '../pareto/crowding-distance.ts';
import { frontRanks, nonDominatedSort } from '../pareto/non-dominated-sort.ts';
import { GenotypeHistory, mutateOneDecision } from './genotype-history.ts';
import type { Strategy, StrategyContext, Trial, SucceededTrial } from './strategy.ts';
import { intOption } from './strategy-options.ts';
import { FirstResults } from './first-results.ts';

type Individual = SucceededTrial;

/**
 * The `re` strategy: regularized (aging) evolution (Real, Aggarwal, Huang & Le 2019, AAAI, Alg. 1).
 * The first `population` (P) proposals are random. Then each proposal samples `sample` (S) members of
 * the population uniformly with replacement, takes the best of the sample as parent and changes one
 * of its decisions to another choice; when a child's result is told it joins the population and the
 * oldest member is removed.
 *
 * "Best" with several objectives (or constraints): the lowest non-domination rank under constrained
 * domination within the current population (Deb et al. 2002), ties broken by the larger crowding
 * distance within its front; with one objective this is simply the lowest value. Deviations from
 * Alg. 1, for a fixed evaluation budget: a child already proposed before is re-mutated (up to 20
 * times, then a random new genotype is proposed instead), and a failed evaluation does not join the
 * population. Proposals of one `ask` batch all come from the population as it is at that time.
 * Options: `population` P (default clamp(⌈budget/4⌉, 2, 50), or 50 without a budget), `sample` S
 * (default round(P/4), at least 2, at most P).
 */
export function createRegularizedEvolutionStrategy(ctx: StrategyContext): Strategy {
  const history = new GenotypeHistory(ctx.decisions, ctx.rng);
  const dfltP = ctx.budget === undefined ? 50 : Math.max(2, Math.min(50, Math.ceil(ctx.budget / 4)));
  const P = intOption(ctx, 'population', dfltP, 2, 1e6);
  const S = intOption(ctx, 'sample', Math.max(2, Math.min(P, Math.round(P / 4))), 1, P);
  const population: Individual[] = []; // oldest first
  const told = new FirstResults();
  let asked = 0;
  let rank: Int32Array | null = null;
  let crowd: Float64Array | null = null;

  const score = (): void => {
    const values = population.map((m) => m.values);
    const fronts = nonDominatedSort(values, population.map((m) => m.violation));
    rank = frontRanks(fronts, population.length);
    crowd = new Float64Array(population.length);
    for (const f of fronts) {
      const d = crowdingDistance(values, f);
      f.forEach((i, k) => (crowd![i] = d[k]!));
    }
  };
  const better = (a: number, b: number): boolean => rank![a]! < rank![b]! || (rank![a]! === rank![b]! && crowd![a]! > crowd![b]!);

  const child = (): number[] | null => {
    if (asked < P || population.length === 0) return history.sampleNew();
    if (rank === null) score();
    let best = ctx.rng.int(population.length);
    for (let s = 1; s < S; s++) {
      const c = ctx.rng.int(population.length);
      if (better(c, best)) best = c;
    }
    const parent = population[best]!.genotype;
    for (let t = 0; t < 20; t++) {
      const g = mutateOneDecision(parent, ctx.decisions, ctx.rng);
      if (history.claim(g)) return g;
    }
    return history.sampleNew();
  };

  return {
    id: 're',
    ask(n) {
      const out: number[][] = [];
      while (out.length < n) {
        const g = child();
        if (g === null) break;
        out.push(g);
        asked++;
      }
      return out;
    },
    tell(trials: readonly Trial[]) {
      for (const t of trials) {
        history.claim(t.genotype); // a result it did not ask for (a resumed journal) is not proposed again
        if (!told.accept(t)) continue;
        population.push({ genotype: t.genotype, values: t.values, violation: t.violation });
        if (population.length > P) population.shift();
        rank = null;
      }
    },
  };
}
