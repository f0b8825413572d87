import type { Point } from '../../pareto/dominance.ts';
import type { Genotype } from '../../space/search-space.ts';
import { Rng } from '../../util/rng.ts';
import { createStrategy } from '../strategy-registry.ts';
import { genotypeKey, type Trial } from '../strategy.ts';
import type { Nb201TableProblem } from './nb201-table-problem.ts';

/** One strategy run on a table problem. */
export interface TableSearchOptions {
  readonly problem: Nb201TableProblem;
  /** Registered strategy id. */
  readonly strategy: string;
  /** Seed of the strategy's `Rng`. */
  readonly seed: number;
  /** Distinct evaluations. */
  readonly budget: number;
  /** Evaluation counts at which the HV ratio is taken (the budget is always one). */
  readonly checkpoints?: readonly number[];
  /** Strategy options. @defaultValue {} */
  readonly options?: Readonly<Record<string, number | string | boolean>>;
  /** Genotypes asked per round, as the search loop does. @defaultValue 10 */
  readonly batch?: number;
}

export interface TableSearchResult {
  /** Evaluated genotypes in order. */
  readonly genotypes: Genotype[];
  /** HV ratio after each checkpoint (`Math.min(checkpoint, evaluations)` evaluations). */
  readonly hvRatio: { readonly evaluations: number; readonly hvRatio: number }[];
}

/**
 * The search loop on a table problem: ask a batch, look each genotype up, tell the batch; a repeated
 * genotype is told its earlier values again and does not count against the budget (as the search
 * loop and the Study do). Scored by {@link hvRatioCurve}. An unknown strategy or option throws.
 */
export async function runTableSearch(o: TableSearchOptions): Promise<TableSearchResult> {
  const s = await createStrategy(o.strategy, {
    decisions: o.problem.decisions,
    objectiveCount: 2,
    rng: new Rng(o.seed),
    budget: o.budget,
    objectives: [{ metric: 'accuracy', direction: 'max' }, { metric: 'latencyMs', direction: 'min' }],
    options: o.options ?? {},
  });
  const batch = o.batch ?? 10;
  const seen = new Set<string>();
  const genotypes: Genotype[] = [];
  let asks = 0;
  while (genotypes.length < o.budget) {
    const asked = s.ask(Math.min(batch, o.budget - genotypes.length));
    asks += asked.length;
    if (asked.length === 0 || asks > 20 * o.budget + 100) break;
    const trials: Trial[] = [];
    for (const g of asked) {
      const k = genotypeKey(g);
      if (!seen.has(k)) {
        if (genotypes.length >= o.budget) break;
        seen.add(k);
        genotypes.push(g);
      }
      trials.push({ genotype: g, values: o.problem.values(g), violation: 0 });
    }
    s.tell(trials);
  }
  return { genotypes, hvRatio: hvRatioCurve(o.problem, genotypes, [...(o.checkpoints ?? []), o.budget]) };
}

/**
 * HV ratio (front-range normalisation, see {@link Nb201TableProblem}) of the non-dominated set of the
 * first n evaluated genotypes, for each n in `checkpoints` (capped at the number evaluated).
 */
export function hvRatioCurve(problem: Nb201TableProblem, genotypes: readonly Genotype[], checkpoints: readonly number[]): { evaluations: number; hvRatio: number }[] {
  const counts = [...new Set(checkpoints.map((c) => Math.min(c, genotypes.length)))].sort((a, b) => a - b);
  const pts: Point[] = genotypes.map((g) => problem.values(g));
  return counts.map((n) => ({ evaluations: n, hvRatio: problem.hvRatio(pts.slice(0, n)) }));
}
