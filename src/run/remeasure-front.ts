import { InputError, UnavailableError } from '../errors.ts';
import { MAX_TIMED_RUNS, MAX_TIMING_MS } from '../limits.ts';
import { loadDevice, unknownRuntimeError, type DeviceProfile, type MeasuredDevice, type TimingOptions } from '../latency/device-profile.ts';
import { paretoFront, type LeaderboardRow } from '../record/leaderboard.ts';
import { type Runtime } from '../runtime/runtime.ts';
import { getRuntime, runtimeIds } from '../runtime/runtime-registry.ts';
import type { Strategy } from '../search/strategy.ts';
import type { Genotype, SearchSpace } from '../space/search-space.ts';
import { Study, type EvaluationBackend } from './study.ts';
import { spearman } from '../util/spearman.ts';

/**
 * Re-measuring a search's final Pareto front on a real runtime (`hwnas search --remeasure-front`).
 * A front found on a table or LUT device, or with the short timing of a search, is measured again
 * with longer timing (the front's rows interleaved, {@link REMEASURE_BATCH} at a time); the rows of
 * the front get `remeasuredLatencyMs`, `remeasuredP90Ms`, `remeasuredCv`, `remeasuredCiHalfWidthPct`
 * and `remeasureDevice` (`remeasureTimingWarning` when the re-measurement missed its tolerance),
 * and a summary says how well the search's latency ranks the front on that runtime.
 */

/** Device a front is re-measured on when none is named: the search device itself if it is measured. */
export const DEFAULT_REMEASURE_DEVICE = 'ort-cpu';

/** How much longer than the device's own timing a re-measurement times. @defaultValue 3 */
export const REMEASURE_TIMING_FACTOR = 3;

/** `remeasureFront` of the search options: on, or on a named measured device. */
export type RemeasureSetting = boolean | { device: string };

/** A probed runtime of a measured device, ready to re-measure fronts. */
export interface Remeasurer {
  readonly device: MeasuredDevice;
  readonly runtime: Runtime;
  /** The timing used: the device's, iterations and minimum time × {@link REMEASURE_TIMING_FACTOR}. */
  readonly timing: TimingOptions;
}

/** How the search latency of a front compares with its re-measurement. */
export interface RemeasureSummary {
  /** Search device. */
  device: string;
  /** Device the front was re-measured on. */
  remeasureDevice: string;
  /** Rows of the front. */
  front: number;
  /** Front rows re-measured (a row whose model fails to run is left without the columns). */
  remeasured: number;
  /** `arch: error` of the rows that failed. */
  failures: string[];
  /** Re-measured rows whose timing missed its tolerance or whose reference drifted (`remeasureTimingWarning`). */
  timingFlagged: number;
  /** Spearman ρ between the search's `latencyMs` and `remeasuredLatencyMs` on the front; NaN under 2 rows. */
  spearman: number;
  /** max |remeasured − search| / search over the front; NaN when nothing was re-measured. */
  maxRelativeDifference: number;
}

/**
 * Timing of a re-measurement: warm-up, rounds and tolerance as the device's; timed runs, minimum
 * time and time cap × `factor` (each at most the device-file limit).
 */
export function remeasureTiming(t: TimingOptions, factor = REMEASURE_TIMING_FACTOR): TimingOptions {
  return {
    ...t, iterations: Math.min(MAX_TIMED_RUNS, t.iterations * factor),
    minTimeMs: Math.min(MAX_TIMING_MS, t.minTimeMs * factor), maxTimeMs: Math.min(MAX_TIMING_MS, t.maxTimeMs * factor),
  };
}

/** Front rows measured together in interleaved rounds. @defaultValue 10 */
export const REMEASURE_BATCH = 10;

/** The measured device a search device's front is re-measured on (see {@link DEFAULT_REMEASURE_DEVICE}). */
export function remeasureDeviceFor(searchDevice: DeviceProfile, setting: RemeasureSetting): MeasuredDevice {
  const named = typeof setting === 'object' ? setting.device : undefined;
  const dev = named !== undefined ? loadDevice(named) : searchDevice.kind === 'measured' ? searchDevice : loadDevice(DEFAULT_REMEASURE_DEVICE);
  if (dev.kind !== 'measured') {
    throw new InputError('incompatible', `device "${dev.id}" is a ${dev.kind} device; a front is re-measured on a measured one`, { path: '--remeasure-device', expected: 'a measured device (e.g. ort-cpu-1t)', actual: JSON.stringify(dev.id) });
  }
  return dev;
}

/**
 * Probe the runtime of `device`: an unavailable one throws {@link UnavailableError} (exit 3), so a
 * search checks this before it starts.
 */
export async function openRemeasurer(device: MeasuredDevice): Promise<Remeasurer> {
  const runtime = getRuntime(device.runtime);
  if (!runtime) throw unknownRuntimeError(device, runtimeIds());
  const probe = await runtime.probe();
  if (!probe.available) throw new UnavailableError(`re-measure device ${device.id} (${device.runtime})`, probe.reason);
  return { device, runtime, timing: remeasureTiming(device.timing) };
}

