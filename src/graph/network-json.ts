import { countFlops, countParams } from './count.ts';
import { outputShape, type ModelGraph, type Node } from './model-graph.ts';

/** Version of the {@link NetworkJson} format; raised whenever a field changes meaning or an op is added. */
export const NETWORK_JSON_VERSION = 1;

/**
 * `network.json`: the model-graph IR as plain JSON, enough to rebuild the network in any framework
 * (docs/your-trainer.md gives each op's exact semantics and its PyTorch equivalent). Shapes leave out
 * the batch dimension: feature maps `[C, H, W]`, vectors `[features]`.
 */
export interface NetworkJson {
  readonly format: 'hwnas-network';
  readonly version: typeof NETWORK_JSON_VERSION;
  /** Space id and arch string. */
  readonly name: string;
  /** The image input, `[C, H, W]` (NCHW with the batch in front). */
  readonly input: { readonly id: 'input'; readonly shape: readonly number[] };
  /** Id of the node whose value is the logits. */
  readonly output: string;
  /** Logits of the output (its shape's only entry). */
  readonly classes: number;
  /** Trainable parameters and multiply-accumulates as hwnas counts them (its `paramCount`, `flops`). */
  readonly paramCount: number;
  readonly flops: number;
  /** Nodes in topological order; `inputs` name `input` or earlier nodes. */
  readonly nodes: readonly Node[];
}

/** The {@link NetworkJson} of a graph. */
export function toNetworkJson(graph: ModelGraph): NetworkJson {
  return {
    format: 'hwnas-network',
    version: NETWORK_JSON_VERSION,
    name: graph.name,
    input: { id: 'input', shape: [...graph.input] },
    output: graph.output,
    classes: outputShape(graph)[0] ?? 0,
    paramCount: countParams(graph),
    flops: countFlops(graph),
    nodes: graph.nodes,
  };
}
