import { hypervolume } from '../../pareto/hypervolume.ts';
import { igdPlus } from '../../pareto/igd-plus.ts';
import { nonDominatedSort } from '../../pareto/non-dominated-sort.ts';
import { Nsga2 } from '../nsga2/nsga2.ts';
import type { SurvivalPruning } from '../nsga2/survival.ts';
import { realOperators } from '../nsga2/real-operators.ts';
import { Rng } from '../../util/rng.ts';
import type { MooProblem } from './moo-problem.ts';

/** Strategies that run on continuous problems. */
export const MOO_STRATEGIES = ['nsga2', 'random'] as const;
export type MooStrategyId = (typeof MOO_STRATEGIES)[number];

export interface RunMooOptions {
  readonly problem: MooProblem;
  /** `nsga2` (real-coded: SBX η = 15, polynomial mutation η = 20, p_m = 1/n, p_c = 0.9) or `random`. @defaultValue 'nsga2' */
  readonly strategy?: MooStrategyId;
  /** Population size N. @defaultValue 100 */
  readonly pop?: number;
  /**
   * Generations, counting the random initial population as the first: the run makes
   * `pop × generations` evaluations. `random` spends the same number of evaluations.
   * @defaultValue 250
   */
  readonly generations?: number;
  /** @defaultValue 0 */
  readonly seed?: number;
  /** NSGA-II survival pruning of the last front. @defaultValue `defaultPruning(M)` (survival.ts): `nearest-neighbour` for 2+ objectives */
  readonly pruning?: SurvivalPruning;
  /**
   * Which points form the reported front: the non-dominated members of the final `population`, or
   * the non-dominated set of every point evaluated during the run (`archive`).
   * @defaultValue 'population'
   */
  readonly frontOf?: 'population' | 'archive';
}

export interface RunMooResult {
  /** Hypervolume of `front` w.r.t. the problem's reference point (1.1 in every objective). */
  readonly hypervolume: number;
  /** `hypervolume` / the analytic Pareto front's hypervolume for the same reference point. */
  readonly hypervolumeRatio: number;
  /** IGD+ of `front` against the problem's dense analytic reference front. */
  readonly igdPlus: number;
  /** Non-dominated objective vectors (see `frontOf`; `random` always reports its archive). */
  readonly front: number[][];
  /** Where `front` came from. */
  readonly frontOf: 'population' | 'archive';
  readonly evaluations: number;
}

/** Run a strategy on a continuous benchmark problem and score its final front. */
export function runMoo(o: RunMooOptions): RunMooResult {
  const pop = o.pop ?? 100;
  const generations = o.generations ?? 250;
  const strategy = o.strategy ?? 'nsga2';
  const frontOf = strategy === 'random' ? 'archive' : (o.frontOf ?? 'population');
  if (!Number.isInteger(pop) || pop < 2) throw new Error(`runMoo: pop must be an integer ≥ 2, got ${pop}`);
  if (!Number.isInteger(generations) || generations < 1) throw new Error(`runMoo: generations must be a positive integer, got ${generations}`);
  const p = o.problem;
  const rng = new Rng(o.seed ?? 0);
  const ops = realOperators({ lower: p.lower, upper: p.upper }, rng);
  let points: number[][];
  let evaluations = 0;
  if (strategy === 'nsga2') {
    const all: number[][] = [];
    const ga = new Nsga2<number[]>(ops, rng, { population: pop, crossoverProb: 0.9, ...(o.pruning !== undefined && { pruning: o.pruning }) });
    for (let gen = 0; gen < generations; gen++) {
      const xs = ga.ask(pop);
      evaluations += xs.length;
      const trials = xs.map((x) => ({ genotype: x, values: p.evaluate(x), violation: 0 }));
      if (frontOf === 'archive') for (const t of trials) all.push(t.values);
      ga.tell(trials);
    }
    points = frontOf === 'archive' ? all : ga.population().map((m) => m.values.slice());
  } else {
    points = [];
    for (let i = 0; i < pop * generations; i++) {
      const x = ops.sampleNew();
      if (x === null) break;
      points.push(p.evaluate(x));
      evaluations++;
    }
  }
  const front = (nonDominatedSort(points)[0] ?? []).map((i) => points[i]!);
  const hv = hypervolume(front, p.hypervolumeReference);
  return { hypervolume: hv, hypervolumeRatio: hv / p.frontHypervolume, igdPlus: igdPlus(front, p.referenceFront()), front, frontOf, evaluations };
}
