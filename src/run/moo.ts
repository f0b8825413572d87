import { hypervolume } from '../pareto/hypervolume.ts';
import { igdPlus } from '../pareto/igd-plus.ts';
import { nonDominatedSort } from '../pareto/non-dominated-sort.ts';
import { Nsga2 } from '../search/nsga2/nsga2.ts';
import type { SurvivalPruning } from '../search/nsga2/survival.ts';
import { realOperators } from '../search/nsga2/real-operators.ts';
import type { MooProblem } from '../search/problems/moo-problem.ts';
import type { Strategy } from '../search/strategy.ts';
import { Rng } from '../util/rng.ts';
import { MemoryStore, runTrialLoop } from './trial-loop.ts';

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

/**
 * Run a strategy on a continuous benchmark problem through the trial loop (ask → evaluate → tell,
 * records in memory; a batch is one generation) and score its final front.
 */
export async function runMoo(o: RunMooOptions): Promise<RunMooResult> {
  const pop = o.pop ?? 100;
  const generations = o.generations ?? 250;
  const strategyId = o.strategy ?? 'nsga2';
  const frontOf = strategyId === 'random' ? 'archive' : (o.frontOf ?? 'population');
  if (!Number.isInteger(pop) || pop < 2) throw new Error(`runMoo: pop must be an integer ≥ 2, got ${pop}`);
  if (!Number.isInteger(generations) || generations < 1) throw new Error(`runMoo: generations must be a positive integer, got ${generations}`);
  const p = o.problem;
  const rng = new Rng(o.seed ?? 0);
  const ops = realOperators({ lower: p.lower, upper: p.upper }, rng);
  let strategy: Strategy;
  let ga: Nsga2<number[]> | undefined;
  if (strategyId === 'nsga2') {
    const engine = new Nsga2<number[]>(ops, rng, { population: pop, crossoverProb: 0.9, ...(o.pruning !== undefined && { pruning: o.pruning }) });
    ga = engine;
    strategy = { id: 'nsga2', ask: (n) => engine.ask(n), tell: (t) => engine.tell(t as never) };
  } else {
    strategy = {
      id: 'random',
      ask: (n) => {
        const out: number[][] = [];
        while (out.length < n) {
          const x = ops.sampleNew();
          if (x === null) break;
          out.push(x);
        }
        return out;
      },
      tell: () => {},
    };
  }
  const objectives = Array.from({ length: p.objectiveCount }, (_, j) => ({ metric: `f${j + 1}`, direction: 'min' as const }));
  const loop = await runTrialLoop({
    strategy,
    key: (x) => x.join(','),
    evaluate: (batch) => batch.map((c) => {
      const f = p.evaluate(c.genotype);
      return Promise.resolve({ outcome: { status: 'ok' as const, metrics: Object.fromEntries(f.map((v, j) => [`f${j + 1}`, v])) }, evalMs: 0 });
    }),
    budget: pop * generations,
    batchSize: pop,
    objectives,
    constraints: [],
    store: new MemoryStore(),
  });
  const all = loop.records.flatMap((r) => (r.outcome.status === 'ok' ? [objectives.map((x) => (r.outcome as { metrics: Record<string, number> }).metrics[x.metric]!)] : []));
  const points = frontOf === 'archive' || !ga ? all : ga.population().map((m) => m.values.slice());
  const front = (nonDominatedSort(points)[0] ?? []).map((i) => points[i]!);
  const hv = hypervolume(front, p.hypervolumeReference);
  return { hypervolume: hv, hypervolumeRatio: hv / p.frontHypervolume, igdPlus: igdPlus(front, p.referenceFront()), front, frontOf, evaluations: loop.records.length };
}
