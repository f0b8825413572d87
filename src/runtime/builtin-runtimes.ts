import { ortCpuRuntime, ortWebgpuRuntime } from './ort-runtime.ts';
import { registerRuntime, type Runtime } from './runtime.ts';
import { tfjsCpuRuntime, tfjsNodeGpuRuntime, tfjsNodeRuntime, tfjsWasmRuntime, tfjsWebgpuRuntime } from './tfjs/tfjs-runtime.ts';

/** The built-in runtimes by id; add a runtime with one line here. */
const builtins: readonly (readonly [string, () => Runtime])[] = [
  ['ort-cpu', ortCpuRuntime],
  ['ort-webgpu', ortWebgpuRuntime],
  ['tfjs-cpu', tfjsCpuRuntime],
  ['tfjs-wasm', tfjsWasmRuntime],
  ['tfjs-webgpu', tfjsWebgpuRuntime],
  ['tfjs-node', tfjsNodeRuntime],
  ['tfjs-node-gpu', tfjsNodeGpuRuntime],
];

let registered = false;

/** Register every built-in runtime with {@link registerRuntime}; calling it again does nothing. */
export function registerBuiltinRuntimes(): void {
  if (registered) return;
  registered = true;
  for (const [id, factory] of builtins) registerRuntime(id, factory);
}
