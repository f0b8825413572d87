import { GraphBuilder, type Tensor } from '../graph/graph-builder.ts';
import type { Activation, ModelGraph, Shape } from '../graph/model-graph.ts';
import type { Genotype, SearchSpace } from './search-space.ts';

/**
 * A model as a chain of layers (stem, searchable blocks, head), each a self-contained subgraph from
 * one tensor to the next. Per-layer latency tables (LUTs), `hwnas profile` and the fitted predictor
 * work on these layers: two layers with the same {@link SpaceLayer.key} build the same subgraph.
 */

/** What a block layer is, for mapping onto foreign LUT keys (ProxylessNAS, OFA, NSGANetV2). */
export interface BlockFacts {
  op: 'skip' | 'conv' | 'dwsep' | 'mbconv';
  kernel: number;
  stride: number;
  /** Expansion ratio (1 for non-mbconv blocks). */
  expand: number;
  /** Mid (expanded) channels. */
  mid: number;
  se: boolean;
  act: Activation | 'none';
  /** Whether the block adds its input to its output. */
  residual: boolean;
  groups: number;
}

/** What a head layer is: conv 1×1 to `expandOut`, global pool, optional 1×1 `mix` conv, linear. */
export interface HeadFacts {
  /** Output shape of each head conv before the pool, `[C,H,W]`. */
  convs: Shape[];
  /** Channels of a 1×1 conv after the pool (OFA's `feature_mix_layer`), if any. */
  mix?: number;
  classes: number;
}

export interface SpaceLayer {
  readonly role: 'stem' | 'block' | 'head';
  /**
   * Configuration key: block name or ops, input and output shape, stride, e.g.
   * `mb6_k5:24x56x56>40x28x28:s2`. Equal keys ⇒ identical subgraphs (weights aside).
   */
  readonly key: string;
  /** Input shape `[C,H,W]`. */
  readonly inShape: Shape;
  /** Output shape (`[classes]` for the head). */
  readonly outShape: Shape;
  /** True when the layer adds no node (an identity skip): it costs nothing. */
  readonly empty: boolean;
  readonly block?: BlockFacts;
  readonly head?: HeadFacts;
  /** Add the layer's nodes to `b` on `x` (shaped {@link inShape}); returns its output. */
  build(b: GraphBuilder, x: Tensor): Tensor;
}

/** A space whose models are chains of {@link SpaceLayer}s. */
export interface LayeredSpace extends SearchSpace {
  /** The layers of a genotype's model, in order; composing their `build`s gives `build(g)`. */
  layers(g: Genotype): SpaceLayer[];
  /** Every distinct layer configuration (by key) that some genotype of the space contains. */
  allLayers(): SpaceLayer[];
}

export function isLayeredSpace(space: SearchSpace): space is LayeredSpace {
  const s = space as Partial<LayeredSpace>;
  return typeof s.layers === 'function' && typeof s.allLayers === 'function';
}

/** `CxHxW` (or `N` for vectors), for keys. */
export function shapeKey(s: Shape): string {
  return s.join('x');
}

/** Key of a layer from its name, shapes and stride. */
export function layerKey(name: string, inShape: Shape, outShape: Shape, stride: number): string {
  return `${name}:${shapeKey(inShape)}>${shapeKey(outShape)}:s${stride}`;
}

/** Compose layers into a model graph named `name` on `input`. */
export function composeLayers(name: string, input: Shape, layers: readonly SpaceLayer[]): ModelGraph {
  const b = new GraphBuilder(name, input);
  let x = b.input;
  for (const l of layers) x = l.build(b, x);
  return b.build(x);
}

/**
 * The layer on its own: input shaped like the layer's input → layer → output (a flatten is
 * appended to an empty layer so the graph has a node). Used to micro-benchmark one configuration.
 */
export function layerGraph(layer: SpaceLayer): ModelGraph {
  const b = new GraphBuilder(`layer:${layer.key}`, layer.inShape);
  let y = layer.build(b, b.input);
  if (y.id === b.input.id) y = b.flatten(y);
  return b.build(y);
}

/**
 * Infer the shapes of a layer: builds it on a scratch graph. Returns its output shape and whether it
 * added nodes.
 */
export function probeLayer(inShape: Shape, build: (b: GraphBuilder, x: Tensor) => Tensor): { outShape: Shape; empty: boolean } {
  const b = new GraphBuilder('probe', inShape.length === 3 ? inShape : [inShape[0]!, 1, 1]);
  const y = build(b, b.input);
  return { outShape: y.shape, empty: y.id === b.input.id };
}

/** A {@link SpaceLayer} from its role, name, input shape, stride and builder; shapes are inferred. */
export function makeLayer(
  role: SpaceLayer['role'],
  name: string,
  inShape: Shape,
  stride: number,
  build: (b: GraphBuilder, x: Tensor) => Tensor,
  facts: { block?: BlockFacts; head?: HeadFacts } = {},
): SpaceLayer {
  const { outShape, empty } = probeLayer(inShape, build);
  return { role, key: layerKey(name, inShape, outShape, stride), inShape, outShape, empty, build, ...facts };
}
