import type { Genotype } from '../../space/search-space.ts';
import { GenotypeHistory, neighbours, mutateOneDecision } from '../genotype-history.ts';
import type { Strategy, StrategyContext, Trial, SucceededTrial } from '../strategy.ts';
import { choiceOption, intOption, numberOption } from '../strategy-options.ts';
import { InputError } from '../../errors.ts';
import { nonDominatedSort } from '../../pareto/non-dominated-sort.ts';
import { HammingGp } from './hamming-gp.ts';
import { normalCdf } from '../../util/stats.ts';
import { expectedImprovement, normalQuantile } from './normal-distribution.ts';
import { Ehvi2d } from './ehvi-2d.ts';
import { augmentedTchebycheff, randomParegoWeights } from './parego.ts';
import { FirstResults } from '../first-results.ts';

type Observation = SucceededTrial;

/**
 * The `bo` strategy: Bayesian optimisation with Gaussian processes on categorical genotypes
 * ({@link HammingGp}: RBF kernel on the one-hot encoding, i.e. exp(−Hamming distance / θ)).
 *
 * - The first `initial` proposals (default 10) are random.
 * - One or two objectives (`acquisition` `ei` / `ehvi`, the default): one GP per objective, each on
 *   the objective's Gaussian-copula warp Φ⁻¹((rank − ½)/n) over all results (`warp: copula`, the
 *   default; `none` models raw values): monotone, so dominance is kept, and outliers such as
 *   10 %-accuracy cells no longer flatten the model. Two objectives: exact
 *   expected hypervolume improvement ({@link Ehvi2d}; Emmerich et al. 2016) over the observed
 *   feasible front, reference point at its nadir + `refMargin` (default 2) × its range per objective
 *   in the GPs' units; a generous reference point keeps the front's ends worth extending, where the
 *   most accurate architectures lie. One objective: expected improvement ({@link expectedImprovement}).
 *   Constraints: the acquisition times the probability of feasibility under a GP on the violation.
 * - Three or more objectives (or `acquisition: parego`): one GP on ParEGO scalarisations (Knowles
 *   2006) with a fresh random weight vector for every proposal ({@link augmentedTchebycheff},
 *   ρ = 0.05), objectives scaled to [0, 1] by the observed feasible range; an infeasible result gets
 *   the penalty target 2.05 + violation / (largest violation); expected improvement.
 * - Training set: at most `maxTrain` points (default 200): the best half by constrained
 *   non-domination rank plus the most recent, so each fit costs O(maxTrain³). Failed evaluations are
 *   left out.
 * - Hyperparameters (θ, σn²) by marginal likelihood over a grid (θ ∈ L·{1/8, 1/4, 1/2, 1, 2, 4} with
 *   one or two objectives, L·{1/8, …, 2} with ParEGO; σn² ∈ {10⁻⁴, 10⁻², 10⁻¹}; L = number of
 *   decisions), re-chosen whenever the training set has grown by 20 % since the last choice and on
 *   every `refitEvery`-th fit (default 10; one fit per `ask`).
 * - Candidates: every unseen one-decision neighbour and 4 two-decision mutants of each point of the
 *   current front and of the `poolSeeds` best-ranked results (default max(10, results / 25): 12 after
 *   300 results, 40 after 1,000, as the front's own neighbourhood is used up), plus `candidates`
 *   random unseen genotypes (default 20). ParEGO: the 10 best training points and 500 random.
 * - A batch of n proposals shares one fit and candidate pool. EI / EHVI: picked greedily, each pick's
 *   predicted means joining the front (or becoming the incumbent) before the next ("Kriging
 *   believer"); ParEGO: each proposal draws its own weights.
 * Settings measured on the nb201 table problems (docs/strategy-comparison.md). Nothing is proposed
 * twice; when no unseen candidate is found, a random new genotype is proposed.
 */
