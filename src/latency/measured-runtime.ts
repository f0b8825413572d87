import { InputError, UnavailableError } from '../errors.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { getRuntime, runtimeIds } from '../runtime/runtime-registry.ts';
import type { MeasuredDevice } from './device-profile.ts';

/**
 * The runtime of a measured device, started: an unknown runtime id is bad input, a runtime that
 * cannot start here is an {@link UnavailableError} (exit 3, "unavailable: <reason>"; never a silent
 * fallback to another runtime).
 */
export async function measuredRuntime(device: MeasuredDevice): Promise<Runtime> {
  const runtime = getRuntime(device.runtime);
  if (!runtime) throw new InputError('unknown-id', `device "${device.id}" names an unknown runtime "${device.runtime}"`, { path: '/runtime', expected: `one of ${runtimeIds().join(', ')}` });
  const probe = await runtime.probe();
  if (!probe.available) throw new UnavailableError(`device ${device.id} (${device.runtime})`, probe.reason);
  return runtime;
}
