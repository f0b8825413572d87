import { zeroCostMetric, zeroCostProxies } from '../accuracy/zero-cost/zero-cost-metric.ts';
import type { Genotype, SearchSpace } from '../space/search-space.ts';
import { Registry } from '../util/registry.ts';

/** A per-architecture metric beyond the evaluator's own (zero-cost proxies...), for `hwnas eval`. */
export interface EvalMetric {
  readonly summary: string;
  compute(space: SearchSpace, g: Genotype): Promise<number>;
}

/**
 * Extra `hwnas eval --metrics` columns by id: the zero-cost proxies (synflow, naswot, grad_norm,
 * snip; params and flops are base columns). Add yours with `evalMetrics.register`.
 */
export const evalMetrics = new Registry<EvalMetric>('metric', '--metrics');
for (const [id, p] of zeroCostProxies.list()) {
  if (id !== 'params' && id !== 'flops') evalMetrics.register(id, { summary: p.summary, compute: (space, g) => zeroCostMetric(id, space, g) });
}

/** Ids of registered extra metrics. */
export function extraEvalMetricIds(): string[] {
  return evalMetrics.ids();
}

/** Compute a registered extra metric. */
export function extraEvalMetric(id: string, space: SearchSpace, g: Genotype): Promise<number> {
  return evalMetrics.get(id).compute(space, g);
}
