import type { Genotype } from '../../space/search-space.ts';
import { GenotypeHistory, neighbours, mutateOneDecision } from '../genotype-history.ts';
import type { Strategy, StrategyContext, Trial, SucceededTrial } from '../strategy.ts';
import { intOption } from '../strategy-options.ts';
import { nonDominatedSort } from '../../pareto/non-dominated-sort.ts';
import { HammingGp } from './hamming-gp.ts';
import { expectedImprovement } from './normal-distribution.ts';
import { augmentedTchebycheff, randomParegoWeights } from './parego.ts';
import { FirstResults } from '../first-results.ts';

type Observation = SucceededTrial;

/**
 * The `bo` strategy: Bayesian optimisation with a Gaussian process on one-hot genotypes
 * ({@link HammingGp}) and expected improvement ({@link expectedImprovement}).
 *
 * - The first `initial` proposals (default 10) are random.
 * - Targets: each objective is scaled to [0, 1] by the min and max observed among feasible results;
 *   one objective is used as is (scaled); several are scalarised by ParEGO (Knowles 2006) with a
 *   fresh random weight vector for every proposal ({@link augmentedTchebycheff}, ρ = 0.05).
 *   An infeasible result gets the penalty target 1.05 + 1 + violation / (largest violation), above
 *   every feasible one. Failed evaluations are left out.
 * - Training set: at most `maxTrain` points (default 100): the best half by constrained
 *   non-domination rank plus the most recent, so each fit costs O(maxTrain³).
 * - Hyperparameters (θ, σn²) by marginal likelihood over a grid (θ ∈ L·{1/8, 1/4, 1/2, 1, 2},
 *   σn² ∈ {10⁻⁴, 10⁻², 10⁻¹}, L = number of decisions), re-chosen on every `refitEvery`-th GP fit
 *   (default 10; one fit per `ask`); in between the GP is refactored with the last values.
 * - Acquisition maximised over `candidates` (default 500) random unseen genotypes plus every unseen
 *   one-decision neighbour and 4 two-decision mutants of each of the 10 best training points.
 * - A batch of n proposals shares one GP factorisation and candidate pool: with one objective it takes
 *   the n best distinct candidates; with several, each proposal draws its own ParEGO weights, which
 *   changes only the targets (α and the means), not the posterior variances.
 * Nothing is proposed twice; when no unseen candidate is found, a random new genotype is proposed.
 */
