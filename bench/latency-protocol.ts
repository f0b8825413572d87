/**
 * `npm run bench -- latency-protocol`: how far measured latency can be trusted, with the protocol of
 * src/latency/measure.ts (adaptive, interleaved rounds, reference network) against the fixed-count
 * timing hwnas used before (warm-up, then at least 20 runs and 150 ms, one candidate after another,
 * median of the runs), both measured in this run on `ort-cpu-1t`:
 *
 * 1. repeatability: two independent measurements (fresh sessions) of the same seeded NAS-Bench-Macro
 *    architectures → Spearman ρ, median ciHalfWidthPct, rows flagged; idle, then with one core kept
 *    busy by `yes > /dev/null` (started here, killed after);
 * 2. `hwnas profile` (profileDevice) of seeded fbnet models twice → Spearman ρ between the two
 *    profiles' model latencies, and each profile's own pass-1-vs-pass-2 ρ; the baseline is the old
 *    profile timing (min of 3 round-robin visits of fixed-count timing, a fresh session each);
 * 3. wall time per candidate at equal precision: the adaptive protocol's median repeat error
 *    |a − b| / mean(a, b) on a subset (with the device's minimums, and with leaner ones), and the
 *    fixed-count timing with 20, 40, 80, … runs until its repeat error is as small; the ratio of
 *    wall time per candidate (sessions included).
 *
 * Sizes: HWNAS_BENCH_MACRO_ARCHS (100), HWNAS_BENCH_FBNET_MODELS (200), HWNAS_BENCH_PRECISION_ARCHS
 * (30); HWNAS_BENCH_PARTS=repeat,busy,profile,precision picks parts. Run it on a quiet machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLatencyProvider } from '../src/latency/create-latency-provider.ts';
import { loadDevice, type MeasuredDevice, type TimingOptions } from '../src/latency/device-profile.ts';
import { profileDevice } from '../src/latency/lut-profile.ts';
import { timeInterleaved } from '../src/latency/measure.ts';
import { timedRows, timingQuality, timingWarningText } from '../src/latency/timing-quality.ts';
import { getRuntime } from '../src/runtime/runtime-registry.ts';
import type { Runtime } from '../src/runtime/runtime.ts';
import type { Genotype, SearchSpace } from '../src/space/search-space.ts';
import { loadSpace } from '../src/space/space-registry.ts';
import { Rng } from '../src/util/rng.ts';
import { spearman } from '../src/util/spearman.ts';

const DEVICE = 'ort-cpu-1t';
/** The timing hwnas used before the adaptive protocol (devices/ort-cpu-1t.json then). */
const OLD = { warmupRuns: 3, warmupMs: 50, iterations: 20, minTimeMs: 150 };
const BATCH = 10;

function env(name: string, dflt: number): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : dflt;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** `n` distinct seeded architectures. */
function archs(space: SearchSpace, n: number, seed: number): Genotype[] {
  const rng = new Rng(seed);
  const seen = new Map<string, Genotype>();
  while (seen.size < n) {
    const g = space.decisions.map((d) => rng.int(d.choices.length));
    seen.set(space.encode(g), g);
  }
  return [...seen.values()];
}

/** Fixed-count timing: one candidate at a time, fresh session, warm-up, ≥ `iterations` runs and ≥ `minTimeMs`, median (or min) of the runs. */
function fixedPlan(iterations: number, minTimeMs: number): TimingOptions {
  return { warmupRuns: OLD.warmupRuns, warmupMs: OLD.warmupMs, iterations, minTimeMs, minRounds: 1, ciTolerancePct: Infinity, maxTimeMs: 0 };
}

async function fixedCount(runtime: Runtime, space: SearchSpace, gs: readonly Genotype[], plan: TimingOptions, statistic: 'median' | 'min' = 'median'): Promise<{ ms: number[]; wallMs: number }> {
  const t0 = performance.now();
  const ms: number[] = [];
  for (const g of gs) {
    const r = await runtime.load(space.build(g), { threads: 1 });
    try {
      const res = (await timeInterleaved([r], plan)).candidates[0]!;
      if ('error' in res) throw res.error;
      ms.push(statistic === 'min' ? res.ok.samples.reduce((a, b) => Math.min(a, b), Infinity) : res.ok.latencyMs);
    } finally {
      await r.dispose();
    }
  }
  return { ms, wallMs: performance.now() - t0 };
}

