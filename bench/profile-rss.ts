import { pathToFileURL } from 'node:url';
import { loadDevice, type MeasuredDevice, type TimingOptions } from '../src/latency/device-profile.ts';
import { measureGraph } from '../src/latency/measure.ts';
import { getRuntime } from '../src/runtime/runtime-registry.ts';
import { Rng } from '../src/util/rng.ts';
import { loadSpace } from '../src/space/space-registry.ts';
import { leastSquaresLine } from '../src/util/least-squares-line.ts';

/** RSS after every `every` models (MB). */
export interface RssCheckpoint {
  models: number;
  rssMb: number;
  seconds: number;
}

export interface ProfileRssResult {
  bench: 'profile-rss';
  device: string;
  space: string;
  timing: TimingOptions;
  /** Models measured (one fresh session each: export, session, warm-up, timed runs, dispose). */
  models: number;
  /** RSS before the first model, after the runtime's probe (MB). */
  rssBeforeMb: number;
  /** RSS after the last model (MB). */
  rssAfterMb: number;
  /** Largest RSS seen at a checkpoint (MB). */
  rssPeakSampledMb: number;
  /** The kernel's peak resident set of the process (`process.resourceUsage().maxRSS`, MB); includes anything this process did before the bench. */
  rssPeakKernelMb: number;
  /** after − before (MB). Target ≤ {@link ProfileRssResult.targetMb}. */
  growthMb: number;
  targetMb: number;
  meetsTarget: boolean;
  /**
   * Growth per 100 models after the first checkpoint (least-squares slope over the checkpoints from
   * the first one on, × 100), so one-time allocations (ORT's first session, JIT) do not count.
   */
  growthPer100ModelsMb: number;
  /** Models per second, wall time. */
  modelsPerSecond: number;
  seconds: number;
  /** Whether `global.gc` was there (node --expose-gc) and was called before every RSS reading. */
  gcForced: boolean;
  note: string;
  checkpoints: RssCheckpoint[];
}

const mb = (bytes: number): number => bytes / (1024 * 1024);

/**
 * Memory of a long measuring run, as `hwnas profile` and a measured search do it: `models` uniformly
 * random nb201 architectures on `ort-cpu-1t`, each in its own fresh ORT session with minimal timing
 * (1 warm-up run, 2 timed runs), RSS read every `every` models. Target: ≤ 100 MB growth over 1,000
 * models. Run with `node --expose-gc --import tsx bench/profile-rss.ts` to force a GC before each
 * reading (otherwise RSS includes garbage not yet collected, and the result says so).
 */
export async function profileRssBench(opts: { models?: number; every?: number; seed?: number; device?: string } = {}): Promise<ProfileRssResult> {
  const base = loadDevice(opts.device ?? 'ort-cpu-1t');
  if (base.kind !== 'measured') throw new Error(`${base.id} is not a measured device`);
  // A fixed count (one round, no tolerance): this bench is about memory, not precision.
  const timing: TimingOptions = { warmupRuns: 1, warmupMs: 0, iterations: 2, minTimeMs: 0, minRounds: 1, ciTolerancePct: Infinity, maxTimeMs: 0 };
  const device: MeasuredDevice = { ...base, timing };
  const runtime = getRuntime(device.runtime);
  if (!runtime) throw new Error(`no runtime ${device.runtime}`);
  const probe = await runtime.probe();
  if (!probe.available) throw new Error(`${device.id} unavailable: ${probe.reason}`);
  const space = loadSpace('nb201');
  const n = opts.models ?? 1000;
  const every = opts.every ?? 100;
  const rng = new Rng(opts.seed ?? 5);
  const gc = (globalThis as { gc?: () => void }).gc;
  const read = (): number => {
    gc?.();
    return mb(process.memoryUsage.rss());
  };
  const rssBeforeMb = read();
  const t0 = performance.now();
  const checkpoints: RssCheckpoint[] = [];
  for (let i = 1; i <= n; i++) {
    const g = space.decisions.map((d) => rng.int(d.choices.length));
    await measureGraph(runtime, space.build(g), device);
    if (i % every === 0 || i === n) checkpoints.push({ models: i, rssMb: read(), seconds: (performance.now() - t0) / 1000 });
  }
  const seconds = (performance.now() - t0) / 1000;
  const rssAfterMb = checkpoints[checkpoints.length - 1]!.rssMb;
  const growthMb = rssAfterMb - rssBeforeMb;
  const targetMb = 100;
  return {
    bench: 'profile-rss', device: device.id, space: space.id, timing, models: n,
    rssBeforeMb, rssAfterMb,
    rssPeakSampledMb: Math.max(rssBeforeMb, ...checkpoints.map((c) => c.rssMb)),
    rssPeakKernelMb: process.resourceUsage().maxRSS / 1024,
    growthMb, targetMb, meetsTarget: growthMb <= targetMb,
    growthPer100ModelsMb: leastSquaresLine(checkpoints.map((c) => c.models), checkpoints.map((c) => c.rssMb)).slope * 100,
    modelsPerSecond: n / seconds, seconds,
    gcForced: gc !== undefined,
    note: gc ? 'global.gc() called before every RSS reading' : 'run without --expose-gc: RSS readings include garbage not yet collected',
    checkpoints,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const models = process.argv[2] ? Number(process.argv[2]) : undefined;
  console.log(JSON.stringify(await profileRssBench(models !== undefined ? { models, every: Math.max(1, Math.round(models / 10)) } : {}), null, 2));
}
