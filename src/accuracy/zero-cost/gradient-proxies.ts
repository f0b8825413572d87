import { outputShape, type ModelGraph } from '../../graph/model-graph.ts';
import type { Rng } from '../../util/rng.ts';
import { forward, initParams, weightTensors } from './graph-net.ts';
import type { ImageBatch } from './image-batch.ts';
import * as tf from '@tensorflow/tfjs-core';
import { useTrainingBackend } from '../../runtime/tfjs/tfjs-backends.ts';

/** The two loss-gradient proxies, from one backward pass. */
export interface GradientProxyScores {
  /** grad_norm: Σ_layers ‖∂L/∂W_l‖₂. */
  gradNorm: number;
  /** snip: Σ_θ |θ ⊙ ∂L/∂θ|. */
  snip: number;
}

/**
 * `grad_norm` and `snip` as zero-cost proxies (Abdelfattah et al., ICLR 2021, §3; snip after Lee et
 * al., ICLR 2019, eq. 6, connection sensitivity |∂L/∂c_j| = |θ_j ∂L/∂θ_j|): L is the mean
 * cross-entropy of the untrained network (Kaiming-normal weights from `rng`, BN with batch
 * statistics) on one labelled batch; both sum over the weights of convolutions and linear layers,
 * grad_norm as the sum over layers of each layer's Euclidean gradient norm.
 */
export async function gradientProxies(graph: ModelGraph, batch: ImageBatch, rng: Rng): Promise<GradientProxyScores> {
  await useTrainingBackend();
  const parts = tf.tidy(() => {
    const params = initParams(graph, rng);
    const entries = weightTensors(params);
    const x = tf.tensor4d(batch.pixels, [batch.n, batch.size, batch.size, batch.channels]);
    const y = tf.oneHot(tf.tensor1d(batch.labels, 'int32'), outputShape(graph)[0]!);
    const f = (...ws: tf.Tensor[]): tf.Scalar => {
      const weights = new Map(entries.map(([id], i) => [id, ws[i]!] as const));
      const logits = forward(graph, params, x, { bn: 'batch', weights }).y;
      return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
    };
    const grads = tf.grads(f)(entries.map(([, w]) => w));
    return grads.map((g, i) => tf.stack([tf.norm(g), tf.sum(tf.abs(tf.mul(g, entries[i]![1])))]));
  });
  let gradNorm = 0;
  let snip = 0;
  for (const t of parts) {
    const [n, s] = t.dataSync();
    gradNorm += n!;
    snip += s!;
  }
  tf.dispose(parts);
  return { gradNorm, snip };
}
