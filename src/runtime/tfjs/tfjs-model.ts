import * as tf from '@tensorflow/tfjs-core';
import { INPUT_ID, shapeOf, type ModelGraph, type Node } from '../../graph/model-graph.ts';
import { Rng } from '../../util/rng.ts';
import { batchNormTrain } from './batch-norm-train.ts';
import { conv2dWithGrad, depthwiseConv2dWithGrad, type ConvFn } from './conv-grads.ts';

/**
 * A {@link ModelGraph} as an executable TensorFlow.js model: weights are `tf.Variable`s on the
 * current tfjs backend, `forward` runs the IR node by node.
 *
 * Layout: tfjs convolutions are NHWC, so `forward` takes and returns NHWC tensors (`[N, H, W, C]`
 * feature maps, `[N, F]` vectors); use {@link nchwToNhwc} for NCHW data. Everything numeric matches
 * the ONNX export (`src/graph/onnx-export.ts`) op for op (flatten uses the C·H·W order of ONNX); built
 * with `weights: onnxWeights(graph, { seed })` (`./onnx-weights.ts`) a tfjs model computes the same
 * function as the ORT session of `toOnnx(graph, { seed })`. The default weights are seeded He-normal
 * draws of their own (not the export's bytes).
 *
 * Usage:
 * ```ts
 * await useTfjsBackend('cpu');                       // ./tfjs-backends.ts
 * const model = buildTfjsModel(graph, { seed: 0 });
 * const logits = model.forward(nhwcBatch);            // [N, classes]
 * // training: import './tfjs-gradients.ts' once, then forward(x, { training: true }) inside tf.variableGrads
 * model.dispose();
 * ```
 */

/** Role of a variable inside its IR node. */
export type VariableRole = 'weight' | 'bias' | 'gamma' | 'beta' | 'runningMean' | 'runningVar';

/** A model variable with the IR node it belongs to. */
export interface NamedVariable {
  /** ONNX initializer name of the same tensor: `<node>.weight`, `<node>.bias`, `<node>.scale` (γ), `<node>.bias` (β), `<node>.mean`, `<node>.var`. */
  readonly name: string;
  readonly nodeId: string;
  readonly role: VariableRole;
  /** Trained by gradient descent (running statistics are not). */
  readonly trainable: boolean;
  readonly variable: tf.Variable;
}

/**
 * Supplies the initial value of a variable in ONNX layout (conv `[outC, inC/groups, k, k]`, linear
 * `[out, in]`, batch-norm vectors `[C]`), or `undefined` to use the seeded default. Lets a test load
 * the very initializers of an exported ONNX model.
 */
export type WeightProvider = (name: string, onnxShape: readonly number[]) => Float32Array | undefined;

export interface TfjsModelOptions {
  /** Seed of the default He-normal weights. @defaultValue 0 */
  seed?: number;
  /** Initial values by ONNX initializer name; missing ones use the seeded default. */
  weights?: WeightProvider;
  /** Running-statistics momentum of batch norm (PyTorch convention: new = (1−m)·old + m·batch). @defaultValue 0.1 */
  bnMomentum?: number;
  /** Batch-norm ε, as in the ONNX export. @defaultValue 1e-5 */
  bnEpsilon?: number;
  /**
   * Whether training-mode gradients reach the input batch. By default the convolutions reading the
   * input skip ∂x (nothing trains the images); a gradient asking for it then fails loudly. Turn on
   * for gradients w.r.t. the images (saliency maps, input attacks). @defaultValue false
   */
  inputGradients?: boolean;
}

export interface ForwardOptions {
  /** Batch norm uses batch statistics and updates its running ones. @defaultValue false */
  training?: boolean;
  /**
   * Convolutions carry hwnas's own gradients (`./conv-grads.ts`): the only way to differentiate them
   * on wasm, and much faster on cpu. Same values either way. @defaultValue the value of `training`
   */
  customGradients?: boolean;
}

