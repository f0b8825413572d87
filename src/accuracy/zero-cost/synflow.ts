import type { ModelGraph } from '../../graph/model-graph.ts';
import type { Rng } from '../../util/rng.ts';
import { forward, initParams, weightTensors } from './graph-net.ts';
import * as tf from '@tensorflow/tfjs-core';
import { useTrainingBackend } from '../../runtime/tfjs/tfjs-backends.ts';

/** Synflow score and its natural log. */
export interface SynflowScore {
  /** Σ_θ |θ ⊙ ∂R/∂θ| as a double; `Infinity` past 1.8e308 (then use `logScore`). */
  score: number;
  /** ln(score), always finite for a network with a path from input to output. */
  logScore: number;
}

/**
 * Synaptic flow (Tanaka et al., NeurIPS 2020, eq. 6 with the all-ones input of Alg. 1), as used as a
 * zero-cost proxy by Abdelfattah et al. (ICLR 2021): weights replaced by |θ|, batch normalisation
 * left out (the reference `bn=False` copy), one all-ones input of the space's shape,
 * R = 1ᵀ f(1; |θ|), score = Σ_θ |θ ⊙ ∂R/∂θ| over conv and linear weights.
 *
 * The references compute in float64; TF.js has float32 only and R overflows it for deep networks
 * (NAS-Bench-201 reaches ~1e40 and more). The network is positively homogeneous here (non-negative
 * input and weights, ReLU, pooling, no BN), so every node's value is carried as a float32 tensor
 * divided by its maximum plus a float64 log-scale (see `ForwardOptions.logScaled`); the scales are
 * constants to the gradient, so ∂(Σ output mantissa)/∂θ = e^{−logScale} ∂R/∂θ exactly and
 * score = e^{logScale} Σ|θ ⊙ ∂(Σ mantissa)/∂θ|, summed in float64.
 */
export async function synflow(graph: ModelGraph, rng: Rng): Promise<SynflowScore> {
  await useTrainingBackend();
  let logScale = 0;
  const sums = tf.tidy(() => {
    const params = initParams(graph, rng);
    const entries = weightTensors(params);
    const abs = entries.map(([, w]) => tf.abs(w));
    const [c, h, w] = graph.input as [number, number, number];
    const x = tf.ones([1, h, w, c]) as tf.Tensor4D;
    const f = (...ws: tf.Tensor[]): tf.Scalar => {
      const weights = new Map(entries.map(([id], i) => [id, ws[i]!] as const));
      const out = forward(graph, params, x, { bn: 'identity', weights, logScaled: true });
      logScale = out.logScale;
      return tf.sum(out.y);
    };
    const grads = tf.grads(f)(abs);
    return grads.map((g, i) => tf.sum(tf.mul(g, abs[i]!)));
  });
  let s = 0;
  for (const t of sums) s += Math.abs(t.dataSync()[0]!);
  tf.dispose(sums);
  const logScore = Math.log(s) + logScale;
  return { score: Math.exp(logScore), logScore };
}
