import * as tf from '@tensorflow/tfjs-core';
import { depthwiseFilterGradKernel, depthwiseForwardKernel, depthwiseInputGradKernel, hasDepthwiseKernels } from './depthwise-kernels.ts';

/**
 * Convolutions whose gradients are written with forward ops only (`tf.customGrad`), for training on
 * any tfjs backend. Why: the wasm backend registers no `Conv2DBackpropFilter` nor depthwise backprop
 * kernels (training a conv net there throws), and the pure-JS cpu backend's `Conv2DBackpropFilter`
 * is about 20× slower than its forward convolution. Values are those of `tf.conv2d` /
 * `tf.depthwiseConv2d`; gradients are the standard identities of a strided, zero-padded
 * cross-correlation (e.g. Dumoulin & Visin 2016, "A guide to convolution arithmetic", §4–5):
 *
 *   y[n,i,j,o] = Σ_{a,b,c} xp[n, i·s+a, j·s+b, c] · w[a,b,c,o]      (xp = x zero-padded by p)
 *   ∂w[a,b,c,o] = Σ_{n,i,j} xp[n, i·s+a, j·s+b, c] · ∂y[n,i,j,o]       (patchesᵀ·∂y over the output pixels: im2col)
 *   ∂x = the transposed convolution of ∂y with w                      (∂y zero-interleaved by s, padded by k−1−p, w flipped)
 *
 * How each is computed was chosen by measuring tfjs-wasm's kernels (docs/proxy-training.md,
 * "Where a training step's time goes"): XNNPACK's convolutions and plain matrix products are fast;
 * its `Slice` (which copies the whole input out of the wasm heap), `Tile`, strided slices, 2-D
 * transposes and `BatchMatMul` with a transpose flag are up to 50× slower per byte. So: padding goes
 * into the convolutions' own (explicit) padding, ∂w of a regular convolution is one matrix product
 * after a transpose of the narrower operand written as a 3-D transpose, and nothing large is sliced.
 * Depthwise convolutions with multiplier 1 use hwnas's SIMD kernels where available
 * (`./depthwise-kernels.ts`); the forward-op formulation below is the fallback (cpu backend,
 * multipliers > 1).
 *
 * Layout NHWC, square kernels, symmetric padding `p < k`.
 */

/** A convolution of `x` `[N,H,W,C]` with filter `w`, differentiable on every backend. */
export type ConvFn = (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D;

type Pad4 = [[number, number], [number, number], [number, number], [number, number]];

/** `[M, K]` → `[K, M]` as a 3-D transpose `[a, M/a, K]` → `[K, a, M/a]` (tfjs-wasm's 2-D transpose is several times slower). */
export function transpose2d(x: tf.Tensor2D): tf.Tensor2D {
  const [m, k] = x.shape;
  let a = 1;
  // A leading factor near √m keeps both outer loops of the 3-D kernel long.
  for (let f = Math.floor(Math.sqrt(m)); f > 1; f--) {
    if (m % f === 0) {
      a = f;
      break;
    }
  }
  if (a === 1 || k === 1) return tf.transpose(x);
  return tf.reshape(tf.transpose(tf.reshape(x, [a, m / a, k]), [2, 0, 1]), [k, m]);
}

/**
 * Aᵀ·B for `a` `[M, P]` and `b` `[M, Q]` (a sum over the M rows of both), as one plain matrix
 * product after transposing the narrower operand.
 */
export function matMulTransposeA(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    if (a.shape[1] <= b.shape[1]) return tf.matMul(transpose2d(a), b);
    return transpose2d(tf.matMul(transpose2d(b), a));
  });
}

/**
 * `[k, k, C, k·k]` depthwise filter with a single 1 per output channel: a depthwise convolution
 * with it copies tap t = a·k + b of every k×k window of channel c to output channel c·k² + t
 * (im2col as one XNNPACK kernel, with the convolution's own stride and padding).
 */
