import * as tf from '@tensorflow/tfjs-core';
import { depthwiseConv2dWithGrad } from '../../runtime/tfjs/conv-grads.ts';

/**
 * Average pooling whose padded cells are not counted (`count_include_pad = 0`, as in NAS-Bench-201),
 * as a depthwise convolution with a ones kernel divided by the per-cell count of real inputs. Its
 * gradient uses forward kernels only ({@link depthwiseConv2dWithGrad}), so it differentiates on wasm.
 */
export function avgPoolExcludePad(x: tf.Tensor4D, kernel: number, stride: number, pad: number): tf.Tensor4D {
  const [, h, w, c] = x.shape;
  const padding = pad === 0 ? 'valid' : pad;
  const sum = depthwiseConv2dWithGrad(stride, pad)(x, tf.ones([kernel, kernel, c, 1]) as tf.Tensor4D);
  const count = tf.depthwiseConv2d(tf.ones([1, h, w, 1]) as tf.Tensor4D, tf.ones([kernel, kernel, 1, 1]) as tf.Tensor4D, stride, padding);
  return tf.div(sum, count) as tf.Tensor4D;
}
