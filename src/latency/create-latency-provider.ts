import { UnavailableError } from '../errors.ts';
import { registerBuiltinRuntimes } from '../runtime/builtin-runtimes.ts';
import { measureGraph } from '../runtime/measure.ts';
import { getRuntime, runtimeIds } from '../runtime/runtime.ts';
import { InputError } from '../errors.ts';
import type { SearchSpace } from '../space/search-space.ts';
import { checkDeviceForSpace, type DeviceProfile, type MeasuredDevice } from './device-profile.ts';
import { checkTableDevice, tableLatencyAll, tableLatencyMs } from './device-table.ts';
import type { LatencyProvider } from './latency-provider.ts';
import { lutLatencyProvider } from './lut-predictor.ts';

async function measuredProvider(device: MeasuredDevice): Promise<LatencyProvider> {
  registerBuiltinRuntimes();
  const runtime = getRuntime(device.runtime);
  if (!runtime) {
    throw new InputError('unknown-id', `device "${device.id}" names an unknown runtime "${device.runtime}"`, { path: '/runtime', expected: `one of ${runtimeIds().join(', ')}` });
  }
  const probe = await runtime.probe();
  if (!probe.available) throw new UnavailableError(`device ${device.id} (${device.runtime})`, probe.reason);
  return {
    deviceId: device.id,
    kind: 'measured',
    async latency(_space, _g, graph) {
      const m = await measureGraph(runtime, graph, device);
      const s = m.stats;
      return {
        metrics: { latencyMs: s.medianMs, p90Ms: s.p90Ms, iqrMs: s.iqrMs, cv: s.cv, samples: s.samples },
        info: { runtime: m.info.runtime, runtimeVersion: m.info.version, provider: m.info.provider, threads: m.info.threads },
      };
    },
  };
}

/**
 * The latency provider of a device for a space: live measurement for `measured` devices (the runtime
 * is probed first: an unavailable one throws {@link UnavailableError}, never a silent CPU fallback),
 * table lookups for `table` devices, LUT sums for `lut` devices.
 */
export async function createLatencyProvider(device: DeviceProfile, space: SearchSpace): Promise<LatencyProvider> {
  checkDeviceForSpace(device, space.id);
  switch (device.kind) {
    case 'measured':
      return measuredProvider(device);
    case 'table':
      checkTableDevice(device, space);
      tableLatencyAll(device);
      return {
        deviceId: device.id,
        kind: 'table',
        latency: async (sp, g) => ({ metrics: { latencyMs: tableLatencyMs(device, sp, g) }, info: { latencySource: `table:${device.table}/${device.key}` } }),
      };
    case 'lut': {
      // A LUT device's latency is a prediction: report it under both names so a leaderboard says so.
      const lut = lutLatencyProvider(device, space);
      return {
        ...lut,
        latency: async (sp, g, graph) => {
          const r = await lut.latency(sp, g, graph);
          return { metrics: { ...r.metrics, predictedLatencyMs: r.metrics.latencyMs! }, info: r.info };
        },
      };
    }
  }
}
