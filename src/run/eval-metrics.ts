import type { Genotype, SearchSpace } from '../space/search-space.ts';

/** A per-architecture metric beyond the evaluator's own (zero-cost proxies...), for `hwnas eval`. */
export interface EvalMetric {
  readonly id: string;
  readonly summary: string;
  compute(space: SearchSpace, g: Genotype): Promise<number>;
}

const extra = new Map<string, EvalMetric>();

/** Register an extra metric by id (e.g. `synflow`). */
export function registerEvalMetric(m: EvalMetric): void {
  extra.set(m.id, m);
}

/** Ids of registered extra metrics. */
export function extraEvalMetricIds(): string[] {
  return [...extra.keys()].sort();
}

/** Compute a registered extra metric. */
export function extraEvalMetric(id: string, space: SearchSpace, g: Genotype): Promise<number> {
  const m = extra.get(id);
  if (!m) throw new Error(`unknown metric ${id}`);
  return m.compute(space, g);
}

// Zero-cost proxies (synflow, naswot, grad_norm, snip) are eval metrics; params/flops are base columns.
import { zeroCostMetric, zeroCostMetricIds, zeroCostMetricSummary } from '../accuracy/zero-cost/zero-cost-metric.ts';
for (const id of zeroCostMetricIds()) {
  if (id === 'params' || id === 'flops') continue;
  registerEvalMetric({ id, summary: zeroCostMetricSummary(id) ?? id, compute: (space, g) => zeroCostMetric(id, space, g) });
}