function im2colFilter(k: number, c: number): tf.Tensor4D {
  const kk = k * k;
  const v = new Float32Array(kk * c * kk);
  for (let t = 0; t < kk; t++) for (let ch = 0; ch < c; ch++) v[(t * c + ch) * kk + t] = 1;
  return tf.tensor4d(v, [k, k, c, kk]);
}

/** Images per chunk so that a chunk's im2col matrix holds at most this many values (bounds memory). */
const IM2COL_MAX_VALUES = 1 << 23;

/**
 * ∂w of a regular conv: filter `[k,k,C,O]` from input `x` `[N,H,W,C]` and `dy` `[N,oh,ow,O]`, as one
 * matrix product over the N·oh·ow output pixels: ∂w = patchesᵀ · ∂y, the patches (im2col, `[N·oh·ow,
 * C·k²]`) made by a depthwise convolution ({@link im2colFilter}); for k = 1 the (subsampled) input
 * itself. Large im2col matrices are built and multiplied a few images at a time.
 */
function conv2dFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, k: number, stride: number, pad: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, , , c] = x.shape;
    const [, oh, ow, o] = dy.shape;
    const kk = k * k;
    const padding = pad === 0 ? 'valid' : pad;
    const filter = k === 1 ? (stride === 1 ? undefined : tf.ones([1, 1, c, 1]) as tf.Tensor4D) : im2colFilter(k, c);
    const perImage = oh * ow * c * kk;
    const chunk = Math.max(1, Math.min(n, Math.floor(IM2COL_MAX_VALUES / perImage)));
    let total: tf.Tensor2D | undefined;
    for (let start = 0; start < n; start += chunk) {
      const size = Math.min(chunk, n - start);
      const xs = size === n ? x : tf.slice(x, [start, 0, 0, 0], [size, -1, -1, -1]);
      const dys = size === n ? dy : tf.slice(dy, [start, 0, 0, 0], [size, -1, -1, -1]);
      const patches = filter ? tf.depthwiseConv2d(xs, filter, stride, padding) : xs;
      const part = matMulTransposeA(tf.reshape(patches, [size * oh * ow, c * kk]), tf.reshape(dys, [size * oh * ow, o]));
      total = total ? tf.add(total, part) : part;
    }
    // Rows are ordered (c, t): [C, k, k, O] → [k, k, C, O].
    return k === 1 ? tf.reshape(total!, [1, 1, c, o]) : tf.transpose(tf.reshape(total!, [c, k, k, o]), [1, 2, 0, 3]);
  });
}

/** ∂w of a depthwise conv: filter `[k,k,C,m]` from `x` `[N,H,W,C]` and `dy` `[N,oh,ow,C·m]`. */
function depthwiseFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, k: number, m: number, stride: number, pad: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, c] = x.shape;
    let xm: tf.Tensor = x;
    // Each (image, channel, multiplier) triple is one depthwise channel of a batch-1 input [H, W, N·C·m],
    // filtered by its own ∂y map [oh, ow, N·C·m, 1] with dilation s; the sum over images comes after.
    if (m > 1) xm = tf.tile(tf.reshape(x, [n, h, w, c, 1]), [1, 1, 1, 1, m]);
    const xt = tf.reshape(tf.transpose(tf.reshape(xm, [n, h, w, c * m]), [1, 2, 0, 3]), [1, h, w, n * c * m]) as tf.Tensor4D;
    const [, oh, ow] = dy.shape;
    const f = tf.reshape(tf.transpose(dy, [1, 2, 0, 3]), [oh, ow, n * c * m, 1]) as tf.Tensor4D;
    const padding: Pad4 = [[0, 0], [pad, pad], [pad, pad], [0, 0]];
    let out = tf.depthwiseConv2d(xt, f, 1, pad === 0 ? 'valid' : padding, 'NHWC', stride);
    if (out.shape[1] !== k || out.shape[2] !== k) out = tf.slice(out, [0, 0, 0, 0], [1, k, k, n * c * m]);
    // Sum over images: [k·k, N, C·m] → [k·k, C·m] (small).
    const perImage = tf.reshape(out, [k * k, n, c * m]);
    const summed = n === 1 ? perImage : tf.sum(perImage, 1);
    return tf.reshape(summed, [k, k, c, m]) as tf.Tensor4D;
  });
}

