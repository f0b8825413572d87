import { InputError } from '../errors.ts';
import { MAX_GRAPH_NODES, MAX_MODEL_FLOPS, MAX_MODEL_PARAMS, MAX_TENSOR_ELEMENTS } from '../limits.ts';
import { countFlops, countParams } from './count.ts';
import { INPUT_ID, type Activation, type ModelGraph, type Node, type Shape } from './model-graph.ts';

/** Handle to a value in a graph being built: its node id and its inferred shape. */
export interface Tensor {
  readonly id: string;
  readonly shape: Shape;
}

export interface ConvOptions {
  kernel: number;
  /** @defaultValue 1 */
  stride?: number;
  /** @defaultValue `kernel >> 1` ("same" padding for odd kernels) */
  pad?: number;
  /** @defaultValue 1 */
  groups?: number;
  /** @defaultValue false */
  bias?: boolean;
}

function badShape(message: string, where: string): never {
  throw new InputError('bad-shape', message, { path: where });
}

/** `n` in words for limit messages: exact below 10^6, else 3 significant digits. */
function amount(n: number): string {
  return n < 1e6 ? String(n) : n.toExponential(2).replace('e+', 'e');
}

/** Refuse a tensor (weights, or the activation of one image) with more than {@link MAX_TENSOR_ELEMENTS} values. */
function checkElements(what: string, shape: readonly number[], where: string): void {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n > MAX_TENSOR_ELEMENTS) {
    throw new InputError('bad-shape', `${what} [${shape.join(',')}] has ${amount(n)} elements, too many to allocate`, { path: where, expected: `at most ${MAX_TENSOR_ELEMENTS} (2^28) per tensor` });
  }
}

/** Spatial output size of a convolution or pooling window (floor mode). */
export function convOutSize(size: number, kernel: number, stride: number, pad: number): number {
  return Math.floor((size + 2 * pad - kernel) / stride) + 1;
}

/**
 * Builds a {@link ModelGraph} op by op, inferring each output shape and throwing an
 * {@link InputError} (`bad-shape`) for an impossible one (channels not divisible by groups, a window
 * larger than its padded input, mismatched shapes in an add).
 */
export class GraphBuilder {
  private readonly nodes: Node[] = [];
  private readonly counters = new Map<string, number>();
  readonly input: Tensor;

  constructor(readonly name: string, inputShape: Shape) {
    if (inputShape.length !== 3 || inputShape.some((d) => !Number.isInteger(d) || d <= 0)) {
      badShape(`input shape must be [channels, height, width] of positive integers`, 'input');
    }
    checkElements('input', inputShape, 'input');
    this.input = { id: INPUT_ID, shape: inputShape };
  }

  private nextId(prefix: string): string {
    const n = this.counters.get(prefix) ?? 0;
    this.counters.set(prefix, n + 1);
    return `${prefix}_${n}`;
  }

  private push<N extends Node>(node: N): Tensor {
    if (this.nodes.length >= MAX_GRAPH_NODES) badShape(`graph has more than ${MAX_GRAPH_NODES} nodes`, node.id);
    checkElements(`output of ${node.op}`, node.shape, node.id);
    this.nodes.push(node);
    return { id: node.id, shape: node.shape };
  }

  private static chw(x: Tensor, op: string): [number, number, number] {
    const [c, h, w] = x.shape;
    if (x.shape.length !== 3 || c === undefined || h === undefined || w === undefined) {
      badShape(`${op} needs a [C,H,W] feature map, got [${x.shape.join(',')}]`, x.id);
    }
    return [c, h, w];
  }

  conv(x: Tensor, outChannels: number, o: ConvOptions): Tensor {
    const [c, h, w] = GraphBuilder.chw(x, 'conv');
    const stride = o.stride ?? 1;
    const pad = o.pad ?? o.kernel >> 1;
    const groups = o.groups ?? 1;
    const id = this.nextId(groups === c && groups > 1 ? 'dwconv' : 'conv');
    if (!Number.isInteger(outChannels) || outChannels <= 0) badShape(`conv needs a positive channel count, got ${outChannels}`, id);
    if (!Number.isInteger(o.kernel) || o.kernel <= 0 || !Number.isInteger(stride) || stride <= 0 || !Number.isInteger(groups) || groups <= 0) {
      badShape(`conv needs positive integer kernel, stride and groups, got ${o.kernel}, ${stride}, ${groups}`, id);
    }
    if (c % groups !== 0 || outChannels % groups !== 0) {
      badShape(`conv groups ${groups} must divide input channels ${c} and output channels ${outChannels}`, id);
    }
    const oh = convOutSize(h, o.kernel, stride, pad);
    const ow = convOutSize(w, o.kernel, stride, pad);
    if (oh <= 0 || ow <= 0) badShape(`conv kernel ${o.kernel} stride ${stride} does not fit a ${h}x${w} input`, id);
    checkElements('conv weights', [outChannels, c / groups, o.kernel, o.kernel], id);
    return this.push({
      id, op: 'conv', inputs: [x.id],
      attrs: { outChannels, kernel: o.kernel, stride, pad, groups, bias: o.bias ?? false },
      shape: [outChannels, oh, ow],
    });
  }

  batchnorm(x: Tensor): Tensor {
    GraphBuilder.chw(x, 'batchnorm');
    return this.push({ id: this.nextId('bn'), op: 'batchnorm', inputs: [x.id], shape: x.shape });
  }

  act(x: Tensor, fn: Activation): Tensor {
    return this.push({ id: this.nextId(fn), op: fn, inputs: [x.id], shape: x.shape });
  }