/** The adaptive protocol through the product path: a fresh measured provider, batches of 10 as a search asks them. */
async function adaptive(space: SearchSpace, gs: readonly Genotype[], device: MeasuredDevice): Promise<{ ms: number[]; ci: number[]; wallMs: number; flagged: number; warning: string | undefined }> {
  const provider = await createLatencyProvider(device, space);
  const t0 = performance.now();
  const rows: { metrics: Record<string, number>; info: Record<string, string | number> }[] = [];
  for (let i = 0; i < gs.length; i += BATCH) {
    const res = await provider.latencyBatch!(space, gs.slice(i, i + BATCH).map((genotype) => ({ genotype })));
    for (const r of res) {
      if ('error' in r) throw new Error(r.error);
      rows.push(r.ok);
    }
  }
  const wallMs = performance.now() - t0;
  await provider.close?.();
  const q = timingQuality(device.id, device.timing.ciTolerancePct, timedRows(rows));
  return {
    ms: rows.map((r) => r.metrics.latencyMs!), ci: rows.map((r) => r.metrics.ciHalfWidthPct!), wallMs,
    flagged: rows.filter((r) => r.info.timingWarning !== undefined).length, warning: timingWarningText(q),
  };
}

function repeatError(a: readonly number[], b: readonly number[]): number {
  return median(a.map((x, i) => Math.abs(x - b[i]!) / ((x + b[i]!) / 2)));
}

function say(line: string): void {
  process.stderr.write(`latency-protocol: ${line} (load average ${loadavg()[0]!.toFixed(2)})\n`);
}

async function repeatability(space: SearchSpace, gs: readonly Genotype[], device: MeasuredDevice, runtime: Runtime, what: string) {
  const load = loadavg()[0]!;
  // Alternated (adaptive, fixed, adaptive, fixed) so that a change of load hits both protocols alike.
  const a1 = await adaptive(space, gs, device);
  say(`${what}: adaptive 1/2 done`);
  const f1 = await fixedCount(runtime, space, gs, fixedPlan(OLD.iterations, OLD.minTimeMs));
  say(`${what}: fixed-count 1/2 done`);
  const a2 = await adaptive(space, gs, device);
  say(`${what}: adaptive 2/2 done`);
  const f2 = await fixedCount(runtime, space, gs, fixedPlan(OLD.iterations, OLD.minTimeMs));
  say(`${what}: fixed-count 2/2 done`);
  const rhoNew = spearman(a1.ms, a2.ms);
  const rhoOld = spearman(f1.ms, f2.ms);
  return {
    archs: gs.length, loadAvg1AtStart: load,
    spearman: rhoNew, spearmanFixedCount: rhoOld,
    rankDisagreementRatio: (1 - rhoNew) / (1 - rhoOld),
    medianCiHalfWidthPct: median([...a1.ci, ...a2.ci]),
    rowsFlagged: a1.flagged + a2.flagged, rowsMeasured: 2 * gs.length,
    terminalWarning: a1.warning ?? a2.warning ?? null,
    repeatError: repeatError(a1.ms, a2.ms), repeatErrorFixedCount: repeatError(f1.ms, f2.ms),
    wallMsPerCandidate: (a1.wallMs + a2.wallMs) / (2 * gs.length), wallMsPerCandidateFixedCount: (f1.wallMs + f2.wallMs) / (2 * gs.length),
  };
}

/** `yes > /dev/null` on one core while `work` runs. */
async function withBusyCore<T>(work: () => Promise<T>): Promise<T> {
  const yes: ChildProcess = spawn('yes', [], { stdio: ['ignore', 'ignore', 'ignore'] });
  await new Promise((r) => setTimeout(r, 2000)); // let the load average see it
  try {
    return await work();
  } finally {
    yes.kill('SIGKILL');
  }
}