/**
 * `dy` `[N,oh,ow,C]` with s−1 zeros after every value along H and W: `[N, oh·s, ow·s, C]` (the
 * trailing zeros of the last row and column included; the caller's padding accounts for them).
 */
function interleaveZeros(dy: tf.Tensor4D, stride: number): tf.Tensor4D {
  if (stride === 1) return dy;
  const [n, oh, ow, c] = dy.shape;
  const spread = tf.pad(tf.reshape(dy, [n, oh, 1, ow, 1, c]), [[0, 0], [0, 0], [0, stride - 1], [0, 0], [0, stride - 1], [0, 0]]);
  return tf.reshape(spread, [n, oh * stride, ow * stride, c]);
}

/**
 * The zero-interleaved ∂y and the explicit padding that make a stride-1 'valid' correlation of it
 * with the flipped kernel produce ∂x of size H×W: top/left k−1−p, bottom/right what completes H, W.
 * The s−1 trailing zeros of the interleaving count towards the bottom/right padding; when they
 * overshoot it (k−1−p < s−1 and H, W tight), the spare rows are sliced off (small: rare).
 */
function transposedConvInput(dy: tf.Tensor4D, xShape: readonly number[], k: number, stride: number, pad: number): { d: tf.Tensor4D; padding: Pad4 } {
  const [, h, w] = xShape as [number, number, number, number];
  let d = interleaveZeros(dy, stride);
  const lead = k - 1 - pad;
  let [, dh, dw] = d.shape;
  const trailH = h + k - 1 - lead - dh;
  const trailW = w + k - 1 - lead - dw;
  if (trailH < 0 || trailW < 0) {
    dh = Math.min(dh, h + k - 1 - lead);
    dw = Math.min(dw, w + k - 1 - lead);
    d = tf.slice(d, [0, 0, 0, 0], [d.shape[0], dh, dw, d.shape[3]]);
  }
  return { d, padding: [[0, 0], [lead, h + k - 1 - lead - dh], [lead, w + k - 1 - lead - dw], [0, 0]] };
}

/** `pad` as tfjs takes it: 'valid' when all zero, a number when symmetric, else explicit. */
function convPadding(p: Pad4): 'valid' | number | Pad4 {
  const [, [t, b], [l, r]] = p;
  if (t === 0 && b === 0 && l === 0 && r === 0) return 'valid';
  if (t === b && l === r && t === l) return t;
  return p;
}

/** ∂x of a depthwise conv: `[N,H,W,C]` from `dy` `[N,oh,ow,C·m]` and the filter `[k,k,C,m]`. */
function depthwiseInputGrad(dy: tf.Tensor4D, w: tf.Tensor4D, xShape: readonly number[], stride: number, pad: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, wd, c] = xShape as [number, number, number, number];
    const [k, , , m] = w.shape;
    const { d, padding } = transposedConvInput(dy, xShape, k, stride, pad);
    const flipped = tf.reshape(tf.reverse(w, [0, 1]), [k, k, c * m, 1]) as tf.Tensor4D;
    const out = tf.depthwiseConv2d(d, flipped, 1, convPadding(padding));
    return m === 1 ? out : tf.sum(tf.reshape(out, [n, h, wd, c, m]), 4) as tf.Tensor4D;
  });
}

/**
 * ∂x of a regular conv: `[N,H,W,C]` from `dy` `[N,oh,ow,O]` and the filter `[k,k,C,O]`, as a forward
 * convolution (wasm's own `Conv2DBackpropInput` kernel is several times slower than its `Conv2D`).
 */
