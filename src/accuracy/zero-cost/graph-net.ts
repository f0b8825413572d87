import type { ModelGraph, Node } from '../../graph/model-graph.ts';
import { shapeOf } from '../../graph/model-graph.ts';
import type { Rng } from '../../util/rng.ts';
import * as tf from '@tensorflow/tfjs-core';
import { conv2dWithGrad, depthwiseConv2dWithGrad } from '../../runtime/tfjs/conv-grads.ts';
import { avgPoolExcludePad } from './avg-pool-exclude-pad.ts';

/**
 * A differentiable TF.js network built from a {@link ModelGraph}, for zero-cost proxies and the DNAS
 * supernet: parameters are explicit tensors (so proxies can take ∂/∂θ and replace θ by |θ|), the
 * forward pass is a function of them. Layout NHWC. Batch normalisation always normalises with the
 * statistics of the current batch (PyTorch training mode, as the zero-cost references run their
 * networks), or is the identity (synflow, `bn: 'identity'`).
 *
 * `flatten` of a `[C, H, W]` map with H·W > 1 orders its features H, W, C (NHWC), not C, H, W as
 * ONNX would; every built-in space flattens after global pooling (H = W = 1), where they agree.
 */

/** Parameters of one node: `w` conv `[k,k,in/groups·,out]` or linear `[in,out]`, `b` bias, BN `gamma`/`beta`. */
export interface NodeParams {
  w?: tf.Variable | tf.Tensor;
  b?: tf.Variable | tf.Tensor;
  gamma?: tf.Variable | tf.Tensor;
  beta?: tf.Variable | tf.Tensor;
}

export type NetParams = Map<string, NodeParams>;

/**
 * Kaiming-normal weights (He et al. 2015, fan-in, gain √2) drawn from `rng`, zero biases, BN γ = 1,
 * β = 0. Deterministic for a seed. Each conv/linear weight is a `tf.Variable` when `trainable`.
 */
export function initParams(graph: ModelGraph, rng: Rng, trainable = false): NetParams {
  const params: NetParams = new Map();
  const mk = (t: tf.Tensor): tf.Tensor | tf.Variable => (trainable ? tf.variable(t) : t);
  const normal = (shape: number[], std: number): tf.Tensor => {
    const size = shape.reduce((a, b) => a * b, 1);
    const v = new Float32Array(size);
    for (let i = 0; i < size; i++) v[i] = rng.normal() * std;
    return tf.tensor(v, shape);
  };
  for (const n of graph.nodes) {
    if (n.op === 'conv') {
      const inC = shapeOf(graph, n.inputs[0])[0]!;
      const a = n.attrs;
      const perGroup = inC / a.groups;
      const fanIn = perGroup * a.kernel * a.kernel;
      const depthwise = a.groups === inC && a.groups === a.outChannels && a.groups > 1;
      const shape = depthwise ? [a.kernel, a.kernel, inC, 1] : [a.kernel, a.kernel, perGroup, a.outChannels];
      const p: NodeParams = { w: mk(normal(shape, Math.sqrt(2 / fanIn))) };
      if (a.bias) p.b = mk(tf.zeros([a.outChannels]));
      params.set(n.id, p);
    } else if (n.op === 'linear') {
      const inF = shapeOf(graph, n.inputs[0])[0]!;
      const p: NodeParams = { w: mk(normal([inF, n.attrs.outFeatures], Math.sqrt(1 / inF))) };
      if (n.attrs.bias) p.b = mk(tf.zeros([n.attrs.outFeatures]));
      params.set(n.id, p);
    } else if (n.op === 'batchnorm') {
      params.set(n.id, { gamma: mk(tf.ones([n.shape[0]!])), beta: mk(tf.zeros([n.shape[0]!])) });
    }
  }
  return params;
}

/** The weight tensors of convolutions and linear layers (what the zero-cost proxies score), by node id. */
export function weightTensors(params: NetParams): [string, tf.Tensor][] {
  const out: [string, tf.Tensor][] = [];
  for (const [id, p] of params) if (p.w) out.push([id, p.w]);
  return out;
}