  avgpool(x: Tensor, kernel: number, stride: number, pad: number): Tensor {
    return this.pool('avgpool', x, kernel, stride, pad);
  }

  maxpool(x: Tensor, kernel: number, stride: number, pad: number): Tensor {
    return this.pool('maxpool', x, kernel, stride, pad);
  }

  private pool(op: 'avgpool' | 'maxpool', x: Tensor, kernel: number, stride: number, pad: number): Tensor {
    const [c, h, w] = GraphBuilder.chw(x, op);
    const id = this.nextId(op);
    const oh = convOutSize(h, kernel, stride, pad);
    const ow = convOutSize(w, kernel, stride, pad);
    if (oh <= 0 || ow <= 0) badShape(`${op} window ${kernel} does not fit a ${h}x${w} input`, id);
    return this.push({ id, op, inputs: [x.id], attrs: { kernel, stride, pad }, shape: [c, oh, ow] });
  }

  globalAvgPool(x: Tensor): Tensor {
    const [c] = GraphBuilder.chw(x, 'globalavgpool');
    return this.push({ id: this.nextId('gap'), op: 'globalavgpool', inputs: [x.id], shape: [c, 1, 1] });
  }

  flatten(x: Tensor): Tensor {
    const size = x.shape.reduce((a, b) => a * b, 1);
    return this.push({ id: this.nextId('flatten'), op: 'flatten', inputs: [x.id], shape: [size] });
  }

  linear(x: Tensor, outFeatures: number, bias = true): Tensor {
    const id = this.nextId('fc');
    if (x.shape.length !== 1) badShape(`linear needs a vector, got [${x.shape.join(',')}]`, id);
    if (!Number.isInteger(outFeatures) || outFeatures <= 0) badShape(`linear needs a positive feature count, got ${outFeatures}`, id);
    checkElements('linear weights', [outFeatures, x.shape[0]!], id);
    return this.push({ id, op: 'linear', inputs: [x.id], attrs: { outFeatures, bias }, shape: [outFeatures] });
  }

  add(...xs: Tensor[]): Tensor {
    const id = this.nextId('add');
    const first = xs[0];
    if (!first || xs.length < 2) badShape('add needs at least two inputs', id);
    for (const x of xs) {
      if (x.shape.join(',') !== first.shape.join(',')) {
        badShape(`add inputs differ in shape: [${first.shape.join(',')}] vs [${x.shape.join(',')}]`, id);
      }
    }
    return this.push({ id, op: 'add', inputs: xs.map((x) => x.id), shape: first.shape });
  }

  /** `x * scale`, where `scale` is shaped like `x` or `[C,1,1]` (broadcast over H, W). */
  mul(x: Tensor, scale: Tensor): Tensor {
    const id = this.nextId('mul');
    const [c] = GraphBuilder.chw(x, 'mul');
    const ok = scale.shape.join(',') === x.shape.join(',') || scale.shape.join(',') === `${c},1,1`;
    if (!ok) badShape(`mul cannot broadcast [${scale.shape.join(',')}] onto [${x.shape.join(',')}]`, id);
    return this.push({ id, op: 'mul', inputs: [x.id, scale.id], shape: x.shape });
  }

  channelShuffle(x: Tensor, groups: number): Tensor {
    const [c] = GraphBuilder.chw(x, 'channelshuffle');
    const id = this.nextId('shuffle');
    if (c % groups !== 0) badShape(`channel shuffle groups ${groups} must divide ${c} channels`, id);
    return this.push({ id, op: 'channelshuffle', inputs: [x.id], attrs: { groups }, shape: x.shape });
  }

  zero(x: Tensor): Tensor {
    return this.push({ id: this.nextId('zero'), op: 'zero', inputs: [x.id], shape: x.shape });
  }

  concat(...xs: Tensor[]): Tensor {
    const id = this.nextId('concat');
    const first = xs[0];
    if (!first || xs.length < 2) badShape('concat needs at least two inputs', id);
    const [, h, w] = GraphBuilder.chw(first, 'concat');
    let c = 0;
    for (const x of xs) {
      const [cx, hx, wx] = GraphBuilder.chw(x, 'concat');
      if (hx !== h || wx !== w) badShape(`concat inputs differ in size: ${h}x${w} vs ${hx}x${wx}`, id);
      c += cx;
    }
    return this.push({ id, op: 'concat', inputs: xs.map((x) => x.id), shape: [c, h, w] });
  }

  /**
   * Finish the graph at `output`. Nodes that do not reach the output are dropped (dead code: a
   * runtime never computes them, so they count neither in params nor FLOPs).
   */
  build(output: Tensor): ModelGraph {
    const live = new Set<string>([output.id]);
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const n = this.nodes[i]!;
      if (live.has(n.id)) for (const inp of n.inputs) live.add(inp);
    }
    const graph: ModelGraph = { name: this.name, input: this.input.shape, nodes: this.nodes.filter((n) => live.has(n.id)), output: output.id };
    // Counts stay exact integers (far below 2^53) and every model fits one ONNX file.
    const params = countParams(graph);
    if (params > MAX_MODEL_PARAMS) {
      throw new InputError('bad-shape', `model ${this.name} has ${amount(params)} parameters, too many`, { expected: `at most ${MAX_MODEL_PARAMS} (2^28)` });
    }
    const flops = countFlops(graph);
    if (flops > MAX_MODEL_FLOPS) {
      throw new InputError('bad-shape', `model ${this.name} has ${amount(flops)} multiply-accumulates, too many`, { expected: `at most ${amount(MAX_MODEL_FLOPS)}` });
    }
    return graph;
  }
}
