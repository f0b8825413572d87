import { InputError, UnavailableError } from '../errors.ts';
import type { Runnable, Runtime, RuntimeInfo } from '../runtime/runtime.ts';
import { getRuntime, runtimeIds } from '../runtime/runtime-registry.ts';
import { affinitySupport, allowedCpus, withAffinity } from './cpu-affinity.ts';
import { deviceFile, unknownRuntimeError, type MeasuredDevice } from './device-profile.ts';
import { cpuStealPct, hostLoad, type HostLoad } from './host-load.ts';
import { loadSplit, timeInterleaved, type CandidateTiming, type MeasureOverhead, type Visit } from './measure.ts';
import { referenceNetwork } from './reference-network.ts';

/** What was true of the machine while one batch was measured. */
export interface BatchFacts {
  /** Latency of the reference network in this batch (median over its rounds, ms). */
  referenceMs: number;
  referenceCiHalfWidthPct: number;
  /** Reference latency of this batch against the first batch this measurer timed, in % (0 for the first). */
  referenceDriftPct: number;
  loadBefore: HostLoad;
  loadAfter: HostLoad;
  /** CPU time stolen by a hypervisor during the batch, %; absent where the OS does not report it. */
  cpuStealPct?: number;
  /** Wall time of the batch: sessions, warm-up, rounds, disposal (ms). */
  wallMs: number;
}

/** One measured model of a batch. */
export interface ItemMeasurement {
  timing: CandidateTiming;
  overhead: MeasureOverhead;
  outputShape: readonly number[];
}

/** A model of a batch: its timing, or why it could not be loaded or run. */
export type ItemResult = { ok: ItemMeasurement } | { error: unknown };

/**
 * Measures batches of models on one measured device with the protocol of `measure.ts`: all models
 * of a batch loaded, timed in interleaved rounds with the reference network after each round, then
 * disposed; the load average and CPU steal before and after; the whole batch pinned to the device's
 * `cpus` when it names some. The reference latency of its first batch is the baseline every later
 * batch's drift is taken against.
 */
export class BatchMeasurer {
  private constructor(readonly runtime: Runtime, readonly device: MeasuredDevice, private readonly baseline: { refMs?: number } = {}) {}

  /** The same measurer (runtime, drift baseline) with other timing settings. */
  withTiming(timing: MeasuredDevice['timing']): BatchMeasurer {
    return new BatchMeasurer(this.runtime, { ...this.device, timing }, this.baseline);
  }

  /**
   * Probe the device's runtime (unavailable: {@link UnavailableError}, exit 3) and its CPU affinity
   * (no `taskset`: unavailable; a core this process may not use: {@link InputError}).
   */
  static async open(device: MeasuredDevice): Promise<BatchMeasurer> {
    const runtime = getRuntime(device.runtime);
    if (!runtime) throw unknownRuntimeError(device, runtimeIds());
    const probe = await runtime.probe();
    if (!probe.available) throw new UnavailableError(`device ${device.id} (${device.runtime})`, probe.reason);
    checkCpus(device);
    return new BatchMeasurer(runtime, device);
  }

  /** Runtime facts of the rows (`runtime`, `runtimeVersion`, `provider`, `threads`). */
  info(): RuntimeInfo {
    return this.runtime.info({ threads: this.device.threads });
  }