export function createBoStrategy(ctx: StrategyContext): Strategy {
  const history = new GenotypeHistory(ctx.decisions, ctx.rng);
  const L = ctx.decisions.length;
  const initial = intOption(ctx, 'initial', 10, 1, 1e6);
  const maxTrain = intOption(ctx, 'maxTrain', 100, 2, 5000);
  const nCandidates = intOption(ctx, 'candidates', 500, 1, 1e6);
  const refitEvery = intOption(ctx, 'refitEvery', 10, 1, 1e6);
  const grid = { thetas: [L / 8, L / 4, L / 2, L, 2 * L], noises: [1e-4, 1e-2, 1e-1] };
  const gp = new HammingGp(L);
  const observations: Observation[] = [];
  const told = new FirstResults();
  let proposals = 0;
  let fits = 0;

  /** Scalar targets of all observations for the given weights (undefined = single objective). */
  const targets = (lambda: readonly number[] | undefined): number[] => {
    const m = ctx.objectiveCount;
    const feasible = observations.filter((o) => o.violation <= 0);
    const ref = feasible.length > 0 ? feasible : observations;
    const lo = new Array<number>(m).fill(Infinity);
    const hi = new Array<number>(m).fill(-Infinity);
    for (const o of ref) {
      for (let j = 0; j < m; j++) {
        lo[j] = Math.min(lo[j]!, o.values[j]!);
        hi[j] = Math.max(hi[j]!, o.values[j]!);
      }
    }
    let maxViolation = 0;
    for (const o of observations) maxViolation = Math.max(maxViolation, o.violation);
    return observations.map((o) => {
      const f = o.values.map((v, j) => (hi[j]! > lo[j]! ? (v - lo[j]!) / (hi[j]! - lo[j]!) : 0));
      const s = lambda === undefined ? f[0]! : augmentedTchebycheff(f, lambda);
      return o.violation > 0 ? 2.05 + o.violation / maxViolation : s;
    });
  };

  /**
   * Training set, independent of the ParEGO weights: everything while it fits in `maxTrain`; else
   * the best half by constrained non-domination rank (most recent first within a front) plus the most
   * recent. Returned best first, so its head seeds the neighbourhood candidates.
   */
  const trainingSet = (): number[] => {
    const fronts = nonDominatedSort(observations.map((o) => o.values), observations.map((o) => o.violation));
    const byRank = fronts.flatMap((f) => f.slice().sort((a, b) => b - a));
    if (observations.length <= maxTrain) return byRank;
    const keep = new Set(byRank.slice(0, Math.floor(maxTrain / 2)));
    for (let i = observations.length - 1; i >= 0 && keep.size < maxTrain; i--) keep.add(i);
    return byRank.filter((i) => keep.has(i));
  };

  const candidatePool = (seeds: readonly Genotype[]): number[][] => {
    const pool = new Map<string, number[]>();
    const offer = (g: number[]) => {
      const k = g.join(',');
      if (!history.has(g) && !pool.has(k)) pool.set(k, g);
    };
    for (const g of seeds.slice(0, 10)) {
      for (const nb of neighbours(g, ctx.decisions)) offer(nb);
      for (let t = 0; t < 4; t++) offer(mutateOneDecision(mutateOneDecision(g, ctx.decisions, ctx.rng), ctx.decisions, ctx.rng));
    }
    const target = pool.size + nCandidates;
    for (let t = 0; t < 4 * nCandidates && pool.size < target; t++) offer(history.random());
    return [...pool.values()];
  };

  /**
   * n proposals from one GP factorisation: the inputs, the hyperparameters (chosen on the first
   * proposal's targets when a refit is due) and so the posterior variances are shared; with several
   * objectives each proposal draws new ParEGO weights, which only changes the targets and α.
   */
  const propose = (n: number): number[][] => {
    const out: number[][] = [];
    const multi = ctx.objectiveCount > 1;
    const idx = trainingSet();
    const train = idx.map((i) => observations[i]!.genotype);
    const ysFor = (lambda: readonly number[] | undefined) => {
      const all = targets(lambda);
      return idx.map((i) => all[i]!);
    };
    gp.fit(train, ysFor(multi ? randomParegoWeights(ctx.objectiveCount, ctx.rng) : undefined), fits % refitEvery === 0 ? grid : undefined);
    fits++;
    const pool = candidatePool(train);
    const prep = gp.prepare(pool);
    const used = new Uint8Array(pool.length);
    while (out.length < n) {
      if (multi && out.length > 0) gp.setTargets(ysFor(randomParegoWeights(ctx.objectiveCount, ctx.rng)));
      const means = gp.meansStandardized(prep.cross);
      const best = gp.bestStandardized;
      const order = pool.map((_, c) => c).filter((c) => !used[c]);
      const ei = new Float64Array(pool.length);
      for (const c of order) ei[c] = expectedImprovement(means[c]!, prep.sd[c]!, best);
      order.sort((a, b) => ei[b]! - ei[a]! || a - b);
      const want = multi ? 1 : n - out.length;
      let got = 0;
      for (const c of order) {
        if (got >= want) break;
        used[c] = 1;
        if (history.claim(pool[c]!)) {
          out.push(pool[c]!);
          got++;
        }
      }
      if (got === 0) {
        const g = history.sampleNew();
        if (g === null) break;
        out.push(g);
      }
    }
    return out;
  };

  return {
    id: 'bo',
    ask(n) {
      const out: number[][] = [];
      while (out.length < n && (proposals + out.length < initial || observations.length < 2)) {
        const g = history.sampleNew();
        if (g === null) break;
        out.push(g);
      }
      if (out.length < n && !history.exhausted && observations.length >= 2 && proposals + out.length >= initial) out.push(...propose(n - out.length));
      proposals += out.length;
      return out;
    },
    tell(trials: readonly Trial[]) {
      for (const t of trials) {
        if (!told.accept(t)) continue;
        observations.push({ genotype: t.genotype, values: t.values, violation: t.violation });
      }
    },
  };
}
