import * as tf from '@tensorflow/tfjs-core';
import { UnavailableError } from '../../errors.ts';
import type { ModelGraph } from '../../graph/model-graph.ts';
import { Rng } from '../../util/rng.ts';
import type { LoadOptions, Probe, Runnable, Runtime, RuntimeInfo } from '../runtime.ts';
import { packageVersion, probeTfjsBackend, TFJS_VERSION, useTfjsBackend, type TfjsBackendName, type TfjsNodePackage } from './tfjs-backends.ts';
import { buildTfjsModel, nchwToNhwc, type TfjsModel } from './tfjs-model.ts';

/**
 * TensorFlow.js runtimes: the IR built as a tfjs model (`./tfjs-model.ts`) on one backend, run on a
 * fixed seeded input. Same seeds as the ORT runtimes for the input (standard normal, seed 1); the
 * weights are the tfjs model's own seeded He-normal draws (seed 0) — latency does not depend on them.
 */

/** Seed of the fixed random input (standard normal values, as the ORT runtimes feed). */
export const TFJS_INPUT_SEED = 1;
/** Seed of the model weights. */
export const TFJS_WEIGHT_SEED = 0;

/** Build vs run time split of a load, in ms (tfjs has no export step). */
interface LoadTimings {
  exportMs: number;
  sessionMs: number;
}

class TfjsRunnable implements Runnable {
  private lastShape: readonly number[] | null = null;

  constructor(
    private readonly backend: TfjsBackendName,
    private readonly nodePackage: TfjsNodePackage | undefined,
    private readonly model: TfjsModel,
    private readonly input: tf.Tensor4D,
    readonly loadTimings: LoadTimings,
  ) {}

  async run(): Promise<void> {
    // tfjs has one active backend per process: another runtime may have switched it since load().
    if (tf.getBackend() !== this.backend) await useTfjsBackend(this.backend, this.nodePackage);
    const y = this.model.forward(this.input);
    try {
      // Download the logits: resolves only once the backend (GPU included) has finished the work.
      await y.data();
      this.lastShape = y.shape;
    } finally {
      y.dispose();
    }
  }

  outputShape(): readonly number[] {
    if (!this.lastShape) throw new Error('outputShape() before the first run()');
    return this.lastShape;
  }

  async dispose(): Promise<void> {
    this.model.dispose();
    this.input.dispose();
  }
}

/** A tfjs runtime on one backend. */
export class TfjsRuntime implements Runtime {
  constructor(
    readonly id: string,
    private readonly backend: TfjsBackendName,
    private readonly nodePackage?: TfjsNodePackage,
  ) {}

  probe(): Promise<Probe> {
    return probeTfjsBackend(this.backend, this.nodePackage);
  }

  info(): RuntimeInfo {
    // In Node.js the cpu backend is plain JavaScript and the wasm backend runs its single-threaded
    // SIMD build (tfjs 4 enables wasm threads only in browsers): one thread each.
    const threads = this.backend === 'cpu' || this.backend === 'wasm' ? 1 : 0;
    const lib = packageVersion(this.nodePackage && this.backend === 'tensorflow' ? this.nodePackage : `@tensorflow/tfjs-backend-${this.backend}`);
    return { runtime: this.id, version: `@tensorflow/tfjs-core ${TFJS_VERSION}, ${lib}`, provider: this.backend, threads };
  }

  async load(graph: ModelGraph, _opts: LoadOptions = {}): Promise<Runnable> {
    const probe = await this.probe();
    if (!probe.available) throw new UnavailableError(this.id, probe.reason);
    await useTfjsBackend(this.backend, this.nodePackage);
    const t0 = performance.now();
    const model = buildTfjsModel(graph, { seed: TFJS_WEIGHT_SEED });
    const [c, h, w] = graph.input as [number, number, number];
    const rng = new Rng(TFJS_INPUT_SEED);
    const data = new Float32Array(c * h * w);
    for (let i = 0; i < data.length; i++) data[i] = rng.normal();
    const input = tf.tidy(() => nchwToNhwc(tf.tensor4d(data, [1, c, h, w])));
    return new TfjsRunnable(this.backend, this.nodePackage, model, input, { exportMs: 0, sessionMs: performance.now() - t0 });
  }
}

/** The tfjs runtimes, for the runtime registry. */
export const tfjsCpuRuntime = (): Runtime => new TfjsRuntime('tfjs-cpu', 'cpu');
export const tfjsWasmRuntime = (): Runtime => new TfjsRuntime('tfjs-wasm', 'wasm');
export const tfjsWebgpuRuntime = (): Runtime => new TfjsRuntime('tfjs-webgpu', 'webgpu');
export const tfjsNodeRuntime = (): Runtime => new TfjsRuntime('tfjs-node', 'tensorflow', '@tensorflow/tfjs-node');
export const tfjsNodeGpuRuntime = (): Runtime => new TfjsRuntime('tfjs-node-gpu', 'tensorflow', '@tensorflow/tfjs-node-gpu');
