import onnxProto from 'onnx-proto';
import { Rng } from '../util/rng.ts';
import { INPUT_ID, outputShape, shapeOf, type ModelGraph, type Node, type Shape } from './model-graph.ts';

const { onnx } = onnxProto;
type NodeProto = import('onnx-proto').onnx.INodeProto;
type TensorProto = import('onnx-proto').onnx.ITensorProto;
type AttributeProto = import('onnx-proto').onnx.IAttributeProto;

/** Lowest and highest ONNX opset {@link toOnnx} emits (every op used is stable over this range). */
export const MIN_OPSET = 13;
export const MAX_OPSET = 18;

/** Name of the model input (`[1, C, H, W]` float32) and of its output (`[1, classes]`). */
export const ONNX_INPUT = 'input';
export const ONNX_OUTPUT = 'output';

export interface OnnxExportOptions {
  /** ONNX default-domain opset, {@link MIN_OPSET}..{@link MAX_OPSET}. @defaultValue 13 */
  opset?: number;
  /** Seed of the random weights (same seed ⇒ byte-identical model). @defaultValue 0 */
  seed?: number;
}

/**
 * IR version matching an opset: ONNX 1.8 (IR 7) introduced opset 13; ONNX 1.9–1.13 (IR 8) go up
 * to opset 18. onnx-proto 8 encodes IR 8.
 */
function irVersionFor(opset: number): number {
  return opset <= 13 ? 7 : 8;
}

const FLOAT = 1;
const INT64 = 7;

