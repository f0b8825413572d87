import { Bench } from 'tinybench';
import type { ModelGraph } from '../graph/model-graph.ts';
import type { MeasuredDevice, TimingOptions } from './device-profile.ts';
import { summarize, type LatencyStats } from './latency-stats.ts';
import { MAX_TIMING_MS } from '../limits.ts';
import type { Runnable, Runtime, RuntimeInfo } from '../runtime/runtime.ts';

/** Where the wall time of one candidate went, in milliseconds. */
export interface MeasureOverhead {
  /** IR → runtime model format (ONNX bytes). 0 for a runtime that does not report the split. */
  exportMs: number;
  /** Session / model creation (all of the load time when the runtime does not split it). */
  sessionMs: number;
  /** Untimed warm-up runs. */
  warmupMs: number;
  /** Timed runs (the latency samples), tinybench's bookkeeping included. */
  timedMs: number;
}

export interface GraphMeasurement {
  stats: LatencyStats;
  info: RuntimeInfo;
  /** Output shape of the last run, batch included (`[1, classes]`). */
  outputShape: readonly number[];
  overhead: MeasureOverhead;
  /** Why fewer runs than the device asks were made: a phase reached {@link MAX_TIMING_MS}. */
  timingCut?: string;
}

/** What {@link timePhases} measured. */
export interface PhasedTiming {
  /** Every timed run, ms. */
  samples: readonly number[];
  stats: LatencyStats;
  warmupMs: number;
  timedMs: number;
  /** Set when a phase stopped at {@link MAX_TIMING_MS} before its run count was reached. */
  cut?: string;
}

/** Split of load time some runnables report (the ORT ones: export vs session creation). */
interface LoadTimed {
  readonly loadTimings: { exportMs: number; sessionMs: number };
}

function hasLoadTimings(r: Runnable): r is Runnable & LoadTimed {
  const t = (r as Partial<LoadTimed>).loadTimings;
  return t !== undefined && typeof t.exportMs === 'number' && typeof t.sessionMs === 'number';
}

/**
 * Warm up, then time one `run()` per sample (tinybench 6): each phase runs until both its run count
 * and its time are met, and stops at {@link MAX_TIMING_MS} whatever its count.
 */
export async function timePhases(r: Runnable, t: TimingOptions): Promise<PhasedTiming> {
  // Each phase runs until both its run count and its time are met (minimums, as TimingOptions
  // promises) — but never past MAX_TIMING_MS: 100,000 runs of a 100 ms network would take hours.
  const cuts: string[] = [];
  const w0 = performance.now();
  let warmupRuns = 0;
  while (warmupRuns < t.warmupRuns || performance.now() - w0 < t.warmupMs) {
    if (performance.now() - w0 >= MAX_TIMING_MS) {
      cuts.push(`warm-up stopped at ${MAX_TIMING_MS / 1000} s after ${warmupRuns} of ${t.warmupRuns} runs`);
      break;
    }
    await r.run();
    warmupRuns++;
  }
  const t0 = performance.now();
  // Timed runs: tinybench 6, sequential mode; the run that passes the limit aborts the rest.
  const limit = new AbortController();
  const deadline = t0 + MAX_TIMING_MS;
  const bench = new Bench({ warmup: false, iterations: t.iterations, time: t.minTimeMs, retainSamples: true, throws: true, signal: limit.signal });
  // `async: true` skips tinybench's extra detection call of the function.
  bench.add('run', () => {
    if (performance.now() >= deadline) limit.abort();
    return r.run();
  }, { async: true });
  await bench.run();
  const end = performance.now();
  const res = bench.tasks[0]?.result;
  if (!res || (res.state !== 'completed' && res.state !== 'aborted-with-statistics')) {
    if (res?.state === 'errored') throw res.error;
    throw new Error(`timing did not complete (state ${res?.state ?? 'missing'})`);
  }
  const samples = res.latency.samples;
  if (!samples || samples.length === 0) throw new Error('tinybench kept no samples');
  if (res.state === 'aborted-with-statistics') cuts.push(`timed runs stopped at ${MAX_TIMING_MS / 1000} s after ${samples.length} of ${t.iterations} runs`);
  return { samples, stats: summarize(samples), warmupMs: t0 - w0, timedMs: end - t0, ...(cuts.length > 0 && { cut: cuts.join('; ') }) };
}

/**
 * Latency of a loaded model: untimed warm-up (at least `warmupRuns` runs and `warmupMs`), then
 * timed runs (at least `iterations` and `minTimeMs`), one `run()` per sample, stats over the raw
 * samples (ms); each phase stops at {@link MAX_TIMING_MS} whatever its run count. Timed with tinybench 6.
 */
export async function measure(r: Runnable, t: TimingOptions): Promise<LatencyStats> {
  return (await timePhases(r, t)).stats;
}

/**
 * Measure one candidate on a measured device from scratch: export + session creation (`load`),
 * warm-up, timed runs, dispose, with the wall time of each step, so overhead can be reported.
 */
export async function measureGraph(runtime: Runtime, graph: ModelGraph, device: MeasuredDevice): Promise<GraphMeasurement> {
  const opts = { threads: device.threads };
  const t0 = performance.now();
  const r = await runtime.load(graph, opts);
  const loadMs = performance.now() - t0;
  const split = hasLoadTimings(r) ? r.loadTimings : { exportMs: 0, sessionMs: loadMs };
  try {
    const { stats, warmupMs, timedMs, cut } = await timePhases(r, device.timing);
    return { stats, info: runtime.info(opts), outputShape: [...r.outputShape()], overhead: { ...split, warmupMs, timedMs }, ...(cut && { timingCut: cut }) };
  } finally {
    await r.dispose();
  }
}
