import { INPUT_ID, shapeOf, type ModelGraph, type Node, type Shape } from './model-graph.ts';

type ShapeLookup = (id: string) => Shape;

/** Shapes by node id in one pass (a graph of n nodes is counted in O(n), not O(n²)). */
function shapeLookup(graph: ModelGraph): ShapeLookup {
  const shapes = new Map<string, Shape>(graph.nodes.map((n) => [n.id, n.shape]));
  shapes.set(INPUT_ID, graph.input);
  return (id) => shapes.get(id) ?? shapeOf(graph, id);
}

/**
 * Counting conventions of NAS-Bench-Macro (Su et al., CVPR 2021), used for every space:
 * - params = conv weights (+ bias where present) + 2 per batch-norm channel (γ, β) + linear weights
 *   and bias; running statistics are buffers, not parameters.
 * - FLOPs = multiply-accumulates of convolutions and linear layers only (no BN, activation, pooling,
 *   bias, add or mul), i.e. `outC · outH · outW · (inC / groups) · k²` per convolution.
 */

/** Trainable parameters of one node. */
export function nodeParamCount(graph: ModelGraph, n: Node, shapeOfId: ShapeLookup = (id) => shapeOf(graph, id)): number {
  switch (n.op) {
    case 'conv': {
      const inC = shapeOfId(n.inputs[0])[0]!;
      const a = n.attrs;
      return a.outChannels * (inC / a.groups) * a.kernel * a.kernel + (a.bias ? a.outChannels : 0);
    }
    case 'batchnorm':
      return 2 * n.shape[0]!;
    case 'linear': {
      const inF = shapeOfId(n.inputs[0])[0]!;
      return inF * n.attrs.outFeatures + (n.attrs.bias ? n.attrs.outFeatures : 0);
    }
    default:
      return 0;
  }
}

/** Multiply-accumulates of one node (convolutions and linear layers only). */
export function nodeFlops(graph: ModelGraph, n: Node, shapeOfId: ShapeLookup = (id) => shapeOf(graph, id)): number {
  switch (n.op) {
    case 'conv': {
      const inC = shapeOfId(n.inputs[0])[0]!;
      const [oc, oh, ow] = n.shape as [number, number, number];
      return oc * oh * ow * (inC / n.attrs.groups) * n.attrs.kernel * n.attrs.kernel;
    }
    case 'linear':
      return shapeOfId(n.inputs[0])[0]! * n.attrs.outFeatures;
    default:
      return 0;
  }
}


/** Trainable parameter count of the whole graph. */
export function countParams(graph: ModelGraph): number {
  const lookup = shapeLookup(graph);
  let total = 0;
  for (const n of graph.nodes) total += nodeParamCount(graph, n, lookup);
  return total;
}

/** Multiply-accumulate count (FLOPs by the NAS-Bench-Macro convention) of the whole graph. */
export function countFlops(graph: ModelGraph): number {
  const lookup = shapeLookup(graph);
  let total = 0;
  for (const n of graph.nodes) total += nodeFlops(graph, n, lookup);
  return total;
}