export interface ForwardOptions {
  /** `batch`: normalise with batch statistics; `identity`: BN left out. @defaultValue 'batch' */
  bn?: 'batch' | 'identity';
  /** Called with the input of every ReLU node (pre-activation), e.g. for NASWOT codes. */
  onRelu?: (preActivation: tf.Tensor, node: Node) => void;
  /** Weight tensors to use instead of `params`' (by node id), e.g. |θ| or θ being differentiated. */
  weights?: ReadonlyMap<string, tf.Tensor>;
  /**
   * Per-node scalar rescaling, for synflow: after every conv/linear/add the value is divided by a
   * constant (its maximum, read back and so outside the gradient) and the log of that constant is
   * accumulated, keeping float32 in range. The returned `logScale` is the natural log of the factor
   * by which the true output exceeds the returned tensor. Only exact for positively homogeneous
   * networks (ReLU, pooling, no BN) fed non-negative input with non-negative weights. @defaultValue false
   */
  logScaled?: boolean;
  /**
   * Inference only (no gradient taken through the call): each node's temporaries and every value no
   * later node reads are freed as the pass goes, so memory holds a few feature maps instead of all of
   * them (NASWOT on an FBNet network at a batch of 64: gigabytes otherwise). @defaultValue false
   */
  release?: boolean;
}

const EPS = 1e-5;

function conv(x: tf.Tensor4D, w: tf.Tensor, a: Extract<Node, { op: 'conv' }>['attrs']): tf.Tensor4D {
  const inC = x.shape[3];
  if (a.groups === 1) return conv2dWithGrad(a.stride, a.pad)(x, w as tf.Tensor4D);
  if (a.groups === inC && a.groups === a.outChannels) return depthwiseConv2dWithGrad(a.stride, a.pad)(x, w as tf.Tensor4D);
  // Grouped convolution: one dense convolution per group, outputs concatenated along channels.
  const xs = tf.split(x, a.groups, 3);
  const ws = tf.split(w, a.groups, 3);
  const f = conv2dWithGrad(a.stride, a.pad);
  return tf.concat(xs.map((xi, i) => f(xi as tf.Tensor4D, ws[i] as tf.Tensor4D)), 3) as tf.Tensor4D;
}

/**
 * Run `graph` on `x` (`[N, H, W, C]`). Returns the output (logits `[N, classes]`) and, with
 * `logScaled`, the natural-log scale of the true output. Call inside `tf.tidy`/`tf.grad`.
 */
