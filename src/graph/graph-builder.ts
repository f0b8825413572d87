import { InputError } from '../errors.ts';
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
    this.input = { id: INPUT_ID, shape: inputShape };
  }

  private nextId(prefix: string): string {
    const n = this.counters.get(prefix) ?? 0;
    this.counters.set(prefix, n + 1);
    return `${prefix}_${n}`;
  }

  private push<N extends Node>(node: N): Tensor {
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
    if (c % groups !== 0 || outChannels % groups !== 0) {
      badShape(`conv groups ${groups} must divide input channels ${c} and output channels ${outChannels}`, id);
    }
    const oh = convOutSize(h, o.kernel, stride, pad);
    const ow = convOutSize(w, o.kernel, stride, pad);
    if (oh <= 0 || ow <= 0) badShape(`conv kernel ${o.kernel} stride ${stride} does not fit a ${h}x${w} input`, id);
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
    return { name: this.name, input: this.input.shape, nodes: this.nodes.filter((n) => live.has(n.id)), output: output.id };
  }
}