export interface TfjsModel {
  readonly graph: ModelGraph;
  /** Output of the graph for an NHWC batch `[N, H, W, C]`; logits come out `[N, classes]`. */
  forward(x: tf.Tensor4D, opts?: ForwardOptions): tf.Tensor;
  /** Every variable, in node order. */
  readonly variables: readonly NamedVariable[];
  /** The trainable variables (for optimizers and `tf.variableGrads`). */
  trainableVariables(): tf.Variable[];
  /** Frees every variable and constant of the model. */
  dispose(): void;
}

/** NCHW → NHWC. */
export function nchwToNhwc(x: tf.Tensor4D): tf.Tensor4D {
  return tf.transpose(x, [0, 2, 3, 1]);
}

/**
 * He-normal values (He et al., ICCV 2015, Eq. 10: Var[w] = 2 / fan-in), Box–Muller on the node's own
 * forked {@link Rng}, so a node's weights depend only on the seed and the node id.
 */
export function heNormalValues(seed: number, nodeId: string, count: number, fanIn: number): Float32Array {
  const rng = new Rng(seed).fork(nodeId);
  const std = Math.sqrt(2 / fanIn);
  const out = new Float32Array(count);
  const twoPi = 2 * Math.PI;
  for (let i = 0; i < count; i += 2) {
    // u1 in (0, 1] so that log(u1) is finite.
    const u1 = (rng.nextU32() + 1) / 4294967296;
    const u2 = rng.nextU32() / 4294967296;
    const r = std * Math.sqrt(-2 * Math.log(u1));
    out[i] = r * Math.cos(twoPi * u2);
    if (i + 1 < count) out[i + 1] = r * Math.sin(twoPi * u2);
  }
  return out;
}

/**
 * Global average pooling `[N,H,W,C]` → `[N,1,1,C]` for training: XNNPACK's average pooling forward
 * (tf.mean over H, W transposes the activation on wasm), ∂x = ∂y / (H·W) broadcast by a multiply
 * (tfjs-wasm's AvgPoolGrad and Tile are 100× slower). Same values as tf.mean.
 */
function globalAvgPoolWithGrad(h: number, w: number): (x: tf.Tensor4D) => tf.Tensor4D {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor4D;
    return {
      value: tf.avgPool(x, [h, w], 1, 'valid'),
      gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.fill([1, h, w, 1], 1 / (h * w))),
    };
  }) as (x: tf.Tensor4D) => tf.Tensor4D;
}

/** Lowest float32: the padding value of max pooling (never selected over a real cell). */
const LOWEST_F32 = -3.4028234663852886e38;

type Layer = (inputs: tf.Tensor[], training: boolean, customGradients: boolean) => tf.Tensor;

let modelCounter = 0;

class Builder {
  readonly variables: NamedVariable[] = [];
  /** Constants owned by the model (avg-pool divisors). */
  readonly constants: tf.Tensor[] = [];
  private readonly seed: number;
  private readonly momentum: number;
  private readonly eps: number;

  constructor(readonly graph: ModelGraph, private readonly opts: TfjsModelOptions) {
    this.seed = opts.seed ?? 0;
    this.momentum = opts.bnMomentum ?? 0.1;
    this.eps = opts.bnEpsilon ?? 1e-5;
  }

  private inShape(n: Node): readonly number[] {
    return shapeOf(this.graph, n.inputs[0]!);
  }

  private value(name: string, onnxShape: readonly number[], fallback: () => Float32Array): Float32Array {
    const given = this.opts.weights?.(name, onnxShape);
    const count = onnxShape.reduce((a, b) => a * b, 1);
    if (given !== undefined && given.length !== count) {
      throw new Error(`weight ${name} has ${given.length} values, expected ${count} for [${onnxShape.join(',')}]`);
    }
    return given ?? fallback();
  }