export function createBoStrategy(ctx: StrategyContext): Strategy {
  const history = new GenotypeHistory(ctx.decisions, ctx.rng);
  const L = ctx.decisions.length;
  const initial = intOption(ctx, 'initial', 10, 1, 1e6);
  const maxTrain = intOption(ctx, 'maxTrain', 200, 2, 5000);
  const refitEvery = intOption(ctx, 'refitEvery', 10, 1, 1e6);
  const byModel = ctx.objectiveCount === 1 ? 'ei' : 'ehvi';
  const acquisition = choiceOption(ctx, 'acquisition', [byModel, 'parego'] as const, ctx.objectiveCount <= 2 ? byModel : 'parego');
  if (acquisition === 'ehvi' && ctx.objectiveCount !== 2) {
    throw new InputError('bad-flag', 'bad strategy option acquisition', { path: 'acquisition', expected: 'parego (ehvi needs exactly two objectives)', actual: JSON.stringify(acquisition) });
  }
  const nCandidates = intOption(ctx, 'candidates', acquisition === 'parego' ? 500 : 20, 0, 1e6);
  const refMargin = numberOption(ctx, 'refMargin', 2, 0, 1e6);
  const poolSeeds = ctx.options['poolSeeds'] === undefined ? undefined : intOption(ctx, 'poolSeeds', 10, 0, 1e6);
  const warp = choiceOption(ctx, 'warp', ['copula', 'none'] as const, 'copula');
  const grid = { thetas: [L / 8, L / 4, L / 2, L, 2 * L], noises: [1e-4, 1e-2, 1e-1] };
  const modelGrid = { thetas: [L / 8, L / 4, L / 2, L, 2 * L, 4 * L], noises: [1e-4, 1e-2, 1e-1] };
  const gp = new HammingGp(L);
  const gps = [new HammingGp(L), new HammingGp(L)];
  const violationGp = new HammingGp(L);
  const observations: Observation[] = [];
  const told = new FirstResults();
  let proposals = 0;
  let fits = 0;
  /** Training-set size at the last hyperparameter choice of the per-objective GPs. */
  let trainAtRefit = 0;

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

  const candidatePool = (seeds: readonly Genotype[], nSeeds = 10): number[][] => {
    const pool = new Map<string, number[]>();
    const offer = (g: number[]) => {
      const k = g.join(',');
      if (!history.has(g) && !pool.has(k)) pool.set(k, g);
    };
    for (const g of seeds.slice(0, nSeeds)) {
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

  /**
   * Objective `j` of every observation as the GP models it: the value itself, or (`warp: copula`)
   * its Gaussian copula Φ⁻¹((rank − ½)/n) among all observations (ties share their mean rank), a
   * monotone map that keeps dominance and tames outliers such as 10 %-accuracy cells.
   */
  const warped = (j: number): number[] => {
    const v = observations.map((o) => o.values[j]!);
    if (warp === 'none') return v;
    const order = v.map((_, i) => i).sort((a, b) => v[a]! - v[b]!);
    const out = new Array<number>(v.length);
    for (let s = 0; s < order.length; ) {
      let e = s;
      while (e + 1 < order.length && v[order[e + 1]!] === v[order[s]!]) e++;
      const u = ((s + e) / 2 + 0.5) / v.length;
      for (let k = s; k <= e; k++) out[order[k]!] = normalQuantile(u);
      s = e + 1;
    }
    return out;
  };

  /**
   * n proposals by a GP per objective on the (warped) values, each GP with its own hyperparameters.
   * Two objectives: expected hypervolume improvement ({@link Ehvi2d}) with the observed feasible
   * front and a reference point at its nadir + `refMargin` × its range per objective, all in the
   * GPs' standardised units (EHVI's ranking does not depend on a per-objective affine scale). One
   * objective: expected improvement over the best feasible value. With constraints the acquisition
   * is multiplied by the probability of feasibility P(v < ε) under a GP on the violation (ε = half
   * the smallest violation seen); with no feasible result yet, that probability alone is maximised.
   * A batch is chosen greedily: each pick's predicted means join the front, or become the incumbent
   * ("Kriging believer" on the front only), so the next pick aims elsewhere.
   */
  const proposeByModel = (n: number): number[][] => {
    const out: number[][] = [];
    const m = ctx.objectiveCount;
    const idx = trainingSet();
    const train = idx.map((i) => observations[i]!.genotype);
    const refit = fits % refitEvery === 0 || idx.length >= 1.2 * trainAtRefit;
    if (refit) trainAtRefit = idx.length;
    fits++;
    const ys = Array.from({ length: m }, (_, j) => warped(j));
    ys.forEach((y, j) => gps[j]!.fit(train, idx.map((i) => y[i]!), refit ? modelGrid : undefined));
    const std = (j: number, v: number) => (v - gps[j]!.targetMean) / gps[j]!.targetStd;
    const feasible = observations.map((_, i) => i).filter((i) => observations[i]!.violation <= 0);
    const frontIdx = feasible.length > 0 ? (nonDominatedSort(feasible.map((i) => observations[i]!.values))[0] ?? []).map((k) => feasible[k]!) : [];
    const front: number[][] = frontIdx.map((i) => ys.map((y, j) => std(j, y[i]!)));
    const ref = Array.from({ length: m }, (_, j) => {
      if (front.length === 0) return 0;
      let lo = Infinity;
      let hi = -Infinity;
      for (const p of front) {
        lo = Math.min(lo, p[j]!);
        hi = Math.max(hi, p[j]!);
      }
      return hi + (hi > lo ? refMargin * (hi - lo) : 1);
    });
    const constrained = observations.some((o) => o.violation > 0);
    let pof: Float64Array | null = null;
    // The neighbourhood widens as results accumulate: late in a run the front's neighbours are
    // mostly seen, and good cells off the front lead to the next front points.
    const width = poolSeeds ?? Math.max(10, Math.round(observations.length / 25));
    const seeds = frontIdx.map((i) => observations[i]!.genotype).concat(train.slice(0, width));
    const pool = candidatePool(seeds, seeds.length);
    const models = gps.slice(0, m);
    const preps = models.map((g) => g.prepare(pool));
    const means = models.map((g, j) => g.meansStandardized(preps[j]!.cross));
    if (constrained) {
      let minViolation = Infinity;
      for (const o of observations) if (o.violation > 0) minViolation = Math.min(minViolation, o.violation);
      violationGp.fit(train, idx.map((i) => observations[i]!.violation), refit ? modelGrid : undefined);
      const p = violationGp.prepare(pool);
      const m = violationGp.meansStandardized(p.cross);
      const eps = (minViolation / 2 - violationGp.targetMean) / violationGp.targetStd;
      pof = Float64Array.from(m, (mu, c) => normalCdf((eps - mu) / p.sd[c]!));
    }
    // Lazy greedy: adding a point to the front never raises a candidate's EHVI, so a score computed
    // against an older front is an upper bound; only the current leader is re-scored.
    const used = new Uint8Array(pool.length);
    const score = new Float64Array(pool.length);
    const scoredAt = new Int32Array(pool.length).fill(-1);
    let version = 0;
    // The incumbent (one objective) or the front's EHVI (two); null before any feasible result.
    let incumbent = front.length > 0 ? Math.min(...front.map((p) => p[0]!)) : NaN;
    const makeEhvi = () => (m === 2 && front.length > 0 ? new Ehvi2d(front, [ref[0]!, ref[1]!]) : null);
    let acq = makeEhvi();
    const rescore = (c: number): void => {
      const e = front.length === 0 ? 1
        : acq === null ? expectedImprovement(means[0]![c]!, preps[0]!.sd[c]!, incumbent)
        : acq.expected(means[0]![c]!, preps[0]!.sd[c]!, means[1]![c]!, preps[1]!.sd[c]!);
      score[c] = pof === null ? e : e * pof[c]!;
      scoredAt[c] = version;
    };
    for (let c = 0; c < pool.length; c++) rescore(c);
    while (out.length < n) {
      let best = -1;
      for (;;) {
        best = -1;
        for (let c = 0; c < pool.length; c++) if (!used[c] && (best < 0 || score[c]! > score[best]!)) best = c;
        if (best < 0 || scoredAt[best] === version) break;
        rescore(best);
      }
      if (best < 0) {
        const g = history.sampleNew();
        if (g === null) break;
        out.push(g);
        continue;
      }
      used[best] = 1;
      if (history.claim(pool[best]!)) {
        out.push(pool[best]!);
        if (pof === null || pof[best]! >= 0.5) {
          front.push(means.map((mu) => mu[best]!));
          incumbent = Math.min(incumbent, means[0]![best]!);
          acq = makeEhvi();
          version++;
        }
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
      if (out.length < n && !history.exhausted && observations.length >= 2 && proposals + out.length >= initial) {
        out.push(...(acquisition === 'parego' ? propose(n - out.length) : proposeByModel(n - out.length)));
      }
      proposals += out.length;
      return out;
    },
    tell(trials: readonly Trial[]) {
      for (const t of trials) {
        history.claim(t.genotype); // a result it did not ask for (a resumed journal) is not proposed again
        if (!told.accept(t)) continue;
        observations.push({ genotype: t.genotype, values: t.values, violation: t.violation });
      }
    },
  };
}
