import { toOnnxModel, type OnnxExportOptions } from '../../graph/onnx-export.ts';
import type { ModelGraph } from '../../graph/model-graph.ts';
import type { WeightProvider } from './tfjs-model.ts';

/**
 * The initializers `toOnnx(graph, opts)` writes, as a {@link WeightProvider}: a tfjs model built with
 * it computes the same function as the ORT session of the exported model (used to cross-check the
 * two runtimes, and to run both on identical weights).
 */
export function onnxWeights(graph: ModelGraph, opts: OnnxExportOptions = {}): WeightProvider {
  const model = toOnnxModel(graph, opts);
  const byName = new Map<string, Float32Array>();
  for (const t of model.graph?.initializer ?? []) {
    const raw = t.rawData;
    // Float tensors only (dataType 1); the export writes every float initializer as raw little-endian bytes.
    if (t.dataType !== 1 || !raw || !t.name) continue;
    byName.set(t.name, new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)));
  }
  return (name) => byName.get(name);
}
