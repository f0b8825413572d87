import type { GraphBuilder, Tensor } from '../graph/graph-builder.ts';
import type { Activation } from '../graph/model-graph.ts';

/**
 * Building blocks of MobileNet-style spaces (MnasNet, FBNet, ProxylessNAS, OFA-MobileNetV3), shared
 * by the space families so that one block spec always builds the same subgraph.
 */

/** Squeeze-excite settings (Hu et al., CVPR 2018): pool → 1×1 reduce + ReLU → 1×1 expand + gate → scale. */
export interface SqueezeExcite {
  /** Reduced channels = `ratio` × the channels of `of` (see {@link seChannels}). */
  ratio: number;
  /**
   * `in`: of the block input (MnasNet, TF reference: `max(1, floor(in · ratio))`);
   * `mid`: of the expanded (mid) channels, rounded to a multiple of 8 (OFA:
   * `makeDivisible(mid · ratio, 8)`).
   */
  of: 'in' | 'mid';
  /** Gate activation: `sigmoid` (MnasNet) or `hsigmoid` (MobileNetV3 / OFA). */
  gate: 'sigmoid' | 'hsigmoid';
}

/** One searchable layer of a mobile space. */
export type MobileBlock =
  /** Identity; where the stride is not 1 or the channels change, conv 1×1 with that stride + BN. */
  | { op: 'skip' }
  /** Regular k×k conv + BN + act (MnasNet `conv`), optional SE, identity residual if allowed. */
  | { op: 'conv'; kernel: number; act: Activation; se?: SqueezeExcite; residual: boolean }
  /**
   * Depthwise-separable conv (MnasNet `dconv`, MobileNetV1): depthwise k×k + BN + act, optional SE,
   * 1×1 to out + BN (linear), identity residual if allowed.
   */
  | { op: 'dwsep'; kernel: number; act: Activation; se?: SqueezeExcite; residual: boolean }
  /**
   * Inverted residual (Sandler et al., CVPR 2018; FBNet, Wu et al. CVPR 2019, Fig. 3): conv 1×1
   * (groups `groups`) to `mid` + BN + act (left out when `mid === in` and `expandConv` is false),
   * channel shuffle when `groups > 1`, depthwise k×k with the stride + BN + act, optional SE,
   * conv 1×1 (groups `groups`) to out + BN; identity residual when allowed.
   */
  | {
      op: 'mbconv';
      kernel: number;
      /** Expansion ratio: mid = in × expand unless `mid` is given. */
      expand: number;
      /** Mid channels, overriding `in × expand` (OFA gives it in its LUT keys). */
      mid?: number;
      act: Activation;
      se?: SqueezeExcite;
      /** Keep the 1×1 expansion conv when mid = in (FBNet's `_e1` blocks have it). */
      expandConv: boolean;
      /** Groups of both 1×1 convs (FBNet `_g2`); channel shuffle after the expansion when > 1. */
      groups: number;
      /** Whether the identity residual is used where the shapes allow it. */
      residual: boolean;
    };

/** MobileNet's `_make_divisible` (Sandler et al. 2018, reference code): nearest multiple of `d`, ≥ d, not below 90 %. */
export function makeDivisible(v: number, d = 8): number {
  const r = Math.max(d, Math.floor((v + d / 2) / d) * d);
  return r < 0.9 * v ? r + d : r;
}

/** Reduced channel count of a squeeze-excite on a block with `inC` input and `mid` mid channels. */
export function seChannels(se: SqueezeExcite, inC: number, mid: number): number {
  return se.of === 'in' ? Math.max(1, Math.floor(inC * se.ratio)) : makeDivisible(mid * se.ratio, 8);
}

/** Mid (expanded) channels of a block on `inC` input channels (`inC` for non-mbconv blocks). */
export function midChannels(block: MobileBlock, inC: number): number {
  if (block.op !== 'mbconv') return inC;
  return block.mid ?? inC * block.expand;
}

/** Whether the block adds its input to its output (stride 1, same channels, residual allowed). */
export function hasResidual(block: MobileBlock, inC: number, out: number, stride: number): boolean {
  return block.op !== 'skip' && block.residual && stride === 1 && inC === out;
}

function squeezeExcite(b: GraphBuilder, y: Tensor, se: SqueezeExcite, reduce: number): Tensor {
  const c = y.shape[0]!;
  let s = b.globalAvgPool(y);
  s = b.act(b.conv(s, reduce, { kernel: 1, pad: 0, bias: true }), 'relu');
  s = b.act(b.conv(s, c, { kernel: 1, pad: 0, bias: true }), se.gate);
  return b.mul(y, s);
}

/** Build `block` on `x` with `out` channels and `stride`; returns `x` itself for an identity skip. */
export function buildMobileBlock(b: GraphBuilder, x: Tensor, block: MobileBlock, out: number, stride: number): Tensor {
  const inC = x.shape[0]!;
  if (block.op === 'skip') {
    if (stride === 1 && inC === out) return x;
    return b.batchnorm(b.conv(x, out, { kernel: 1, stride, pad: 0 }));
  }
  let y: Tensor;
  if (block.op === 'conv') {
    y = b.act(b.batchnorm(b.conv(x, out, { kernel: block.kernel, stride })), block.act);
    if (block.se) y = squeezeExcite(b, y, block.se, seChannels(block.se, inC, out));
  } else if (block.op === 'dwsep') {
    y = b.act(b.batchnorm(b.conv(x, inC, { kernel: block.kernel, stride, groups: inC })), block.act);
    if (block.se) y = squeezeExcite(b, y, block.se, seChannels(block.se, inC, inC));
    y = b.batchnorm(b.conv(y, out, { kernel: 1, pad: 0 }));
  } else {
    const mid = midChannels(block, inC);
    y = x;
    if (mid !== inC || block.expandConv) {
      y = b.act(b.batchnorm(b.conv(y, mid, { kernel: 1, pad: 0, groups: block.groups })), block.act);
      if (block.groups > 1) y = b.channelShuffle(y, block.groups);
    }
    y = b.act(b.batchnorm(b.conv(y, mid, { kernel: block.kernel, stride, groups: mid })), block.act);
    if (block.se) y = squeezeExcite(b, y, block.se, seChannels(block.se, inC, mid));
    y = b.batchnorm(b.conv(y, out, { kernel: 1, pad: 0, groups: block.groups }));
  }
  return hasResidual(block, inC, out, stride) ? b.add(y, x) : y;
}
