import type { ModelGraph } from '../../graph/model-graph.ts';
import type { Rng } from '../../util/rng.ts';
import { forward, initParams } from './graph-net.ts';
import type { ImageBatch } from './image-batch.ts';
import { slogdet } from './slogdet.ts';
import * as tf from '@tensorflow/tfjs-core';
import { useTrainingBackend } from '../../runtime/tfjs/tfjs-backends.ts';

/**
 * NASWOT (Mellor et al., ICML 2021, v2 "log-determinant" score, eq. 2): for a batch of B images, each
 * image's binary code c_i has one bit per ReLU unit of the network (pre-activation > 0), over every
 * ReLU node; K_H[i][j] = N_A − d_H(c_i, c_j) (the number of units on which the two codes agree), i.e.
 * K = C Cᵀ + (1 − C)(1 − C)ᵀ; score = log|det K_H| (slogdet). Weights are Kaiming-normal from `rng`,
 * BN normalises with batch statistics (the reference runs the untrained network in training mode).
 * Returns `-Infinity` when K is singular (two images with identical codes).
 */
export async function naswot(graph: ModelGraph, batch: ImageBatch, rng: Rng): Promise<number> {
  await useTrainingBackend();
  const b = batch.n;
  const kData = tf.tidy(() => {
    const params = initParams(graph, rng);
    const x = tf.tensor4d(batch.pixels, [b, batch.size, batch.size, batch.channels]);
    let k: tf.Tensor = tf.zeros([b, b]);
    forward(graph, params, x, {
      bn: 'batch',
      onRelu: (pre) => {
        const c = tf.cast(tf.greater(tf.reshape(pre, [b, -1]), 0), 'float32') as tf.Tensor2D;
        const nc = tf.sub(1, c) as tf.Tensor2D;
        k = tf.add(k, tf.add(tf.matMul(c, c, false, true), tf.matMul(nc, nc, false, true)));
      },
    });
    return k;
  });
  const k = Float64Array.from(kData.dataSync());
  kData.dispose();
  return slogdet(k, b).logAbsDet;
}
