import { existsSync } from 'node:fs';
import { errorMessage } from '../errors.ts';
import { isLayeredSpace } from '../space/layered-space.ts';
import type { SearchSpace } from '../space/search-space.ts';
import { BatchMeasurer, MEASURED_METRICS, measuredRow } from './batch-measurer.ts';
import { checkDeviceForSpace, type DeviceProfile, type MeasuredDevice } from './device-profile.ts';
import { checkTableDevice, deviceTable, tableLatencyAll, tableLatencyMs } from './device-table.ts';
import { TableFallback } from './table-fallback.ts';
import type { LatencyItemResult, LatencyProvider } from './latency-provider.ts';
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
export { MEASURED_METRICS } from './batch-measurer.ts';

/** Candidates of a measured device timed together in one interleaved batch, at most. @defaultValue 10 */
export const INTERLEAVED_BATCH = 10;

async function measuredProvider(device: MeasuredDevice, space: SearchSpace): Promise<LatencyProvider> {
  const measurer = await BatchMeasurer.open(device);
  const predict = generatedPredictor(device, space);
  const info = measurer.info();
  // A batch is timed in groups of at most INTERLEAVED_BATCH (all sessions of a group are loaded at once).
  const latencyBatch: NonNullable<LatencyProvider['latencyBatch']> = async (sp, all) => {
    const out: LatencyItemResult[] = [];
    for (let i = 0; i < all.length; i += INTERLEAVED_BATCH) {
      const items = all.slice(i, i + INTERLEAVED_BATCH);
      let measured;
      try {
        measured = await measurer.measure(items.map((it) => () => measurer.runtime.load(it.graph ?? sp.build(it.genotype), { threads: device.threads })));
      } catch (e) {
        const error = errorMessage(e);
        out.push(...items.map(() => ({ error })));
        continue;
      }
      for (const [k, r] of measured.items.entries()) {
        if ('error' in r) {
          out.push({ error: errorMessage(r.error) });
          continue;
        }
        const row = measuredRow(r.ok, measured.batch, info, device.timing.ciTolerancePct);
        const p = predict ? await predict(sp, items[k]!.genotype, items[k]!.graph) : { metrics: {}, info: {} };
        out.push({ ok: { metrics: { ...row.metrics, ...p.metrics }, info: { ...row.info, ...p.info } } });
      }
    }
    return out;
  };
  return {
    deviceId: device.id,
    kind: 'measured',
    metricNames: [...MEASURED_METRICS, ...(predict ? ['predictedLatencyMs'] : [])],
    latencyBatch,
    async latency(sp, g, graph) {
      const r = (await latencyBatch(sp, [{ genotype: g, graph }]))[0]!;
      if ('error' in r) throw new Error(r.error);
      return r.ok;
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
