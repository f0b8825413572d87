import { ortCpuRuntime, ortWebgpuRuntime } from './ort-runtime.ts';
import { registerRuntime, type Runtime } from './runtime.ts';

/** The built-in runtimes by id; add a runtime with one line here. */
const builtins: readonly (readonly [string, () => Runtime])[] = [
  ['ort-cpu', ortCpuRuntime],
  ['ort-webgpu', ortWebgpuRuntime],
];

let registered = false;

/** Register every built-in runtime with {@link registerRuntime}; calling it again does nothing. */
export function registerBuiltinRuntimes(): void {
  if (registered) return;
  registered = true;
  for (const [id, factory] of builtins) registerRuntime(id, factory);
}
