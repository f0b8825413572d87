import * as tf from '@tensorflow/tfjs-core';

/**
 * Convolutions whose gradients are written with forward ops only (`tf.customGrad`), for training on
 * any tfjs backend. Why: the wasm backend registers no `Conv2DBackpropFilter` nor depthwise backprop
 * kernels (training a conv net there throws), and the pure-JS cpu backend's `Conv2DBackpropFilter`
 * is about 20× slower than its forward convolution. Values are those of `tf.conv2d` /
 * `tf.depthwiseConv2d`; gradients are the standard identities of a strided, zero-padded
 * cross-correlation (e.g. Dumoulin & Visin 2016, "A guide to convolution arithmetic", §4–5):
 *
 *   y[n,i,j,o] = Σ_{a,b,c} xp[n, i·s+a, j·s+b, c] · w[a,b,c,o]      (xp = x zero-padded by p)
 *   ∂w[a,b,c,o] = Σ_{n,i,j} xp[n, i·s+a, j·s+b, c] · ∂y[n,i,j,o]       (a correlation of xp with ∂y, dilated by s)
 *   ∂x = the transposed convolution of ∂y with w                      (∂y zero-interleaved by s, padded by k−1−p, w flipped)
 *
 * Layout NHWC, square kernels, symmetric padding `p < k`.
 */

/** A convolution of `x` `[N,H,W,C]` with filter `w`, differentiable on every backend. */
export type ConvFn = (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D;

/** ∂w of a regular conv: filter `[k,k,C,O]` from input `x` `[N,H,W,C]` and `dy` `[N,oh,ow,O]`. */
function conv2dFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, k: number, stride: number, pad: number): tf.Tensor4D {
  return tf.tidy(() => {
    const xp = pad > 0 ? tf.pad(x, [[0, 0], [pad, pad], [pad, pad], [0, 0]]) : x;
    // Batch ↔ channels: the C input channels become the batch, the N images the channels; ∂y becomes
    // the filter [oh, ow, N, O], applied with dilation s: out[c, a, b, o] = ∂w[a, b, c, o].
    const xt = tf.transpose(xp, [3, 1, 2, 0]);
    const f = tf.transpose(dy, [1, 2, 0, 3]);
    const out = tf.conv2d(xt, f, 1, 'valid', 'NHWC', stride);
    const [c, , , o] = out.shape;
    return tf.transpose(tf.slice(out, [0, 0, 0, 0], [c, k, k, o]), [1, 2, 0, 3]);
  });
}

/** ∂w of a depthwise conv: filter `[k,k,C,m]` from `x` `[N,H,W,C]` and `dy` `[N,oh,ow,C·m]`. */
function depthwiseFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, k: number, m: number, stride: number, pad: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, , , c] = x.shape;
    let xp: tf.Tensor4D | tf.Tensor5D = pad > 0 ? tf.pad(x, [[0, 0], [pad, pad], [pad, pad], [0, 0]]) : x;
    const [, hp, wp] = xp.shape as [number, number, number, number];
    // Each (image, channel, multiplier) triple is one depthwise channel of a batch-1 input [hp, wp, N·C·m],
    // filtered by its own ∂y map [oh, ow, N·C·m, 1] with dilation s; the sum over images comes after.
    if (m > 1) xp = tf.tile(tf.reshape(xp, [n, hp, wp, c, 1]), [1, 1, 1, 1, m]) as tf.Tensor5D;
    const xt = tf.reshape(tf.transpose(tf.reshape(xp, [n, hp, wp, c * m]), [1, 2, 0, 3]), [1, hp, wp, n * c * m]) as tf.Tensor4D;
    const [, oh, ow] = dy.shape;
    const f = tf.reshape(tf.transpose(dy, [1, 2, 0, 3]), [oh, ow, n * c * m, 1]) as tf.Tensor4D;
    const out = tf.depthwiseConv2d(xt, f, 1, 'valid', 'NHWC', stride);
    const [, ha, wa] = out.shape;
    const perImage = tf.sum(tf.reshape(out, [ha, wa, n, c * m]), 2);
    return tf.reshape(tf.slice(perImage, [0, 0, 0], [k, k, c * m]), [k, k, c, m]) as tf.Tensor4D;
  });
}

