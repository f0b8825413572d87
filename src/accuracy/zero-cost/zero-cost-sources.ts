import type { AccuracySourceFactory } from '../accuracy-source.ts';
import { checkImageDataDir, DEFAULT_IMAGE_DATA_DIR, imageSplitInfo } from '../image-data.ts';
import { zeroCostMetric, zeroCostMetricIds, zeroCostMetricSummary, zeroCostProxies } from './zero-cost-metric.ts';

/** Images in the batch of the data-dependent proxies. */
const BATCH = 64;

/**
 * Every zero-cost metric as an accuracy source `zero-cost:<id>` (any space): its `metric` is the
 * proxy's own name (e.g. `synflow`), a score to maximise, not an accuracy in %. Batch of 64 training
 * images of the settings' data (the vendored CIFAR-10 subset by default), the run's seed.
 */
export const zeroCostSourceFactories: readonly AccuracySourceFactory[] = zeroCostMetricIds().map((id) => ({
  id: `zero-cost:${id}`,
  description: `zero-cost proxy, not an accuracy: ${zeroCostMetricSummary(id)}`,
  create: (_space, settings) => {
    const usesData = zeroCostProxies.get(id).usesData;
    const data = settings.data ?? DEFAULT_IMAGE_DATA_DIR;
    let input = 'no data (all-ones input)';
    if (usesData) {
      // Checked here, without decoding: a bad folder is an input error, not a failed candidate each.
      checkImageDataDir(data, 'data');
      input = `batch of ${BATCH} images drawn from ${imageSplitInfo(data, 'train', 'data').description}, normalised per channel and resized bilinearly to the space's input`;
    }
    return {
      id: `zero-cost:${id}`,
      metric: id,
      metricNames: [id],
      description: `${zeroCostMetricSummary(id)}; untrained network, Kaiming-normal init (seed ${settings.seed}), ${input}, TF.js`,
      metrics: async (space, g) => ({ [id]: await zeroCostMetric(id, space, g, { n: BATCH, seed: settings.seed, ...(usesData && settings.data !== undefined && { data: settings.data }) }) }),
    };
  },
}));

