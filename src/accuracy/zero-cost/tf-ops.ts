import { tf } from './tf-backend.ts';

/**
 * Convolutions whose gradients use only forward kernels (conv2d, depthwiseConv2d, matMul, pad,
 * stridedSlice), so that they differentiate on the TF.js wasm backend (which lacks
 * `Conv2DBackpropFilter`/`Conv2DBackpropInput`) and avoid the cpu backend's slow backprop-filter
 * kernel (40 s for a 64×32×32×16 3×3 layer, measured). Layout NHWC; weights `[k, k, in, out]`
 * (dense) or `[k, k, C, 1]` (depthwise); inputs are padded by the caller (`valid` convolution).
 *
 * Gradients of y = x ⋆ w (stride s, valid): ∂L/∂w[i,j] = Σ_{n,p,q} x[n, p·s+i, q·s+j] ⊗ ∂L/∂y[n,p,q];
 * ∂L/∂x = full correlation of ∂L/∂y dilated by s with w rotated by 180° (and in/out swapped).
 */

/** Insert `s − 1` zeros between rows and columns of an NHWC tensor, then pad to `h × w`. */
function dilateTo(dy: tf.Tensor4D, s: number, h: number, w: number): tf.Tensor4D {
  const [n, oh, ow, c] = dy.shape;
  let d: tf.Tensor4D = dy;
  if (s > 1) {
    // [n, oh, 1, ow, 1, c] padded to [n, oh, s, ow, s, c] then flattened: zeros between samples.
    const e = tf.reshape(dy, [n, oh, 1, ow, 1, c]);
    const p = tf.pad(e, [[0, 0], [0, 0], [0, s - 1], [0, 0], [0, s - 1], [0, 0]]);
    d = tf.reshape(p, [n, oh * s, ow * s, c]);
    d = tf.slice(d, [0, 0, 0, 0], [n, (oh - 1) * s + 1, (ow - 1) * s + 1, c]);
  }
  const [, dh, dw] = d.shape;
  return tf.pad(d, [[0, 0], [0, h - dh], [0, w - dw], [0, 0]]);
}

/** Window `(i, j)` of the receptive fields: `x[:, i::s, j::s, :]` cut to the output size. */
function window(x: tf.Tensor4D, i: number, j: number, s: number, oh: number, ow: number): tf.Tensor4D {
  const [n, , , c] = x.shape;
  if (s === 1) return tf.slice(x, [0, i, j, 0], [n, oh, ow, c]);
  return tf.stridedSlice(x, [0, i, j, 0], [n, i + (oh - 1) * s + 1, j + (ow - 1) * s + 1, c], [1, s, s, 1]) as tf.Tensor4D;
}

/** Dense valid convolution with a forward-kernel-only gradient. */
export function conv2dValid(x: tf.Tensor4D, w: tf.Tensor4D, stride: number): tf.Tensor4D {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xx = args[0] as tf.Tensor4D;
    const ww = args[1] as tf.Tensor4D;
    const save = args[2] as tf.GradSaveFunc;
    save([xx, ww]);
    const y = tf.conv2d(xx, ww, stride, 'valid');
    return {
      value: y,
      gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
        const sx = saved[0] as tf.Tensor4D;
        const sw = saved[1] as tf.Tensor4D;
        const [k, k2, cin, cout] = sw.shape;
        const [n, h, wd] = sx.shape;
        const [, oh, ow] = dy.shape;
        // ∂L/∂x: full correlation of the dilated gradient with the flipped, transposed kernel.
        const dd = dilateTo(dy, stride, h - k + 1, wd - k2 + 1);
        const dpad = tf.pad(dd, [[0, 0], [k - 1, k - 1], [k2 - 1, k2 - 1], [0, 0]]);
        const wf = tf.transpose(tf.reverse(sw, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
        const dx = tf.conv2d(dpad, wf, 1, 'valid');
        // ∂L/∂w: one matMul per kernel tap.
        const dyFlat = tf.reshape(dy, [n * oh * ow, cout]) as tf.Tensor2D;
        const taps: tf.Tensor2D[] = [];
        for (let i = 0; i < k; i++) {
          for (let j = 0; j < k2; j++) {
            const xs = tf.reshape(window(sx, i, j, stride, oh, ow), [n * oh * ow, cin]) as tf.Tensor2D;
            taps.push(tf.matMul(xs, dyFlat, true, false));
          }
        }
        const dw = tf.reshape(tf.stack(taps), [k, k2, cin, cout]);
        return [dx, dw];
      },
    };
  });
  return f(x, w) as tf.Tensor4D;
}

/** Depthwise valid convolution (`w` is `[k, k, C, 1]`) with a forward-kernel-only gradient. */
export function depthwiseValid(x: tf.Tensor4D, w: tf.Tensor4D, stride: number): tf.Tensor4D {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xx = args[0] as tf.Tensor4D;
    const ww = args[1] as tf.Tensor4D;
    const save = args[2] as tf.GradSaveFunc;
    save([xx, ww]);
    const y = tf.depthwiseConv2d(xx, ww, stride, 'valid');
    return {
      value: y,
      gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
        const sx = saved[0] as tf.Tensor4D;
        const sw = saved[1] as tf.Tensor4D;
        const [k, k2, c] = sw.shape;
        const [, h, wd] = sx.shape;
        const [, oh, ow] = dy.shape;
        const dd = dilateTo(dy, stride, h - k + 1, wd - k2 + 1);
        const dpad = tf.pad(dd, [[0, 0], [k - 1, k - 1], [k2 - 1, k2 - 1], [0, 0]]);
        const dx = tf.depthwiseConv2d(dpad, tf.reverse(sw, [0, 1]) as tf.Tensor4D, 1, 'valid');
        const taps: tf.Tensor1D[] = [];
        for (let i = 0; i < k; i++) {
          for (let j = 0; j < k2; j++) taps.push(tf.sum(tf.mul(window(sx, i, j, stride, oh, ow), dy), [0, 1, 2]));
        }
        const dw = tf.reshape(tf.stack(taps), [k, k2, c, 1]);
        return [dx, dw];
      },
    };
  });
  return f(x, w) as tf.Tensor4D;
}

/** Zero-pad H and W by `p` on each side. */
export function padHW(x: tf.Tensor4D, p: number): tf.Tensor4D {
  return p === 0 ? x : tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]]);
}

/**
 * Average pooling whose padded cells are not counted (`count_include_pad = 0`, as in NAS-Bench-201),
 * as a depthwise convolution with a ones kernel divided by the per-cell count of real inputs.
 */
export function avgPoolExcludePad(x: tf.Tensor4D, kernel: number, stride: number, pad: number): tf.Tensor4D {
  const [, h, w, c] = x.shape;
  const ones = tf.ones([kernel, kernel, c, 1]) as tf.Tensor4D;
  const sum = depthwiseValid(padHW(x, pad), ones, stride);
  const count = tf.depthwiseConv2d(padHW(tf.ones([1, h, w, 1]) as tf.Tensor4D, pad), tf.ones([kernel, kernel, 1, 1]) as tf.Tensor4D, stride, 'valid');
  return tf.div(sum, count) as tf.Tensor4D;
}
