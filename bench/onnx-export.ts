import { pathToFileURL } from 'node:url';
import * as ort from 'onnxruntime-node';
import { toOnnx } from '../src/graph/onnx-export.ts';
import type { ModelGraph } from '../src/graph/model-graph.ts';
import { Rng } from '../src/util/rng.ts';
import { loadSpace } from '../src/space/space-registry.ts';

export interface OnnxExportBenchRow {
  space: string;
  models: number;
  meanMB: number;
  /** IR → ONNX bytes (He-normal weights + protobuf encoding), per second. */
  exportsPerSec: number;
  /** Baseline: ORT CPU session creation from the same bytes (1 thread, all optimisations), per second. */
  sessionsPerSec: number;
  /** Export time as a fraction of the session-creation time that follows it in every measurement. */
  exportToSessionRatio: number;
}

export interface OnnxExportBenchResult {
  bench: 'onnx-export';
  what: string;
  baseline: string;
  rows: OnnxExportBenchRow[];
}

function randomGraphs(spaceId: string, n: number, seed: number): ModelGraph[] {
  const space = loadSpace(spaceId);
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => space.build(space.decisions.map((d) => rng.int(d.choices.length))));
}

/**
 * Exports per second of random nasbench-macro and nb201 architectures, against a baseline measured
 * in the same run: creating an ORT CPU session from the exported bytes, the step that follows every
 * export when a candidate is measured. Graph building is outside the timed loops.
 */
export async function onnxExportBench(opts: { models?: number; seed?: number } = {}): Promise<OnnxExportBenchResult> {
  const n = opts.models ?? 30;
  const rows: OnnxExportBenchRow[] = [];
  for (const spaceId of ['nasbench-macro', 'nb201']) {
    const graphs = randomGraphs(spaceId, n, opts.seed ?? 1);
    for (const g of graphs.slice(0, 3)) toOnnx(g); // JIT and the weight pool, untimed
    const bytes: Uint8Array[] = [];
    let t = performance.now();
    for (const g of graphs) bytes.push(toOnnx(g));
    const exportMs = performance.now() - t;
    t = performance.now();
    for (const b of bytes) {
      const s = await ort.InferenceSession.create(b, { executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: 1 });
      await s.release();
    }
    const sessionMs = performance.now() - t;
    rows.push({
      space: spaceId,
      models: n,
      meanMB: bytes.reduce((a, b) => a + b.byteLength, 0) / n / 1e6,
      exportsPerSec: (n / exportMs) * 1000,
      sessionsPerSec: (n / sessionMs) * 1000,
      exportToSessionRatio: exportMs / sessionMs,
    });
  }
  return {
    bench: 'onnx-export',
    what: `toOnnx() of ${n} uniformly random archs per space (Rng seed ${opts.seed ?? 1}), opset 13, weights seed 0`,
    baseline: 'ORT CPU InferenceSession.create() + release() from the same bytes (1 intra-op thread, graphOptimizationLevel all)',
    rows,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await onnxExportBench(), null, 2));
}
