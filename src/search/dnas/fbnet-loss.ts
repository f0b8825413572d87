import * as tf from '@tensorflow/tfjs-core';

/**
 * FBNet's latency-aware loss (Wu et al., CVPR 2019, eq. 2 with eq. 6):
 * L(a, w) = CE(a, w) · α · (log LAT(a))^β, LAT(a) = fixed + Σ_l Σ_i m_{l,i} · LAT(b_{l,i}),
 * with m the Gumbel-softmax weights, so LAT is differentiable in θ. α scales the whole loss, β sets
 * the weight of latency against accuracy (β = 0: no latency pressure). LAT must exceed 1 (in the
 * table's unit) for log LAT > 0.
 */
export function fbnetLoss(ce: tf.Scalar, weights: tf.Tensor2D, latencyTable: tf.Tensor2D, fixedLatency: number, alpha: number, beta: number): { loss: tf.Scalar; latency: tf.Scalar } {
  const latency = tf.add(tf.sum(tf.mul(weights, latencyTable)), fixedLatency) as tf.Scalar;
  const loss = tf.mul(tf.mul(ce, alpha), tf.pow(tf.log(latency), beta)) as tf.Scalar;
  return { loss, latency };
}
