import type { SearchSpace, Genotype } from '../space/search-space.ts';
import type { Strategy, Trial } from '../search/strategy.ts';
import type { Evaluator } from './evaluator.ts';
import type { Journal, JournalEntry } from '../record/journal.ts';
import { constraintViolation, objectiveValues, type Constraint, type Objective } from '../record/metric-registry.ts';

export interface SearchLoopOptions {
  space: SearchSpace;
  strategy: Strategy;
  evaluator: Evaluator;
  journal: Journal;
  /** Number of distinct architectures to evaluate. */
  budget: number;
  objectives: readonly Objective[];
  constraints: readonly Constraint[];
  /** Architectures asked per round. @defaultValue 10 */
  batchSize?: number;
  /** Called after every evaluation. */
  onEvaluated?: (record: JournalEntry, done: number) => void;
}

export interface SearchLoopResult {
  /** Every distinct evaluation, in evaluation order. */
  records: JournalEntry[];
  /** Evaluations taken from the journal of an earlier run (`--resume`). */
  resumed: number;
  /** True when the strategy stopped asking before the budget (space exhausted). */
  exhausted: boolean;
}

/**
 * The search loop (pymoo's `minimize(problem, algorithm, termination)` shape): ask the strategy, evaluate
 * each new architecture, journal it, then tell the strategy. A repeated architecture is not evaluated
 * twice: its earlier outcome is told again and it does not count against the budget.
 */
export async function runSearchLoop(o: SearchLoopOptions): Promise<SearchLoopResult> {
  const batch = o.batchSize ?? 10;
  const seen = new Map<string, JournalEntry>();
  const records: JournalEntry[] = [];
  let resumed = 0;
  let asks = 0;
  let exhausted = false;
  while (records.length < o.budget) {
    const want = Math.min(batch, o.budget - records.length);
    const asked = o.strategy.ask(want);
    asks += asked.length;
    if (asked.length === 0 || asks > 20 * o.budget + 100) {
      exhausted = true;
      break;
    }
    const trials: Trial[] = [];
    for (const g of asked) {
      const arch = o.space.encode(g);
      let rec = seen.get(arch);
      if (!rec) {
        if (records.length >= o.budget) break;
        const prior = o.journal.lookup(arch);
        if (prior) {
          rec = { ...prior, n: records.length + 1 };
          resumed++;
        } else {
          const t0 = performance.now();
          const outcome = await o.evaluator.evaluate(g);
          rec = { n: records.length + 1, arch, genotype: [...g], outcome, evalMs: Math.round(performance.now() - t0) };
          o.journal.append(rec);
        }
        seen.set(arch, rec);
        records.push(rec);
        o.onEvaluated?.(rec, records.length);
      }
      trials.push(toTrial(g, rec, o.objectives, o.constraints));
    }
    o.strategy.tell(trials);
  }
  return { records, resumed, exhausted };
}

/** What the strategy sees of an evaluation: minimisation values, or null when it failed. */
export function toTrial(g: Genotype, rec: JournalEntry, objectives: readonly Objective[], constraints: readonly Constraint[]): Trial {
  if (rec.outcome.status !== 'ok') return { genotype: g, values: null, violation: 0 };
  try {
    return {
      genotype: g,
      values: objectiveValues(objectives, rec.outcome.metrics),
      violation: constraintViolation(constraints, rec.outcome.metrics),
    };
  } catch {
    return { genotype: g, values: null, violation: 0 };
  }
}
