/**
 * The model-graph IR: a topologically ordered list of nodes, each with its output shape inferred at
 * build time. Shapes leave out the batch dimension (batch is 1 everywhere in hwnas): feature maps are
 * `[channels, height, width]`, vectors `[features]`.
 *
 * Every op here maps one-to-one onto an ONNX operator (see `src/graph/onnx-export.ts`) and onto a
 * TensorFlow.js layer, so params and FLOPs counted on this graph are those of the exported model.
 */

/** Output shape of a node without the batch dimension. */
export type Shape = readonly number[];

/** Activation functions. */
export type Activation = 'relu' | 'relu6' | 'hswish' | 'hsigmoid' | 'sigmoid' | 'swish';

export interface ConvAttrs {
  outChannels: number;
  kernel: number;
  stride: number;
  /** Symmetric zero padding on each side. */
  pad: number;
  /** Groups; `groups === inChannels === outChannels` is a depthwise convolution. @defaultValue 1 */
  groups: number;
  /** Whether the conv has a bias term. */
  bias: boolean;
}

export interface PoolAttrs {
  kernel: number;
  stride: number;
  pad: number;
}

/** A node of the IR; `inputs` name earlier nodes (or {@link INPUT_ID}). */
export type Node =
  | { id: string; op: 'conv'; inputs: readonly [string]; attrs: ConvAttrs; shape: Shape }
  /** Batch normalisation with learned scale and shift (inference form). */
  | { id: string; op: 'batchnorm'; inputs: readonly [string]; shape: Shape }
  | { id: string; op: Activation; inputs: readonly [string]; shape: Shape }
  /** Average pooling; padded cells are not counted (count_include_pad = 0). */
  | { id: string; op: 'avgpool'; inputs: readonly [string]; attrs: PoolAttrs; shape: Shape }
  | { id: string; op: 'maxpool'; inputs: readonly [string]; attrs: PoolAttrs; shape: Shape }
  /** Global average pooling over height and width, keeping `[C, 1, 1]`. */
  | { id: string; op: 'globalavgpool'; inputs: readonly [string]; shape: Shape }
  /** `[C, H, W]` → `[C·H·W]`. */
  | { id: string; op: 'flatten'; inputs: readonly [string]; shape: Shape }
  /** Fully connected layer `[in]` → `[outFeatures]`, with bias. */
  | { id: string; op: 'linear'; inputs: readonly [string]; attrs: { outFeatures: number; bias: boolean }; shape: Shape }
  /** Element-wise sum of two or more same-shaped inputs. */
  | { id: string; op: 'add'; inputs: readonly string[]; shape: Shape }
  /** Element-wise product; the second input may be `[C, 1, 1]` and broadcast (squeeze-excite). */
  | { id: string; op: 'mul'; inputs: readonly [string, string]; shape: Shape }
  /** All zeros shaped like its input (NAS-Bench-201 `none`); costs nothing. */
  | { id: string; op: 'zero'; inputs: readonly [string]; shape: Shape }
  /** ShuffleNet channel shuffle (Zhang et al. 2018): reshape `[g, C/g, H, W]` → transpose → `[C, H, W]`. */
  | { id: string; op: 'channelshuffle'; inputs: readonly [string]; attrs: { groups: number }; shape: Shape }
  /** Channel concatenation of same-sized feature maps. */
  | { id: string; op: 'concat'; inputs: readonly string[]; shape: Shape };

export type OpType = Node['op'];

/** Name of the graph input in `inputs` lists. */
export const INPUT_ID = 'input';

export interface ModelGraph {
  /** Human-readable name (space id + arch string). */
  readonly name: string;
  /** Input shape without batch, `[channels, height, width]`. */
  readonly input: Shape;
  /** Nodes in topological order; every input names {@link INPUT_ID} or an earlier node. */
  readonly nodes: readonly Node[];
  /** Id of the node whose value is the model output (logits, shape `[classes]`). */
  readonly output: string;
}

/** Shape of a node's output or of the graph input. */
export function shapeOf(graph: ModelGraph, id: string): Shape {
  if (id === INPUT_ID) return graph.input;
  const n = graph.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id} in ${graph.name}`);
  return n.shape;
}

/** Output shape of the whole graph. */
export function outputShape(graph: ModelGraph): Shape {
  return shapeOf(graph, graph.output);
}