function conv2dInputGrad(dy: tf.Tensor4D, w: tf.Tensor4D, xShape: readonly number[], stride: number, pad: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [k, , c, o] = w.shape;
    // Flipped kernel with input and output channels swapped: [k, k, O, C].
    const wt = k === 1 ? tf.reshape(transpose2d(tf.reshape(w, [c, o])), [1, 1, o, c]) as tf.Tensor4D : tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]);
    const { d, padding } = transposedConvInput(dy, xShape, k, stride, pad);
    return tf.conv2d(d, wt, 1, convPadding(padding));
  });
}

/** Options of {@link conv2dWithGrad} and {@link depthwiseConv2dWithGrad}. */
export interface ConvGradOptions {
  /**
   * Compute ∂x. When false, ∂x is a scalar 0 placeholder: for a convolution reading data (the input
   * batch), whose gradient nothing uses; a gradient that did need it fails tfjs's shape check
   * instead of coming out wrong. @defaultValue true
   */
  inputGrad?: boolean;
}

/** `tf.conv2d(x, w, stride, pad)` (filter `[k,k,C,O]`) with the gradients above. */
export function conv2dWithGrad(stride: number, pad: number, opts: ConvGradOptions = {}): ConvFn {
  const padding = pad === 0 ? 'valid' : pad;
  const inputGrad = opts.inputGrad ?? true;
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x4, w4, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([x4, w4]);
    return {
      value: tf.conv2d(x4, w4, stride, padding),
      gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
        const [sx, sw] = saved as [tf.Tensor4D, tf.Tensor4D];
        return [inputGrad ? conv2dInputGrad(dy, sw, sx.shape, stride, pad) : tf.scalar(0), conv2dFilterGrad(sx, dy, sw.shape[0], stride, pad)];
      },
    };
  }) as ConvFn;
}

/**
 * Below this many channels XNNPACK's depthwise convolution beats hwnas's kernel (whose per-pixel,
 * per-tap loop overhead is then amortised over too few channels): measured on NAS-Bench-Macro and
 * 16-channel shapes, docs/proxy-training.md.
 */
const OWN_DEPTHWISE_MIN_CHANNELS = 32;

/**
 * `tf.depthwiseConv2d(x, w, stride, pad)` (filter `[k,k,C,m]`) with the gradients above. With
 * multiplier 1 on a backend with hwnas's depthwise kernels (wasm, `./depthwise-kernels.ts`), ∂w is
 * always that kernel, and the convolution and ∂x are too where they are faster than the forward-op
 * formulation (C ≥ 32; ∂x also at any stride > 1).
 */
export function depthwiseConv2dWithGrad(stride: number, pad: number, opts: ConvGradOptions = {}): ConvFn {
  const padding = pad === 0 ? 'valid' : pad;
  const inputGrad = opts.inputGrad ?? true;
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x4, w4, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([x4, w4]);
    const [k, , c, m] = w4.shape;
    const own = m === 1 && hasDepthwiseKernels() ? { kernel: k, stride, pad } : undefined;
    const wide = c >= OWN_DEPTHWISE_MIN_CHANNELS;
    return {
      value: own && wide ? depthwiseForwardKernel(x4, w4, own) : tf.depthwiseConv2d(x4, w4, stride, padding),
      gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
        const [sx, sw] = saved as [tf.Tensor4D, tf.Tensor4D];
        const dx = !inputGrad ? tf.scalar(0)
          : own && (wide || stride > 1) ? depthwiseInputGradKernel(dy, sw, sx.shape, own)
          : depthwiseInputGrad(dy, sw, sx.shape, stride, pad);
        return [dx, own ? depthwiseFilterGradKernel(sx, dy, own) : depthwiseFilterGrad(sx, dy, k, m, stride, pad)];
      },
    };
  }) as ConvFn;
}
