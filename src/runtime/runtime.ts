import type { ModelGraph } from '../graph/model-graph.ts';

/** Whether a runtime can start here, and why not. */
export type Probe = { available: true } | { available: false; reason: string };

/** Facts recorded beside every measurement. */
export interface RuntimeInfo {
  /** Runtime id, e.g. `ort-cpu`. */
  runtime: string;
  /** Library and version, e.g. `onnxruntime-node 1.30.0`. */
  version: string;
  /** Execution provider or backend, e.g. `cpu`, `webgpu`. */
  provider: string;
  /** Intra-op threads (0 = the runtime's default, all cores). */
  threads: number;
}

/** A model loaded on a runtime, ready to run on a fixed random input. */
export interface Runnable {
  /** One inference; resolves when the output is available on the host (GPU work included). */
  run(): Promise<void>;
  /** Shape of the output of the last run, batch included. */
  outputShape(): readonly number[];
  dispose(): Promise<void>;
}

export interface LoadOptions {
  /** Intra-op threads; 0 = all cores. @defaultValue 0 */
  threads?: number;
}

/** An inference runtime (ORT, TensorFlow.js...). It never knows about strategies or searches. */
export interface Runtime {
  readonly id: string;
  probe(): Promise<Probe>;
  load(graph: ModelGraph, opts?: LoadOptions): Promise<Runnable>;
  /**
   * Load a model file of the runtime's own format (ONNX bytes for the ORT runtimes), fed with a
   * fixed seeded input of each input's shape (symbolic dimensions as 1). Runtimes that cannot load
   * files lack it.
   */
  loadModelFile?(bytes: Uint8Array, opts?: LoadOptions): Promise<Runnable>;
  info(opts?: LoadOptions): RuntimeInfo;
}
