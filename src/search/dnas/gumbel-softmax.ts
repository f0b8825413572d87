import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../util/rng.ts';

/**
 * Gumbel-softmax mixing weights (FBNet, Wu et al. CVPR 2019, eq. 5; Jang et al. 2017):
 * m_{l,i} = exp((θ_{l,i} + g_{l,i}) / τ) / Σ_j exp((θ_{l,j} + g_{l,j}) / τ), g = −log(−log u),
 * u ~ U(0, 1) drawn from `rng` (`noise: false` gives the plain softmax of θ/τ).
 * `theta` is `[layers, choices]`; differentiable in θ.
 */
export function gumbelSoftmax(theta: tf.Tensor2D, temperature: number, rng: Rng, noise = true): tf.Tensor2D {
  const [l, c] = theta.shape;
  const g = new Float32Array(l * c);
  if (noise) {
    for (let i = 0; i < g.length; i++) {
      const u = Math.min(Math.max(rng.next(), 1e-12), 1 - 1e-12);
      g[i] = -Math.log(-Math.log(u));
    }
  }
  return tf.softmax(tf.div(tf.add(theta, tf.tensor2d(g, [l, c])), temperature)) as tf.Tensor2D;
}