// TensorProto.raw_data is little-endian; typed arrays use the host order.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function floatTensor(name: string, dims: readonly number[], data: Float32Array): TensorProto {
  if (!LITTLE_ENDIAN) throw new Error('ONNX export needs a little-endian host');
  return { name, dims: [...dims], dataType: FLOAT, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

function int64Tensor(name: string, dims: readonly number[], data: readonly number[]): TensorProto {
  if (!LITTLE_ENDIAN) throw new Error('ONNX export needs a little-endian host');
  const a = BigInt64Array.from(data, (v) => BigInt(v));
  return { name, dims: [...dims], dataType: INT64, rawData: new Uint8Array(a.buffer) };
}

const ints = (name: string, v: readonly number[]): AttributeProto => ({ name, type: 7, ints: [...v] });
const int = (name: string, v: number): AttributeProto => ({ name, type: 2, i: v });
const float = (name: string, v: number): AttributeProto => ({ name, type: 1, f: v });

/** Size of the per-seed pool of standard normal deviates weights are drawn from (2^20, 4 MiB). */
const POOL_BITS = 20;
const POOL_SIZE = 1 << POOL_BITS;
const pools = new Map<number, Float32Array>();

/** 2^20 standard normal deviates (Box–Muller on a seeded {@link Rng}), generated once per seed. */
function normalPool(seed: number): Float32Array {
  let pool = pools.get(seed);
  if (pool) return pool;
  const rng = new Rng(seed).fork('onnx-weights');
  pool = new Float32Array(POOL_SIZE);
  const twoPi = 2 * Math.PI;
  for (let i = 0; i < POOL_SIZE; i += 2) {
    // u1 in (0, 1] so that log(u1) is finite.
    const u1 = (rng.nextU32() + 1) / 4294967296;
    const u2 = rng.nextU32() / 4294967296;
    const r = Math.sqrt(-2 * Math.log(u1));
    pool[i] = r * Math.cos(twoPi * u2);
    pool[i + 1] = r * Math.sin(twoPi * u2);
  }
  if (pools.size >= 4) pools.clear();
  pools.set(seed, pool);
  return pool;
}

/**
 * He-normal weights (He et al., ICCV 2015, Eq. 10: Var[w] = 2 / n with n = k²·c_in/groups, the
 * fan-in): a window of the seed's normal pool at an offset drawn from `Rng(seed).fork(label)`,
 * scaled by √(2/n). Each value is N(0, 2/n); windows of different tensors may overlap (the values
 * only need to be realistic, not independent, for latency). A tensor larger than the pool wraps.
 */
function heNormal(seed: number, label: string, count: number, fanIn: number): Float32Array {
  const pool = normalPool(seed);
  const std = Math.sqrt(2 / fanIn);
  const offset = new Rng(seed).fork(label).int(POOL_SIZE);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = std * pool[(offset + i) & (POOL_SIZE - 1)]!;
  return out;
}

/** Everything the per-op emitters append to. */
interface Emit {
  readonly graph: ModelGraph;
  readonly opset: number;
  readonly seed: number;
  readonly nodes: NodeProto[];
  readonly inits: TensorProto[];
  /** Shared scalar initializers, by name (created once). */
  readonly scalars: Set<string>;
  /** ONNX tensor name of an IR value. */
  name(id: string): string;
}

function scalar(e: Emit, name: string, value: number): string {
  if (!e.scalars.has(name)) {
    e.scalars.add(name);
    e.inits.push(floatTensor(name, [], new Float32Array([value])));
  }
  return name;
}

function inC(e: Emit, n: Node): number {
  return shapeOf(e.graph, n.inputs[0]!)[0]!;
}

type Emitter<K extends Node['op']> = (e: Emit, n: Node & { op: K }, out: string) => void;

const hardSigmoidAttrs = (): AttributeProto[] => [float('alpha', 1 / 6), float('beta', 0.5)];

/** `x · f(x)` where `f` is a unary op (swish, and hswish below opset 14). */
function gated(e: Emit, n: Node, out: string, op: string, attribute: AttributeProto[]): void {
  const x = e.name(n.inputs[0]!);
  const gate = `${n.id}/gate`;
  e.nodes.push({ name: `${n.id}/${op}`, opType: op, input: [x], output: [gate], attribute });
  e.nodes.push({ name: n.id, opType: 'Mul', input: [x, gate], output: [out] });
}

function unary(op: string, attribute: () => AttributeProto[] = () => []): (e: Emit, n: Node, out: string) => void {
  return (e, n, out) => void e.nodes.push({ name: n.id, opType: op, input: [e.name(n.inputs[0]!)], output: [out], attribute: attribute() });
}

/** One emitter per IR op: adding an op to the IR means adding a line here. */
const emitters: { [K in Node['op']]: Emitter<K> } = {
  conv: (e, n, out) => {
    const a = n.attrs;
    const perGroup = inC(e, n) / a.groups;
    const w = `${n.id}.weight`;
    e.inits.push(floatTensor(w, [a.outChannels, perGroup, a.kernel, a.kernel], heNormal(e.seed, w, a.outChannels * perGroup * a.kernel * a.kernel, perGroup * a.kernel * a.kernel)));
    const input = [e.name(n.inputs[0]), w];
    if (a.bias) {
      const b = `${n.id}.bias`;
      e.inits.push(floatTensor(b, [a.outChannels], new Float32Array(a.outChannels)));
      input.push(b);
    }
    e.nodes.push({
      name: n.id, opType: 'Conv', input, output: [out],
      attribute: [ints('kernel_shape', [a.kernel, a.kernel]), ints('strides', [a.stride, a.stride]), ints('pads', [a.pad, a.pad, a.pad, a.pad]), ints('dilations', [1, 1]), int('group', a.groups)],
    });
  },
  batchnorm: (e, n, out) => {
    // Inference-form BN with γ = 1, β = 0, running mean 0, running variance 1.
    const c = n.shape[0]!;
    const names = ['scale', 'bias', 'mean', 'var'].map((k) => `${n.id}.${k}`);
    const values = [1, 0, 0, 1];
    names.forEach((nm, i) => e.inits.push(floatTensor(nm, [c], new Float32Array(c).fill(values[i]!))));
    e.nodes.push({ name: n.id, opType: 'BatchNormalization', input: [e.name(n.inputs[0]), ...names], output: [out], attribute: [float('epsilon', 1e-5)] });
  },
  relu: unary('Relu'),
  relu6: (e, n, out) => {
    // Clip takes min/max as inputs since opset 11.
    const lo = scalar(e, 'const.clip_min_0', 0);
    const hi = scalar(e, 'const.clip_max_6', 6);
    e.nodes.push({ name: n.id, opType: 'Clip', input: [e.name(n.inputs[0]), lo, hi], output: [out] });
  },
  // h-swish(x) = x · ReLU6(x + 3) / 6 = x · HardSigmoid(x; α = 1/6, β = 1/2) (Howard et al., ICCV 2019, Eq. 2).
  hswish: (e, n, out) => (e.opset >= 14 ? unary('HardSwish')(e, n, out) : gated(e, n, out, 'HardSigmoid', hardSigmoidAttrs())),
  hsigmoid: unary('HardSigmoid', hardSigmoidAttrs),
  sigmoid: unary('Sigmoid'),
  swish: (e, n, out) => gated(e, n, out, 'Sigmoid', []),
  avgpool: (e, n, out) => {
    const a = n.attrs;
    e.nodes.push({
      name: n.id, opType: 'AveragePool', input: [e.name(n.inputs[0])], output: [out],
      attribute: [ints('kernel_shape', [a.kernel, a.kernel]), ints('strides', [a.stride, a.stride]), ints('pads', [a.pad, a.pad, a.pad, a.pad]), int('count_include_pad', 0)],
    });
  },
  maxpool: (e, n, out) => {
    const a = n.attrs;
    e.nodes.push({
      name: n.id, opType: 'MaxPool', input: [e.name(n.inputs[0])], output: [out],
      attribute: [ints('kernel_shape', [a.kernel, a.kernel]), ints('strides', [a.stride, a.stride]), ints('pads', [a.pad, a.pad, a.pad, a.pad])],
    });
  },
  globalavgpool: unary('GlobalAveragePool'),
  flatten: unary('Flatten', () => [int('axis', 1)]),
  linear: (e, n, out) => {
    const inF = inC(e, n);
    const outF = n.attrs.outFeatures;
    const w = `${n.id}.weight`;
    e.inits.push(floatTensor(w, [outF, inF], heNormal(e.seed, w, outF * inF, inF)));
    const input = [e.name(n.inputs[0]), w];
    if (n.attrs.bias) {
      const b = `${n.id}.bias`;
      e.inits.push(floatTensor(b, [outF], new Float32Array(outF)));
      input.push(b);
    }
    e.nodes.push({ name: n.id, opType: 'Gemm', input, output: [out], attribute: [int('transB', 1)] });
  },
  add: (e, n, out) => {
    // n-ary sums as a chain of binary Adds: every runtime and execution provider has Add.
    let acc = e.name(n.inputs[0]!);
    for (let i = 1; i < n.inputs.length; i++) {
      const last = i === n.inputs.length - 1;
      const dst = last ? out : `${n.id}/partial${i}`;
      e.nodes.push({ name: last ? n.id : `${n.id}/add${i}`, opType: 'Add', input: [acc, e.name(n.inputs[i]!)], output: [dst] });
      acc = dst;
    }
  },
  // A [C,1,1] scale is [1,C,1,1] in ONNX and broadcasts over H, W.
  mul: (e, n, out) => void e.nodes.push({ name: n.id, opType: 'Mul', input: [e.name(n.inputs[0]), e.name(n.inputs[1])], output: [out] }),
  zero: (e, n, out) => {
    const z = scalar(e, 'const.zero', 0);
    e.nodes.push({ name: n.id, opType: 'Mul', input: [e.name(n.inputs[0]), z], output: [out] });
  },
  channelshuffle: (e, n, out) => {
    // [1, C, H, W] → [1, g, C/g, H, W] → swap axes 1, 2 → [1, C, H, W] (Zhang et al., CVPR 2018, §3.1).
    const [c, h, w] = n.shape as [number, number, number];
    const g = n.attrs.groups;
    const split = `${n.id}.split_shape`;
    const merge = `${n.id}.merge_shape`;
    e.inits.push(int64Tensor(split, [5], [1, g, c / g, h, w]), int64Tensor(merge, [4], [1, c, h, w]));
    e.nodes.push(
      { name: `${n.id}/split`, opType: 'Reshape', input: [e.name(n.inputs[0]), split], output: [`${n.id}/grouped`] },
      { name: `${n.id}/transpose`, opType: 'Transpose', input: [`${n.id}/grouped`], output: [`${n.id}/swapped`], attribute: [ints('perm', [0, 2, 1, 3, 4])] },
      { name: n.id, opType: 'Reshape', input: [`${n.id}/swapped`, merge], output: [out] },
    );
  },
  concat: (e, n, out) => void e.nodes.push({ name: n.id, opType: 'Concat', input: n.inputs.map((i) => e.name(i)), output: [out], attribute: [int('axis', 1)] }),
};

function valueInfo(name: string, shape: Shape) {
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim: [1, ...shape].map((d) => ({ dimValue: d })) } } } };
}

