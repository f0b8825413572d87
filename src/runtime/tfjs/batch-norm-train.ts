import * as tf from '@tensorflow/tfjs-core';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD, hasBatchNormKernels } from './batch-norm-kernels.ts';

/**
 * Training-mode batch normalisation with a hand-written gradient (Ioffe & Szegedy, ICML 2015,
 * Alg. 1 and §3's backward pass), for NHWC activations on any tfjs backend.
 *
 * Why not tfjs's own ops: `tf.moments` and the autodiff of normalisation reduce over the outer axes
 * N, H, W, which tfjs-wasm does by transposing the whole activation first, and `tf.batchNorm`'s
 * gradient tiles every per-channel vector to the activation size. Here every per-channel sum is a
 * pooling (XNNPACK reads x once) and the rest are element-wise passes: 4 in the forward pass, 5 in
 * the backward pass.
 *
 * With M = N·H·W values per channel, xc = x − μ, r = 1/√(σ² + ε) (σ² the biased batch variance):
 *
 *   y  = γ·r·xc + β
 *   ∂β = Σ ∂y,   ∂γ = r·Σ ∂y·xc
 *   ∂x = γ·r·∂y − (γ·r³·Σ ∂y·xc / M)·xc − γ·r·∂β / M
 */

/** What a training-mode batch norm computed besides its output, for the running statistics. */
export interface BatchStats {
  /** Batch mean per channel `[C]`. */
  readonly mean: tf.Tensor1D;
  /** Biased batch variance per channel `[C]`. */
  readonly variance: tf.Tensor1D;
}

/**
 * Per-channel sums of `x` `[..., C]` as `[C]`: an average pooling over all M = size / C positions
 * times M. (XNNPACK's pooling reads x once; `tf.sum` over outer axes transposes x first, and a
 * product with a ones vector repacks x as a weight matrix — both several times slower on wasm.)
 */
export function channelSums(x: tf.Tensor): tf.Tensor1D {
  const c = x.shape[x.shape.length - 1]!;
  const m = x.size / c;
  const rows = x.shape.length === 4 ? x.shape[0]! * x.shape[1]! : m;
  const cols = m / rows;
  return tf.tidy(() => tf.reshape(tf.mul(tf.avgPool(tf.reshape(x, [1, rows, cols, c]) as tf.Tensor4D, [rows, cols], 1, 'valid'), m), [c]) as tf.Tensor1D);
}

/**
 * `γ·(x − μ)/√(σ² + ε) + β` with the batch's statistics over N, H, W, differentiable in `x`, `gamma`
 * and `beta`. `onStats` receives the batch mean and biased variance (disposed after the call: copy
 * what you keep, e.g. into running statistics with `variable.assign`).
 */
export function batchNormTrain(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number, onStats?: (s: BatchStats) => void): tf.Tensor {
  const c = x.shape[x.shape.length - 1]!;
  const m = x.size / c;
  if (hasBatchNormKernels()) {
    // The same math in hwnas's wasm kernels (./batch-norm-kernels.ts).
    const k = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [xi, g, b, save] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
      const [y, xc, mean, variance, invStd] = tf.engine().runKernel(BATCH_NORM_TRAIN, { x: xi, gamma: g, beta: b }, { eps }) as tf.Tensor[];
      onStats?.({ mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D });
      save([xc!, invStd!, g]);
      return {
        value: y!,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [sxc, sr, sg] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
          return tf.engine().runKernel(BATCH_NORM_TRAIN_GRAD, { dy, xc: sxc, gamma: sg, invStd: sr }) as tf.Tensor[];
        },
      };
    });
    return k(x, gamma, beta);
  }
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, g, b, save] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const mean = tf.div(channelSums(xi), m) as tf.Tensor1D;
    const xc = tf.sub(xi, mean);
    const variance = tf.div(channelSums(tf.square(xc)), m) as tf.Tensor1D;
    const r = tf.rsqrt(tf.add(variance, eps)) as tf.Tensor1D;
    onStats?.({ mean, variance });
    save([xc, r, g]);
    return {
      value: tf.add(tf.mul(xc, tf.mul(g, r)), b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sxc, sr, sg] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
        const dBeta = channelSums(dy);
        const dyXc = channelSums(tf.mul(dy, sxc));
        const gr = tf.mul(sg, sr);
        const dGamma = tf.mul(sr, dyXc);
        const coefXc = tf.neg(tf.div(tf.mul(tf.mul(gr, tf.square(sr)), dyXc), m));
        const shift = tf.neg(tf.div(tf.mul(gr, dBeta), m));
        const dx = tf.add(tf.add(tf.mul(dy, gr), tf.mul(sxc, coefXc)), shift);
        return [dx, dGamma, dBeta];
      },
    };
  });
  return f(x, gamma, beta);
}