  private add(n: Node, role: VariableRole, name: string, t: tf.Tensor, trainable: boolean): tf.Variable {
    // tfjs variable names are global: make them unique per model instance.
    const v = tf.variable(t, trainable, `hwnas${modelCounter}/${name}`);
    t.dispose();
    this.variables.push({ name, nodeId: n.id, role, trainable, variable: v });
    return v;
  }

  private filled(c: number, value: number): () => Float32Array {
    return () => new Float32Array(c).fill(value);
  }

  layer(n: Node): Layer {
    switch (n.op) {
      case 'conv': return this.conv(n);
      case 'batchnorm': return this.batchnorm(n);
      case 'relu': return ([x]) => tf.relu(x!);
      case 'relu6': return ([x]) => tf.relu6(x!);
      // h-swish(x) = x · ReLU6(x + 3) / 6 (Howard et al., ICCV 2019, Eq. 2); h-sigmoid = ReLU6(x + 3) / 6.
      case 'hswish': return ([x]) => tf.tidy(() => tf.mul(x!, tf.div(tf.relu6(tf.add(x!, 3)), 6)));
      case 'hsigmoid': return ([x]) => tf.tidy(() => tf.div(tf.relu6(tf.add(x!, 3)), 6));
      case 'sigmoid': return ([x]) => tf.sigmoid(x!);
      case 'swish': return ([x]) => tf.tidy(() => tf.mul(x!, tf.sigmoid(x!)));
      case 'avgpool': return this.avgpool(n);
      case 'maxpool': {
        const { kernel, stride, pad } = n.attrs;
        return ([x]) => tf.tidy(() => {
          const padded = pad > 0 ? tf.pad(x as tf.Tensor4D, [[0, 0], [pad, pad], [pad, pad], [0, 0]], LOWEST_F32) : x as tf.Tensor4D;
          return tf.maxPool(padded, kernel, stride, 'valid');
        });
      }
      case 'globalavgpool': {
        const [, h, w] = this.inShape(n) as [number, number, number];
        const gap = globalAvgPoolWithGrad(h, w);
        return ([x], _training, customGradients) => (customGradients ? gap(x as tf.Tensor4D) : tf.mean(x!, [1, 2], true));
      }
      case 'flatten': {
        const [, h, w] = this.inShape(n);
        const size = n.shape[0]!;
        // ONNX flattens [C, H, W] in C-major order: go back to NCHW unless H = W = 1.
        if (h === undefined || (h === 1 && w === 1)) return ([x]) => tf.reshape(x!, [-1, size]);
        return ([x]) => tf.tidy(() => tf.reshape(tf.transpose(x!, [0, 3, 1, 2]), [-1, size]));
      }
      case 'linear': {
        const inF = this.inShape(n)[0]!;
        const outF = n.attrs.outFeatures;
        const wOnnx = this.value(`${n.id}.weight`, [outF, inF], () => heNormalValues(this.seed, n.id, outF * inF, inF));
        const w = this.add(n, 'weight', `${n.id}.weight`, tf.tidy(() => tf.transpose(tf.tensor2d(wOnnx, [outF, inF]))), true);
        const b = n.attrs.bias ? this.add(n, 'bias', `${n.id}.bias`, tf.tensor1d(this.value(`${n.id}.bias`, [outF], this.filled(outF, 0))), true) : undefined;
        return ([x]) => tf.tidy(() => {
          const y = tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D);
          return b ? tf.add(y, b) : y;
        });
      }
      case 'add': return (xs) => (xs.length === 2 ? tf.add(xs[0]!, xs[1]!) : tf.addN(xs));
      case 'mul': return ([x, s]) => tf.mul(x!, s!);
      case 'zero': return ([x]) => tf.zerosLike(x!);
      case 'channelshuffle': {
        // [N, H, W, C] → [N, H, W, g, C/g] → swap the last two → [N, H, W, C] (Zhang et al., CVPR 2018, §3.1).
        const [c, h, w] = n.shape as [number, number, number];
        const g = n.attrs.groups;
        return ([x]) => tf.tidy(() => tf.reshape(tf.transpose(tf.reshape(x!, [-1, h, w, g, c / g]), [0, 1, 2, 4, 3]), [-1, h, w, c]));
      }
      case 'concat': return (xs) => tf.concat(xs, 3);
    }
  }

  private conv(n: Extract<Node, { op: 'conv' }>): Layer {
    const a = n.attrs;
    const inC = this.inShape(n)[0]!;
    const perGroup = inC / a.groups;
    const k = a.kernel;
    const onnxShape = [a.outChannels, perGroup, k, k];
    const wOnnx = this.value(`${n.id}.weight`, onnxShape, () => heNormalValues(this.seed, n.id, a.outChannels * perGroup * k * k, perGroup * k * k));
    const depthwise = a.groups === inC && a.groups > 1;
    // OIHW → tfjs: conv2d filters are [k, k, in/groups, out]; depthwise filters are [k, k, C, multiplier],
    // output channel c·m + j coming from input channel c (the ONNX group order).
    const filter = tf.tidy(() => {
      const hwio = tf.transpose(tf.tensor4d(wOnnx, onnxShape as [number, number, number, number]), [2, 3, 1, 0]);
      return depthwise ? tf.reshape(hwio, [k, k, inC, a.outChannels / inC]) : hwio;
    });
    const w = this.add(n, 'weight', `${n.id}.weight`, filter, true);
    const b = a.bias ? this.add(n, 'bias', `${n.id}.bias`, tf.tensor1d(this.value(`${n.id}.bias`, [a.outChannels], this.filled(a.outChannels, 0))), true) : undefined;
    const pad = a.pad === 0 ? 'valid' : a.pad;
    const outPer = a.outChannels / a.groups;
    const native: ConvFn = depthwise
      ? (xi, wi) => tf.depthwiseConv2d(xi, wi, a.stride, pad)
      : (xi, wi) => tf.conv2d(xi, wi, a.stride, pad);
    const inputGrad = n.inputs[0] !== INPUT_ID || (this.opts.inputGradients ?? false);
    const custom = depthwise ? depthwiseConv2dWithGrad(a.stride, a.pad, { inputGrad }) : conv2dWithGrad(a.stride, a.pad, { inputGrad });
    const run = (x: tf.Tensor4D, f: ConvFn): tf.Tensor4D => {
      if (depthwise || a.groups === 1) return f(x, w as tf.Tensor4D);
      // General grouped convolution: one convolution per channel group, outputs concatenated.
      const xs = tf.split(x, a.groups, 3) as tf.Tensor4D[];
      const ys = xs.map((xg, gi) => f(xg, tf.slice(w as tf.Tensor4D, [0, 0, 0, gi * outPer], [k, k, perGroup, outPer])));
      return tf.concat(ys, 3);
    };
    return ([x], _training, customGradients) => tf.tidy(() => {
      const y = run(x as tf.Tensor4D, customGradients ? custom : native);
      return b ? tf.add(y, b) : y;
    });
  }

  private batchnorm(n: Extract<Node, { op: 'batchnorm' }>): Layer {
    const c = n.shape[0]!;
    const vec = (key: string, role: VariableRole, fill: number, trainable: boolean): tf.Variable =>
      this.add(n, role, `${n.id}.${key}`, tf.tensor1d(this.value(`${n.id}.${key}`, [c], this.filled(c, fill))), trainable);
    const gamma = vec('scale', 'gamma', 1, true);
    const beta = vec('bias', 'beta', 0, true);
    const mean = vec('mean', 'runningMean', 0, false);
    const variance = vec('var', 'runningVar', 1, false);
    const m = this.momentum;
    const eps = this.eps;
    return ([x], training) => {
      if (!training) return tf.batchNorm(x!, mean, variance, beta, gamma, eps);
      // Training: normalise with the batch's statistics (Ioffe & Szegedy, ICML 2015, Alg. 1) and fold
      // them into the running ones; the running variance takes the unbiased batch variance, as PyTorch.
      const count = x!.size / c;
      return batchNormTrain(x!, gamma as tf.Tensor1D, beta as tf.Tensor1D, eps, (stats) => {
        mean.assign(tf.add(tf.mul(mean, 1 - m), tf.mul(stats.mean, m)));
        const unbiased = count > 1 ? tf.mul(stats.variance, count / (count - 1)) : stats.variance;
        variance.assign(tf.add(tf.mul(variance, 1 - m), tf.mul(unbiased, m)));
      });
    };
  }

  private avgpool(n: Extract<Node, { op: 'avgpool' }>): Layer {
    const { kernel, stride, pad } = n.attrs;
    if (pad === 0) return ([x]) => tf.avgPool(x as tf.Tensor4D, kernel, stride, 'valid');
    // Padded cells are not counted (ONNX count_include_pad = 0): average of the zero-padded input
    // divided by the fraction of real cells in each window, a constant [1, H', W', 1] map.
    const [, h, w] = this.inShape(n) as [number, number, number];
    const padding: [number, number][] = [[0, 0], [pad, pad], [pad, pad], [0, 0]];
    const fraction = tf.tidy(() => tf.avgPool(tf.pad(tf.ones([1, h, w, 1]) as tf.Tensor4D, padding), kernel, stride, 'valid'));
    this.constants.push(fraction);
    return ([x]) => tf.tidy(() => tf.div(tf.avgPool(tf.pad(x as tf.Tensor4D, padding), kernel, stride, 'valid'), fraction));
  }
}