/** Build the ONNX ModelProto (not yet serialized) of a graph. */
export function toOnnxModel(graph: ModelGraph, opts: OnnxExportOptions = {}): import('onnx-proto').onnx.IModelProto {
  const opset = opts.opset ?? MIN_OPSET;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) throw new Error(`ONNX opset must be an integer in [${MIN_OPSET}, ${MAX_OPSET}], got ${opset}`);
  if (graph.output === INPUT_ID) throw new Error(`graph ${graph.name} has no nodes between input and output`);
  const e: Emit = {
    graph, opset, seed: opts.seed ?? 0, nodes: [], inits: [], scalars: new Set(),
    name: (id) => (id === INPUT_ID ? ONNX_INPUT : id === graph.output ? ONNX_OUTPUT : id),
  };
  for (const n of graph.nodes) {
    (emitters[n.op] as Emitter<Node['op']>)(e, n, e.name(n.id));
  }
  return {
    irVersion: irVersionFor(opset),
    producerName: 'hwnas',
    opsetImport: [{ domain: '', version: opset }],
    graph: {
      name: graph.name,
      node: e.nodes,
      initializer: e.inits,
      input: [valueInfo(ONNX_INPUT, graph.input)],
      output: [valueInfo(ONNX_OUTPUT, outputShape(graph))],
    },
  };
}

/**
 * Serialize a graph as an ONNX model: input `input` `[1, C, H, W]` float32, output `output`
 * `[1, ...outputShape]` (`[1, classes]`). Weights are He-normal from a seeded {@link Rng}, batch
 * norms are identities; the bytes are a pure function of the graph, opset and seed.
 */
export function toOnnx(graph: ModelGraph, opts: OnnxExportOptions = {}): Uint8Array {
  return onnx.ModelProto.encode(onnx.ModelProto.create(toOnnxModel(graph, opts))).finish();
}

/** Count of ONNX nodes by op type in an exported model (for tests and reports). */
export function onnxOpCounts(model: import('onnx-proto').onnx.IModelProto): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const n of model.graph?.node ?? []) counts[n.opType ?? '?'] = (counts[n.opType ?? '?'] ?? 0) + 1;
  return counts;
}
