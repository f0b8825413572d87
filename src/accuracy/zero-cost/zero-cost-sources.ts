import type { AccuracySourceFactory } from '../accuracy-source.ts';
import { zeroCostMetric, zeroCostMetricIds, zeroCostMetricSummary } from './zero-cost-metric.ts';

/**
 * Every zero-cost metric as an accuracy source `zero-cost:<id>` (any space): its `metric` is the
 * proxy's own name (e.g. `synflow`), a score to maximise, not an accuracy in %. Batch 64, the run's seed.
 */
export const zeroCostSourceFactories: readonly AccuracySourceFactory[] = zeroCostMetricIds().map((id) => ({
  id: `zero-cost:${id}`,
  description: `zero-cost proxy, not an accuracy: ${zeroCostMetricSummary(id)}`,
  create: (_space, settings) => ({
    id: `zero-cost:${id}`,
    metric: id,
    metricNames: [id],
    description: `${zeroCostMetricSummary(id)}; untrained network, Kaiming-normal init (seed ${settings.seed}), Fashion-MNIST batch of 64 at the space's input shape, TF.js`,
    metrics: async (space, g) => ({ [id]: await zeroCostMetric(id, space, g, { n: 64, seed: settings.seed }) }),
  }),
}));