/** One remeasurer per search device, runtimes probed once per distinct re-measure device. */
export async function openRemeasurers(searchDevices: readonly DeviceProfile[], setting: RemeasureSetting): Promise<Remeasurer[]> {
  const byId = new Map<string, Remeasurer>();
  const out: Remeasurer[] = [];
  for (const d of searchDevices) {
    const dev = remeasureDeviceFor(d, setting);
    let r = byId.get(dev.id);
    if (!r) {
      r = await openRemeasurer(dev);
      byId.set(dev.id, r);
    }
    out.push(r);
  }
  return out;
}

/**
 * Re-measure every row of the Pareto front of `rows` (one fresh session per model, as a search
 * measures) and return all rows, the front's with the `remeasured*` metrics and `remeasureDevice`
 * info added (new row objects; `rows` is not changed), with the summary.
 */
export async function remeasureFront(
  rows: readonly LeaderboardRow[],
  space: SearchSpace,
  searchDeviceId: string,
  r: Remeasurer,
  progress: (line: string) => void = () => {},
  backend?: EvaluationBackend,
): Promise<{ rows: LeaderboardRow[]; summary: RemeasureSummary }> {
  const front = paretoFront(rows);
  const device: MeasuredDevice = { ...r.device, timing: r.timing };
  // A study of the front's architectures (in front order) on the re-measure device: latency only.
  const genotypes = front.map((row) => space.decode(row.arch));
  const study = await Study.create({
    space, devices: [device], objectives: [{ metric: 'latencyMs', direction: 'min' }], accuracy: null, counts: false,
    strategy: () => listStrategy(genotypes), budget: Math.max(1, genotypes.length), seed: 0, batchSize: REMEASURE_BATCH,
  }, {
    ...(backend && { backend }),
    onEvent: (e) => {
      if (e.type === 'record') progress(`${searchDeviceId}: re-measured ${e.done}/${front.length} of the front on ${r.device.id}`);
    },
  });
  const records = front.length > 0 ? (await study.run()).targets[0]!.records : [];
  const byArch = new Map(records.map((rec) => [rec.arch, rec.outcome]));
  const failures: string[] = [];
  const pairs: { search: number; again: number }[] = [];
  const inFront = new Set(front);
  const out = rows.map((row) => {
    if (!inFront.has(row)) return row;
    const o = byArch.get(row.arch);
    if (!o || o.status !== 'ok') {
      failures.push(`${row.arch}: ${o?.status === 'failed' ? o.error : 'not measured'}`);
      return row;
    }
    const m = o.metrics;
    const searchMs = row.metrics['latencyMs'];
    if (searchMs !== undefined) pairs.push({ search: searchMs, again: m.latencyMs! });
    return {
      ...row,
      metrics: { ...row.metrics, remeasuredLatencyMs: m.latencyMs!, remeasuredP90Ms: m.p90Ms!, remeasuredCv: m.cv!, ...(m.ciHalfWidthPct !== undefined && { remeasuredCiHalfWidthPct: m.ciHalfWidthPct }) },
      info: { ...row.info, remeasureDevice: r.device.id, ...(o.info?.timingWarning !== undefined && { remeasureTimingWarning: o.info.timingWarning }) },
    };
  });
  const rel = pairs.map((p) => Math.abs(p.again - p.search) / p.search);
  return {
    rows: out,
    summary: {
      device: searchDeviceId,
      remeasureDevice: r.device.id,
      front: front.length,
      remeasured: front.length - failures.length,
      failures,
      timingFlagged: out.filter((row) => row.info.remeasureTimingWarning !== undefined).length,
      spearman: pairs.length >= 2 ? spearman(pairs.map((p) => p.search), pairs.map((p) => p.again)) : NaN,
      maxRelativeDifference: rel.length > 0 ? Math.max(...rel) : NaN,
    },
  };
}

/** A strategy that proposes a fixed list of genotypes, in order, then nothing. */
function listStrategy(genotypes: readonly Genotype[]): Strategy {
  let next = 0;
  return { id: 'list', ask: (n) => genotypes.slice(next, (next += n)).map((g) => [...g]), tell: () => {} };
}

/** One line: `fpga: front of 6 re-measured on ort-cpu-1t: Spearman 0.83 with the search latency, max relative difference 412%`. */
export function formatRemeasureSummary(s: RemeasureSummary): string {
  const rho = Number.isNaN(s.spearman) ? 'n/a' : s.spearman.toFixed(3);
  const diff = Number.isNaN(s.maxRelativeDifference) ? 'n/a' : `${(s.maxRelativeDifference * 100).toFixed(1)}%`;
  const failed = s.failures.length > 0 ? `, ${s.failures.length} failed (${s.failures[0]})` : '';
  const flagged = s.timingFlagged > 0 ? `; WARNING: ${s.timingFlagged} of ${s.remeasured} re-measured rows missed the timing tolerance (remeasureTimingWarning)` : '';
  return `${s.device}: front of ${s.front} re-measured on ${s.remeasureDevice}: Spearman ${rho} with the search latency, max relative difference ${diff}${failed}${flagged}`;
}