  /**
   * Load each model (`loaders`, in order), time them together, dispose them. A model that fails to
   * load or run gets its error; the others are measured. Throws only when the reference network fails.
   */
  async measure(loaders: readonly (() => Promise<Runnable>)[], onVisit?: (v: Visit) => void): Promise<{ items: ItemResult[]; batch: BatchFacts }> {
    const t0 = performance.now();
    return withAffinity(this.device.cpus, async () => {
      const loadBefore = hostLoad();
      const loaded: ({ r: Runnable; split: { exportMs: number; sessionMs: number } } | { error: unknown })[] = [];
      let reference: Runnable | undefined;
      try {
        for (const load of loaders) {
          const l0 = performance.now();
          try {
            const r = await load();
            loaded.push({ r, split: loadSplit(r, performance.now() - l0) });
          } catch (e) {
            loaded.push({ error: e });
          }
        }
        reference = await this.runtime.load(referenceNetwork(), { threads: this.device.threads });
        const ok = loaded.flatMap((x) => ('r' in x ? [x.r] : []));
        const timed = await timeInterleaved(ok, this.device.timing, { reference, ...(onVisit && { onVisit }) });
        const loadAfter = hostLoad();
        let k = 0;
        const items: ItemResult[] = loaded.map((x) => {
          if (!('r' in x)) return x;
          const t = timed.candidates[k++]!;
          if ('error' in t) return t;
          return { ok: { timing: t.ok, overhead: { ...x.split, warmupMs: t.ok.warmupMs, timedMs: t.ok.timedMs }, outputShape: [...x.r.outputShape()] } };
        });
        const ref = timed.reference;
        const referenceMs = ref?.latencyMs ?? NaN;
        if (this.baseline.refMs === undefined && Number.isFinite(referenceMs)) this.baseline.refMs = referenceMs;
        const baseMs = this.baseline.refMs;
        const steal = cpuStealPct(loadBefore, loadAfter);
        return {
          items,
          batch: {
            referenceMs, referenceCiHalfWidthPct: ref?.ciHalfWidthPct ?? NaN,
            referenceDriftPct: baseMs !== undefined && Number.isFinite(referenceMs) ? 100 * (referenceMs / baseMs - 1) : 0,
            loadBefore, loadAfter, ...(steal !== undefined && { cpuStealPct: steal }), wallMs: performance.now() - t0,
          },
        };
      } finally {
        for (const x of loaded) if ('r' in x) await x.r.dispose().catch(() => {});
        await reference?.dispose().catch(() => {});
      }
    });
  }
}

/** A device's `cpus` must be settable here and be cores this process may use. */
function checkCpus(device: MeasuredDevice): void {
  if (!device.cpus || device.cpus.length === 0) return;
  const probe = affinitySupport();
  if (!probe.available) throw new UnavailableError(`device ${device.id}`, probe.reason);
  const allowed = allowedCpus() ?? [];
  const bad = device.cpus.filter((c) => !allowed.includes(c));
  if (bad.length > 0) {
    const file = deviceFile(device);
    throw new InputError('incompatible', `device "${device.id}" pins measuring to cores this process may not use`, { ...(file !== undefined && { file }), path: '/cpus', expected: `cores among ${allowed.join(',')}`, actual: JSON.stringify(device.cpus) });
  }
}

/** Metrics of a measured row, in {@link MEASURED_METRICS} order. */
export const MEASURED_METRICS: readonly string[] = ['latencyMs', 'p90Ms', 'iqrMs', 'cv', 'samples', 'ciHalfWidthPct', 'rounds'];

/**
 * Why a row's latency is not to be trusted, or undefined: its CI missed the tolerance, a phase was
 * cut at the one-minute limit, or the reference drifted by more than the tolerance.
 */
export function timingWarning(t: CandidateTiming, b: BatchFacts, tolerancePct: number): string | undefined {
  const w: string[] = [];
  if (!t.toleranceMet) w.push(`95% CI ±${t.ciHalfWidthPct.toFixed(1)}% missed the ±${tolerancePct}% tolerance after ${t.rounds} rounds (${Math.round(t.timedMs)} ms)`);
  if (Math.abs(b.referenceDriftPct) > tolerancePct) w.push(`reference network drifted ${b.referenceDriftPct > 0 ? '+' : ''}${b.referenceDriftPct.toFixed(1)}% (more than ±${tolerancePct}%)`);
  return w.length > 0 ? w.join('; ') : undefined;
}

/** The metrics and facts a measured row carries (CSV columns; docs/latency-protocol.md lists them). */
export function measuredRow(m: ItemMeasurement, b: BatchFacts, info: RuntimeInfo, tolerancePct: number): { metrics: Record<string, number>; info: Record<string, string | number> } {
  const t = m.timing;
  const s = t.stats;
  const warning = timingWarning(t, b, tolerancePct);
  return {
    metrics: { latencyMs: t.latencyMs, p90Ms: s.p90Ms, iqrMs: s.iqrMs, cv: s.cv, samples: s.samples, ciHalfWidthPct: t.ciHalfWidthPct, rounds: t.rounds },
    info: {
      runtime: info.runtime, runtimeVersion: info.version, provider: info.provider, threads: info.threads,
      referenceMs: b.referenceMs, referenceDriftPct: b.referenceDriftPct,
      loadAvg1Before: b.loadBefore.loadAvg[0], loadAvg1After: b.loadAfter.loadAvg[0],
      ...(b.cpuStealPct !== undefined && { cpuStealPct: b.cpuStealPct }),
      ...(t.cut && { timingCut: t.cut }),
      ...(warning && { timingWarning: warning }),
    },
  };
}