/**
 * Build a tfjs model of a graph on the current tfjs backend (set it first, e.g. with
 * `useTfjsBackend`). Weights: conv and linear He-normal from `seed` (as the ONNX export), conv and
 * linear biases 0, batch norm γ = 1, β = 0, running mean 0 and variance 1.
 */
export function buildTfjsModel(graph: ModelGraph, opts: TfjsModelOptions = {}): TfjsModel {
  modelCounter++;
  const b = new Builder(graph, opts);
  const layers = graph.nodes.map((n) => ({ node: n, layer: b.layer(n) }));
  const variables = b.variables;
  // How many times each value is read (the output once more, by the caller).
  const uses = new Map<string, number>([[graph.output, 1]]);
  for (const n of graph.nodes) for (const i of n.inputs) uses.set(i, (uses.get(i) ?? 0) + 1);
  let disposed = false;
  return {
    graph,
    variables,
    forward(x, fopts = {}) {
      if (disposed) throw new Error(`tfjs model ${graph.name} was disposed`);
      const [, h, w, c] = x.shape;
      const [ec, eh, ew] = graph.input;
      if (h !== eh || w !== ew || c !== ec) {
        throw new Error(`tfjs model ${graph.name} takes NHWC [N,${eh},${ew},${ec}], got [${x.shape.join(',')}]`);
      }
      const training = fopts.training ?? false;
      const customGradients = fopts.customGradients ?? training;
      return tf.tidy(() => {
        const values = new Map<string, tf.Tensor>([[INPUT_ID, x]]);
        const left = new Map(uses);
        for (const { node, layer } of layers) {
          values.set(node.id, layer(node.inputs.map((i) => values.get(i)!), training, customGradients));
          // Free an activation after its last reader (tidy would only at the end): a gradient that
          // needs it keeps its own reference, so this bounds memory to the live activations.
          for (const i of new Set(node.inputs)) {
            const n = left.get(i)! - node.inputs.filter((j) => j === i).length;
            left.set(i, n);
            if (n === 0 && i !== INPUT_ID) values.get(i)!.dispose();
          }
        }
        return values.get(graph.output)!;
      });
    },
    trainableVariables: () => variables.filter((v) => v.trainable).map((v) => v.variable),
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const v of variables) v.variable.dispose();
      for (const t of b.constants) t.dispose();
    },
  };
}
