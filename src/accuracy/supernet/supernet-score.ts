import * as tf from '@tensorflow/tfjs-core';
import type { SupernetPath, SupernetWeights } from './supernet-weights.ts';

/**
 * Scoring one architecture with the supernet's weights: its batch-norm statistics are re-estimated
 * for that path, then its top-1 accuracy is measured on held-out images.
 *
 * Why re-estimate: while the supernet trains, each batch-norm layer sees the activations of many
 * different paths, so running statistics gathered then describe none of them; SPOS (Guo et al.,
 * ECCV 2020, §4) recomputes them per sampled architecture on training batches before evaluating it,
 * as do FairNAS and OFA. Here: the path's statistics are reset and each of K fixed batches runs in
 * training mode (normalised with its own statistics, as PyTorch's `momentum=None` re-estimation);
 * the running mean and unbiased variance become the cumulative average over the K batches.
 */

/** Re-estimate the batch-norm running statistics of `path` on `batches` (NHWC, normalised). */
export async function recalibrateBatchNorm(weights: SupernetWeights, path: SupernetPath, batches: readonly tf.Tensor4D[]): Promise<void> {
  const stats = weights.pathVariables(path).filter((v) => v.role === 'runningMean' || v.role === 'runningVar');
  if (stats.length === 0 || batches.length === 0) return;
  const sums: tf.Tensor[] = stats.map((v) => tf.zerosLike(v.variable as tf.Tensor));
  try {
    for (const x of batches) {
      // Momentum 1: after the pass each running statistic holds this batch's own.
      const y = weights.forwardStatistics(path, x);
      await y.data();
      y.dispose();
      stats.forEach((v, i) => {
        const next = tf.add(sums[i]!, v.variable);
        sums[i]!.dispose();
        sums[i] = next;
      });
    }
    stats.forEach((v, i) => v.variable.assign(tf.tidy(() => tf.div(sums[i]!, batches.length))));
  } finally {
    tf.dispose(sums);
  }
}

/** What a path scores on held-out images. */
export interface PathScore {
  /** Top-1 accuracy, %. */
  readonly accuracy: number;
  /** Mean softmax cross-entropy. */
  readonly loss: number;
}

/** Top-1 accuracy (%) and mean cross-entropy of `path` on images `x` (NHWC, normalised) with labels `labels`, batch norm in inference mode. */
export async function pathScore(weights: SupernetWeights, path: SupernetPath, x: readonly tf.Tensor4D[], labels: readonly Uint8Array[], classes: number): Promise<PathScore> {
  let correct = 0;
  let count = 0;
  let lossSum = 0;
  for (let b = 0; b < x.length; b++) {
    const l = labels[b]!;
    const [pred, loss] = tf.tidy(() => {
      const logits = weights.forward(path, x[b]!, false);
      const onehot = tf.oneHot(tf.tensor1d(l, 'int32'), classes);
      return [tf.argMax(logits, 1), tf.sum(tf.losses.softmaxCrossEntropy(onehot, logits, undefined, undefined, tf.Reduction.NONE))];
    });
    const p = await pred.data();
    lossSum += (await loss.data())[0]!;
    tf.dispose([pred, loss]);
    for (let i = 0; i < l.length; i++) if (p[i] === l[i]) correct++;
    count += l.length;
  }
  return count > 0 ? { accuracy: (100 * correct) / count, loss: lossSum / count } : { accuracy: NaN, loss: NaN };
}