async function profileRepeat(device: MeasuredDevice, runtime: Runtime, models: number) {
  const space = loadSpace('fbnet');
  const dir = mkdtempSync(join(tmpdir(), 'hwnas-bench-profile-'));
  try {
    // The old profile timing of the same models (profileDevice samples them with this seed): per
    // pass, 3 round-robin visits (fresh session each) of fixed-count timing, min of the runs.
    const rng = new Rng(1).fork('models');
    const gs = Array.from({ length: models }, () => space.decisions.map((d) => rng.int(d.choices.length)));
    const oldPass = async () => {
      const t = performance.now();
      const visits: number[][] = [];
      for (let r = 0; r < 3; r++) visits.push((await fixedCount(runtime, space, gs, fixedPlan(OLD.iterations, OLD.minTimeMs), 'min')).ms);
      return { ms: gs.map((_, k) => Math.min(...visits.map((v) => v[k]!))), seconds: (performance.now() - t) / 1000 };
    };
    const newProfile = async (file: string) => {
      const t = performance.now();
      const p = await profileDevice(device, space, { samples: models, seed: 1, folds: 5, outFile: join(dir, file) });
      return { p, seconds: (performance.now() - t) / 1000 };
    };
    // Alternated, so that a change of load hits both protocols alike.
    const n1 = await newProfile('a.json');
    say('profile 1/2 done');
    const o1 = await oldPass();
    say('old profile timing, pass 1/2 done');
    const n2 = await newProfile('b.json');
    say('profile 2/2 done');
    const o2 = await oldPass();
    say('old profile timing, pass 2/2 done');
    const [p1, p2] = [n1.p, n2.p];
    if (p1.models.some((m, k) => m.arch !== space.encode(gs[k]!))) throw new Error('the bench sampled other models than hwnas profile');
    const profileSeconds = (n1.seconds + n2.seconds) / 2;
    const oldSeconds = (o1.seconds + o2.seconds) / 2;
    const rhoNew = spearman(p1.models.map((m) => m.measuredMs), p2.models.map((m) => m.measuredMs));
    const rhoOld = spearman(o1.ms, o2.ms);
    return {
      models, spearmanTwoProfiles: rhoNew, spearmanPass1VsPass2: [p1.repeatSpearman, p2.repeatSpearman],
      spearmanOldTiming: rhoOld, rankDisagreementRatio: (1 - rhoNew) / (1 - rhoOld),
      medianCiHalfWidthPct: [p1.timing.medianCiHalfWidthPct, p2.timing.medianCiHalfWidthPct],
      graphsFlagged: [p1.timing.missedTolerance, p2.timing.missedTolerance], graphsTimed: [p1.timing.measured, p2.timing.measured],
      secondsPerProfile: profileSeconds, secondsOldTimingPerProfileModels: oldSeconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Shorter minimums than the device's (6 rounds of 2 runs and 10 ms): how cheap the adaptive protocol can be where the machine is quiet. */
function lean(device: MeasuredDevice): MeasuredDevice {
  return { ...device, timing: { ...device.timing, iterations: 12, minTimeMs: 60 } };
}

async function equalPrecision(space: SearchSpace, gs: readonly Genotype[], device: MeasuredDevice, runtime: Runtime) {
  const variants = [{ name: 'device timing', device }, { name: 'lean minimums (12 runs, 60 ms)', device: lean(device) }];
  const adaptives = [];
  for (const v of variants) {
    const a1 = await adaptive(space, gs, v.device);
    const a2 = await adaptive(space, gs, v.device);
    adaptives.push({ name: v.name, timing: v.device.timing, repeatError: repeatError(a1.ms, a2.ms), wallMsPerCandidate: (a1.wallMs + a2.wallMs) / (2 * gs.length), medianCiHalfWidthPct: median([...a1.ci, ...a2.ci]) });
    say(`precision: adaptive (${v.name}) done`);
  }
  const target = Math.min(...adaptives.map((a) => a.repeatError));
  const tried: { iterations: number; repeatError: number; wallMsPerCandidate: number }[] = [];
  for (let k = 1; k <= 64; k *= 2) {
    const plan = fixedPlan(OLD.iterations * k, OLD.minTimeMs * k);
    const f1 = await fixedCount(runtime, space, gs, plan);
    const f2 = await fixedCount(runtime, space, gs, plan);
    tried.push({ iterations: plan.iterations, repeatError: repeatError(f1.ms, f2.ms), wallMsPerCandidate: (f1.wallMs + f2.wallMs) / (2 * gs.length) });
    say(`precision: fixed count of ${plan.iterations} runs done`);
    if (tried.at(-1)!.repeatError <= target) break;
  }
  return {
    archs: gs.length, fixedCount: tried,
    adaptive: adaptives.map((a) => {
      const match = tried.find((x) => x.repeatError <= a.repeatError);
      return {
        ...a,
        ...(match
          ? { fixedCountRunsAtEqualPrecision: match.iterations, wallTimeRatioAdaptiveOverFixed: a.wallMsPerCandidate / match.wallMsPerCandidate }
          : { fixedCountRunsAtEqualPrecision: null, note: `fixed-count timing did not reach this repeat error up to ${tried.at(-1)!.iterations} runs`, wallTimeRatioAdaptiveOverLargestFixed: a.wallMsPerCandidate / tried.at(-1)!.wallMsPerCandidate }),
      };
    }),
  };
}

export async function latencyProtocolBench(): Promise<Record<string, unknown>> {
  const device = loadDevice(DEVICE) as MeasuredDevice;
  const runtime = getRuntime(device.runtime)!;
  const macro = loadSpace('nasbench-macro');
  const parts = new Set((process.env.HWNAS_BENCH_PARTS ?? 'repeat,busy,profile,precision').split(','));
  const n = env('HWNAS_BENCH_MACRO_ARCHS', 100);
  const gs = archs(macro, n, 20);
  const out: Record<string, unknown> = { device: DEVICE, timing: device.timing, cpus: (await import('node:os')).availableParallelism(), loadAvg1AtStart: loadavg()[0] };
  if (parts.has('repeat')) out.idle = await repeatability(macro, gs, device, runtime, 'idle');
  if (parts.has('busy')) out.oneCoreBusy = await withBusyCore(() => repeatability(macro, gs, device, runtime, 'one core busy'));
  if (parts.has('profile')) out.profileFbnet = await profileRepeat(device, runtime, env('HWNAS_BENCH_FBNET_MODELS', 200));
  if (parts.has('precision')) out.equalPrecision = await equalPrecision(macro, gs.slice(0, env('HWNAS_BENCH_PRECISION_ARCHS', 30)), device, runtime);
  out.loadAvg1AtEnd = loadavg()[0];
  return out;
}
