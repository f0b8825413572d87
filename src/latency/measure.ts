import { Bench } from 'tinybench';
import type { ModelGraph } from '../graph/model-graph.ts';
import type { MeasuredDevice, TimingOptions } from './device-profile.ts';
import { summarize, type LatencyStats } from './latency-stats.ts';
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
}

interface PhasedStats {
  stats: LatencyStats;
  warmupMs: number;
  timedMs: number;
}

/** Split of load time some runnables report (the ORT ones: export vs session creation). */
interface LoadTimed {
  readonly loadTimings: { exportMs: number; sessionMs: number };
}

function hasLoadTimings(r: Runnable): r is Runnable & LoadTimed {
  const t = (r as Partial<LoadTimed>).loadTimings;
  return t !== undefined && typeof t.exportMs === 'number' && typeof t.sessionMs === 'number';
}

async function measurePhases(r: Runnable, t: TimingOptions): Promise<PhasedStats> {
  const marks: Record<'warmup' | 'run', number> = { warmup: NaN, run: NaN };
  const warm = t.warmupRuns > 0 || t.warmupMs > 0;
  // tinybench 6, sequential mode: each phase runs until both its iteration count and its time
  // budget are met, so these are minimums, as TimingOptions promises.
  const bench = new Bench({
    warmup: warm,
    warmupIterations: t.warmupRuns,
    warmupTime: t.warmupMs,
    iterations: t.iterations,
    time: t.minTimeMs,
    retainSamples: true,
    throws: true,
    setup: (_task, mode) => {
      if (mode) marks[mode] = performance.now();
    },
  });
  // `async: true` skips tinybench's extra detection call of the function.
  bench.add('run', () => r.run(), { async: true });
  await bench.run();
  const end = performance.now();
  const task = bench.tasks[0];
  const res = task?.result;
  if (!res || (res.state !== 'completed')) {
    if (res?.state === 'errored') throw res.error;
    throw new Error(`timing did not complete (state ${res?.state ?? 'missing'})`);
  }
  const samples = res.latency.samples;
  if (!samples || samples.length === 0) throw new Error('tinybench kept no samples');
  return {
    stats: summarize(samples),
    warmupMs: warm ? marks.run - marks.warmup : 0,
    timedMs: end - marks.run,
  };
}

/**
 * Latency of a loaded model: untimed warm-up (at least `warmupRuns` runs and `warmupMs`), then
 * timed runs (at least `iterations` and `minTimeMs`), one `run()` per sample, stats over the raw
 * samples (ms). Timed with tinybench 6.
 */
export async function measure(r: Runnable, t: TimingOptions): Promise<LatencyStats> {
  return (await measurePhases(r, t)).stats;
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
    const { stats, warmupMs, timedMs } = await measurePhases(r, device.timing);
    return { stats, info: runtime.info(opts), outputShape: [...r.outputShape()], overhead: { ...split, warmupMs, timedMs } };
  } finally {
    await r.dispose();
  }
}