export function forward(graph: ModelGraph, params: NetParams, x: tf.Tensor4D, opts: ForwardOptions = {}): { y: tf.Tensor; logScale: number } {
  const vals = new Map<string, { t: tf.Tensor; ls: number }>();
  vals.set('input', { t: x, ls: 0 });
  const get = (id: string): { t: tf.Tensor; ls: number } => vals.get(id)!;
  const weight = (id: string): tf.Tensor => opts.weights?.get(id) ?? params.get(id)!.w!;
  const scaled = opts.logScaled === true;
  const renorm = (t: tf.Tensor, ls: number): { t: tf.Tensor; ls: number } => {
    if (!scaled) return { t, ls };
    const m = tf.max(tf.abs(t)).dataSync()[0]!;
    if (!(m > 0) || !Number.isFinite(m)) return { t, ls };
    return { t: tf.div(t, m), ls: ls + Math.log(m) };
  };
  // Bring terms of a sum to the largest scale: exp(ls_i − max) underflows to 0 for negligible terms.
  const common = (terms: { t: tf.Tensor; ls: number }[]): { ts: tf.Tensor[]; ls: number } => {
    const ls = Math.max(...terms.map((v) => v.ls));
    return { ts: terms.map((v) => (v.ls === ls ? v.t : tf.mul(v.t, Math.exp(v.ls - ls)))), ls };
  };
  // Back to the true scale before a non-homogeneous op (sigmoid, hswish...). The factor is capped at
  // e^69 ≈ 1e30 so float32 stays finite (0 · ∞ would be NaN); such ops saturate long before that.
  const trueValue = (v: { t: tf.Tensor; ls: number }): tf.Tensor => (v.ls === 0 ? v.t : tf.mul(v.t, Math.exp(Math.min(v.ls, 69))));
  // With `release`: readers left of each value; a value is freed after its last reader.
  const readers = new Map<string, number>();
  if (opts.release) for (const n of graph.nodes) for (const i of new Set(n.inputs)) readers.set(i, (readers.get(i) ?? 0) + 1);
  for (const n of graph.nodes) {
    if (!opts.release) {
      vals.set(n.id, node(n));
      continue;
    }
    let ls = 0;
    const t = tf.tidy(() => {
      const o = node(n);
      ls = o.ls;
      return o.t;
    });
    vals.set(n.id, { t, ls });
    for (const i of new Set(n.inputs)) {
      const left = readers.get(i)! - 1;
      readers.set(i, left);
      const v = vals.get(i);
      // The input batch belongs to the caller; a value that is also the node's own output stays.
      if (left === 0 && i !== graph.output && v && v.t !== t && v.t !== x) v.t.dispose();
    }
  }
  const o = get(graph.output);
  return { y: o.t, logScale: o.ls };

  function node(n: Node): { t: tf.Tensor; ls: number } {
    const a = get(n.inputs[0]!);
    let out: { t: tf.Tensor; ls: number };
    switch (n.op) {
      case 'conv': {
        const p = params.get(n.id)!;
        let y: tf.Tensor = conv(a.t as tf.Tensor4D, weight(n.id), n.attrs);
        if (p.b) y = tf.add(y, scaled ? tf.mul(p.b, Math.exp(-a.ls)) : p.b);
        out = renorm(y, a.ls);
        break;
      }
      case 'linear': {
        const p = params.get(n.id)!;
        let y: tf.Tensor = tf.matMul(a.t as tf.Tensor2D, weight(n.id) as tf.Tensor2D);
        if (p.b) y = tf.add(y, scaled ? tf.mul(p.b, Math.exp(-a.ls)) : p.b);
        out = renorm(y, a.ls);
        break;
      }
      case 'batchnorm': {
        if (opts.bn === 'identity') { out = a; break; }
        const p = params.get(n.id)!;
        const { mean, variance } = tf.moments(a.t, [0, 1, 2]);
        const y = tf.add(tf.mul(tf.div(tf.sub(a.t, mean), tf.sqrt(tf.add(variance, EPS))), p.gamma!), p.beta!);
        out = { t: y, ls: 0 };
        break;
      }
      case 'relu':
        opts.onRelu?.(a.t, n);
        out = { t: tf.relu(a.t), ls: a.ls };
        break;
      case 'relu6': out = { t: tf.clipByValue(trueValue(a), 0, 6), ls: 0 }; break;
      case 'sigmoid': out = { t: tf.sigmoid(trueValue(a)), ls: 0 }; break;
      case 'swish': { const v = trueValue(a); out = { t: tf.mul(v, tf.sigmoid(v)), ls: 0 }; break; }
      case 'hsigmoid': out = { t: tf.div(tf.clipByValue(tf.add(trueValue(a), 3), 0, 6), 6), ls: 0 }; break;
      case 'hswish': { const v = trueValue(a); out = { t: tf.mul(v, tf.div(tf.clipByValue(tf.add(v, 3), 0, 6), 6)), ls: 0 }; break; }
      case 'avgpool':
        out = { t: avgPoolExcludePad(a.t as tf.Tensor4D, n.attrs.kernel, n.attrs.stride, n.attrs.pad), ls: a.ls };
        break;
      case 'maxpool': {
        const xp = n.attrs.pad > 0 ? tf.pad(a.t as tf.Tensor4D, [[0, 0], [n.attrs.pad, n.attrs.pad], [n.attrs.pad, n.attrs.pad], [0, 0]], -3e38) : a.t;
        out = { t: tf.maxPool(xp as tf.Tensor4D, n.attrs.kernel, n.attrs.stride, 'valid'), ls: a.ls };
        break;
      }
      case 'globalavgpool': out = { t: tf.mean(a.t, [1, 2], true), ls: a.ls }; break;
      case 'flatten': out = { t: tf.reshape(a.t, [a.t.shape[0]!, -1]), ls: a.ls }; break;
      case 'add': {
        const c = common(n.inputs.map(get));
        out = renorm(tf.addN(c.ts), c.ls);
        break;
      }
      case 'mul': {
        const b = get(n.inputs[1]);
        out = { t: tf.mul(a.t, b.t), ls: a.ls + b.ls };
        break;
      }
      case 'zero': out = { t: tf.zerosLike(a.t), ls: 0 }; break;
      case 'channelshuffle': {
        const [nb, h, w, c] = a.t.shape as [number, number, number, number];
        const g = n.attrs.groups;
        const t = tf.reshape(tf.transpose(tf.reshape(a.t, [nb, h, w, g, c / g]), [0, 1, 2, 4, 3]), [nb, h, w, c]);
        out = { t, ls: a.ls };
        break;
      }
      case 'concat': {
        const c = common(n.inputs.map(get));
        out = { t: tf.concat(c.ts, 3), ls: c.ls };
        break;
      }
    }
    return out;
  }
}
