import { Registry } from '../util/registry.ts';
import { ortCpuRuntime, ortWebgpuRuntime } from './ort-runtime.ts';
import type { Runtime } from './runtime.ts';
import { tfjsCpuRuntime, tfjsNodeGpuRuntime, tfjsNodeRuntime, tfjsWasmRuntime, tfjsWebgpuRuntime } from './tfjs/tfjs-runtime.ts';

/**
 * Runtimes by the `runtime` field of a device profile; each entry makes the runtime (its packages
 * load on `probe`). Add yours with `runtimes.register(id, factory)`.
 */
export const runtimes = new Registry<() => Runtime>('runtime', '/runtime')
  .register('ort-cpu', ortCpuRuntime)
  .register('ort-webgpu', ortWebgpuRuntime)
  .register('tfjs-cpu', tfjsCpuRuntime)
  .register('tfjs-wasm', tfjsWasmRuntime)
  .register('tfjs-webgpu', tfjsWebgpuRuntime)
  .register('tfjs-node', tfjsNodeRuntime)
  .register('tfjs-node-gpu', tfjsNodeGpuRuntime);

/** A registered runtime, or undefined. */
export function getRuntime(id: string): Runtime | undefined {
  return runtimes.find(id)?.();
}

/** Ids of the registered runtimes. */
export function runtimeIds(): string[] {
  return runtimes.ids();
}