/** `dy` `[N,oh,ow,C]` with s−1 zeros between neighbours: `[N,(oh−1)s+1,(ow−1)s+1,C]`. */
function interleaveZeros(dy: tf.Tensor4D, stride: number): tf.Tensor4D {
  if (stride === 1) return dy;
  const [n, oh, ow, c] = dy.shape;
  const spread = tf.pad(tf.reshape(dy, [n, oh, 1, ow, 1, c]), [[0, 0], [0, 0], [0, stride - 1], [0, 0], [0, stride - 1], [0, 0]]);
  return tf.slice(tf.reshape(spread, [n, oh * stride, ow * stride, c]) as tf.Tensor4D, [0, 0, 0, 0], [n, (oh - 1) * stride + 1, (ow - 1) * stride + 1, c]);
}

/** ∂x of a depthwise conv: `[N,H,W,C]` from `dy` `[N,oh,ow,C·m]` and the filter `[k,k,C,m]`. */
function depthwiseInputGrad(dy: tf.Tensor4D, w: tf.Tensor4D, xShape: readonly number[], stride: number, pad: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, wd, c] = xShape as [number, number, number, number];
    const [k, , , m] = w.shape;
    const d = interleaveZeros(dy, stride);
    const [, dh, dw] = d.shape;
    // Full correlation with the flipped kernel: top/left padding k−1−p, bottom/right what makes H×W.
    const lead = k - 1 - pad;
    const dp = tf.pad(d, [[0, 0], [lead, h + k - 1 - lead - dh], [lead, wd + k - 1 - lead - dw], [0, 0]]);
    const flipped = tf.reshape(tf.reverse(w, [0, 1]), [k, k, c * m, 1]) as tf.Tensor4D;
    const out = tf.depthwiseConv2d(dp, flipped, 1, 'valid');
    return m === 1 ? out : tf.sum(tf.reshape(out, [n, h, wd, c, m]), 4) as tf.Tensor4D;
  });
}

/**
 * ∂x of a regular conv: `[N,H,W,C]` from `dy` `[N,oh,ow,O]` and the filter `[k,k,C,O]`, as a forward
 * convolution (wasm's own `Conv2DBackpropInput` kernel is several times slower than its `Conv2D`).
 */
function conv2dInputGrad(dy: tf.Tensor4D, w: tf.Tensor4D, xShape: readonly number[], stride: number, pad: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, wd] = xShape as [number, number, number, number];
    const [k] = w.shape;
    // Flipped kernel with input and output channels swapped: [k, k, O, C].
    const wt = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]);
    if (k === 1 && pad === 0 && stride === 1) return tf.conv2d(dy, wt, 1, 'valid');
    const d = interleaveZeros(dy, stride);
    const [, dh, dw] = d.shape;
    const lead = k - 1 - pad;
    const dp = tf.pad(d, [[0, 0], [lead, h + k - 1 - lead - dh], [lead, wd + k - 1 - lead - dw], [0, 0]]);
    return tf.conv2d(dp, wt, 1, 'valid');
  });
}

/** `tf.conv2d(x, w, stride, pad)` (filter `[k,k,C,O]`) with the gradients above. */
export function conv2dWithGrad(stride: number, pad: number): ConvFn {
  const padding = pad === 0 ? 'valid' : pad;
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x4, w4, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([x4, w4]);
    return {
      value: tf.conv2d(x4, w4, stride, padding),
      gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
        const [sx, sw] = saved as [tf.Tensor4D, tf.Tensor4D];
        return [conv2dInputGrad(dy, sw, sx.shape, stride, pad), conv2dFilterGrad(sx, dy, sw.shape[0], stride, pad)];
      },
    };
  }) as ConvFn;
}

/** `tf.depthwiseConv2d(x, w, stride, pad)` (filter `[k,k,C,m]`) with the gradients above. */
export function depthwiseConv2dWithGrad(stride: number, pad: number): ConvFn {
  const padding = pad === 0 ? 'valid' : pad;
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x4, w4, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([x4, w4]);
    return {
      value: tf.depthwiseConv2d(x4, w4, stride, padding),
      gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
        const [sx, sw] = saved as [tf.Tensor4D, tf.Tensor4D];
        const [k, , , m] = sw.shape;
        return [depthwiseInputGrad(dy, sw, sx.shape, stride, pad), depthwiseFilterGrad(sx, dy, k, m, stride, pad)];
      },
    };
  }) as ConvFn;
}
