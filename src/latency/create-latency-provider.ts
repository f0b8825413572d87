import { existsSync } from 'node:fs';
import { UnavailableError } from '../errors.ts';
import { measureGraph } from './measure.ts';
import { getRuntime, runtimeIds } from '../runtime/runtime-registry.ts';
import { isLayeredSpace } from '../space/layered-space.ts';
import type { SearchSpace } from '../space/search-space.ts';
import { checkDeviceForSpace, unknownRuntimeError, type DeviceProfile, type MeasuredDevice } from './device-profile.ts';
import { checkTableDevice, deviceTable, tableLatencyAll, tableLatencyMs } from './device-table.ts';
import { TableFallback } from './table-fallback.ts';
import type { LatencyProvider } from './latency-provider.ts';
import { generatedLutFile, loadLut } from './lut-file.ts';
import { lutLatencyProvider, predictWithLut } from './lut-predictor.ts';

/**
 * The LUT `hwnas profile` wrote for this device and space, if there is one and the space is layered:
 * its prediction goes beside the measurement as `predictedLatencyMs`, so a leaderboard shows both.
 */
function generatedPredictor(device: MeasuredDevice, space: SearchSpace): LatencyProvider['latency'] | undefined {
  if (!isLayeredSpace(space) || !existsSync(generatedLutFile(device.id, space.id))) return undefined;
  const lut = loadLut(`${device.id}-${space.id}`);
  return async (sp, g) => {
    if (!isLayeredSpace(sp)) return { metrics: {}, info: {} };
    try {
      return { metrics: { predictedLatencyMs: predictWithLut(lut, sp.layers(g)).latencyMs }, info: { predictionSource: `lut:${lut.id}` } };
    } catch (e) {
      // A stale LUT (the space changed since profiling) must not fail the measurement: say why there is no prediction.
      return { metrics: {}, info: { predictionError: (e as Error).message } };
    }
  };
}

/** Metrics every measured latency carries (a profiled LUT adds `predictedLatencyMs`). */
export const MEASURED_METRICS: readonly string[] = ['latencyMs', 'p90Ms', 'iqrMs', 'cv', 'samples'];

async function measuredProvider(device: MeasuredDevice, space: SearchSpace): Promise<LatencyProvider> {
  const runtime = getRuntime(device.runtime);
  if (!runtime) {
    throw unknownRuntimeError(device, runtimeIds());
  }
  const probe = await runtime.probe();
  if (!probe.available) throw new UnavailableError(`device ${device.id} (${device.runtime})`, probe.reason);
  const predict = generatedPredictor(device, space);
  return {
    deviceId: device.id,
    kind: 'measured',
    metricNames: [...MEASURED_METRICS, ...(predict ? ['predictedLatencyMs'] : [])],
    async latency(sp, g, graph) {
      const m = await measureGraph(runtime, graph ?? sp.build(g), device);
      const s = m.stats;
      const p = predict ? await predict(sp, g, graph) : { metrics: {}, info: {} };
      return {
        metrics: { latencyMs: s.medianMs, p90Ms: s.p90Ms, iqrMs: s.iqrMs, cv: s.cv, samples: s.samples, ...p.metrics },
        info: { runtime: m.info.runtime, runtimeVersion: m.info.version, provider: m.info.provider, threads: m.info.threads, ...(m.timingCut && { timingCut: m.timingCut }), ...p.info },
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
      return measuredProvider(device, space);
    case 'table': {
      checkTableDevice(device, space);
      const column = tableLatencyAll(device);
      const rows = deviceTable(device);
      // A partial table (FBNet: 5,000 of 9^22 archs) falls back to a layer-wise model fitted on it.
      const fallback = new TableFallback(device, space);
      const source = `table:${device.table}/${device.key}`;
      return {
        deviceId: device.id,
        kind: 'table',
        metricNames: ['latencyMs'],
        latency: async (sp, g) => {
          const row = rows.rowOf(sp.encode(g));
          if (row !== undefined) return { metrics: { latencyMs: column[row]! }, info: { latencySource: source } };
          if (!fallback.usable) return { metrics: { latencyMs: tableLatencyMs(device, sp, g) }, info: { latencySource: source } };
          const ms = fallback.predictMs(g);
          return { metrics: { latencyMs: ms, predictedLatencyMs: ms }, info: { latencySource: `fitted:${device.table}/${device.key} (NNLS on ${fallback.rows} table rows)` } };
        },
      };
    }
    case 'lut': {
      // A LUT device's latency is a prediction: report it under both names so a leaderboard says so.
      const lut = lutLatencyProvider(device, space);
      return {
        ...lut,
        metricNames: ['latencyMs', 'predictedLatencyMs'],
        latency: async (sp, g, graph) => {
          const r = await lut.latency(sp, g, graph);
          return { metrics: { ...r.metrics, predictedLatencyMs: r.metrics.latencyMs! }, info: r.info };
        },
      };
    }
  }
}
