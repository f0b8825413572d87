import type { ModelGraph } from '../graph/model-graph.ts';
import type { TimingOptions } from './device-profile.ts';
import { summarize, type LatencyStats } from './latency-stats.ts';
import { medianCi } from './median-ci.ts';
import { MAX_TIMING_MS } from '../limits.ts';
import type { LoadOptions, Runnable, Runtime, RuntimeInfo } from '../runtime/runtime.ts';

/**
 * The one timing loop of hwnas (docs/latency-protocol.md). Every measured latency — a search's
 * candidates, `hwnas measure`, `hwnas profile`, a re-measured front — is timed by
 * {@link timeInterleaved}:
 *
 * - The candidates of a batch are timed in interleaved rounds (A B C R, A B C R, …; R is the
 *   reference network when one is given), so slow drift and bursts of load hit them alike.
 * - A visit of a candidate in a round is `iterations / minRounds` runs and at least
 *   `minTimeMs / minRounds` ms; a fresh session is warmed up before its first visit.
 * - A candidate's latency is the median over rounds of each round's median. Its 95 % confidence
 *   interval is the distribution-free order-statistic interval over the round medians
 *   (`median-ci.ts`): runs within one round share its load, so the rounds, not the runs, are the
 *   independent draws.
 * - A candidate stops once its minimums are met (`iterations`, `minTimeMs`, `minRounds`) and its CI
 *   lies within ±`ciTolerancePct` % — or its timed time reaches `maxTimeMs` (the tolerance was
 *   missed) — and always when it reaches {@link MAX_TIMING_MS}, whatever the counts ask.
 */

/** Where the wall time of one candidate went, in milliseconds. */
export interface MeasureOverhead {
  /** IR → runtime model format (ONNX bytes). 0 for a runtime that does not report the split. */
  exportMs: number;
  /** Session / model creation (all of the load time when the runtime does not split it). */
  sessionMs: number;
  /** Untimed warm-up runs. */
  warmupMs: number;
  /** Timed visits (the latency samples) of this candidate, the loop's bookkeeping included. */
  timedMs: number;
}

/** What the loop measured of one runnable. */
export interface CandidateTiming {
  /** Median over rounds of each round's median run time (ms): the latency. */
  latencyMs: number;
  /** The 95 % CI of {@link CandidateTiming.latencyMs} lies within ± this % of it (see {@link ciOf}). */
  ciHalfWidthPct: number;
  ciLowMs: number;
  ciHighMs: number;
  /** Rounds this candidate was timed in. */
  rounds: number;
  /** Median of each round, in round order (ms). */
  roundMediansMs: number[];
  /** Every timed run, in order (ms). */
  samples: number[];
  /** Stats over all timed runs (p90, IQR, CV, count). */
  stats: LatencyStats;
  warmupMs: number;
  timedMs: number;
  /** The CI reached the tolerance (false: stopped by `maxTimeMs` or the one-minute limit). */
  toleranceMet: boolean;
  /** Set when a phase stopped at {@link MAX_TIMING_MS} before its run count was reached. */
  cut?: string;
}

/** One visit of the loop, in the order they happen (`index` -1: the reference network). */
export interface Visit {
  round: number;
  index: number;
  /** Timed runs of the visit (0 when its runnable failed). */
  runs: number;
  /** Wall time of its timed runs, ms. */
  timedMs: number;
}

export interface InterleaveOptions {
  /** Timed after every round (drift control); its timing is returned as `reference`. */
  reference?: Runnable;
  /** Called after every visit. */
  onVisit?: (v: Visit) => void;
}

export interface InterleavedTiming {
  /** Per runnable, in order: its timing, or the error its `run()` threw (it left the rotation). */
  candidates: ({ ok: CandidateTiming } | { error: unknown })[];
  reference?: CandidateTiming;
}

/** The reference's visit stops at this wall time even when its run count or time asks for more (it is a clock, not a result). */
const REFERENCE_VISIT_CAP_MS = 250;

interface State {
  r: Runnable;
  samples: number[];
  roundMedians: number[];
  warmed: boolean;
  warmupMs: number;
  timedMs: number;
  done: boolean;
  met: boolean;
  cuts: string[];
  error?: { error: unknown };
}

function medianOf(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/**
 * The 95 % CI of the median of the round medians. With fewer than 6 rounds (only possible when a
 * candidate hit the one-minute limit, or in a library plan with `minRounds` < 6) it falls back to
 * the interval over the single runs, and with fewer than 6 runs to ±100 % (no interval exists).
 */
export function ciOf(roundMedians: readonly number[], samples: readonly number[]): { halfWidthPct: number; lowMs: number; highMs: number } {
  const ci = medianCi(roundMedians) ?? medianCi(samples);
  if (ci) return { halfWidthPct: ci.halfWidthPct, lowMs: ci.lowMs, highMs: ci.highMs };
  return { halfWidthPct: 100, lowMs: samples.reduce((a, b) => Math.min(a, b), Infinity), highMs: samples.reduce((a, b) => Math.max(a, b), -Infinity) };
}

async function warmUp(s: State, t: TimingOptions): Promise<void> {
  const w0 = performance.now();
  let runs = 0;
  while (runs < t.warmupRuns || performance.now() - w0 < t.warmupMs) {
    if (performance.now() - w0 >= MAX_TIMING_MS) {
      s.cuts.push(`warm-up stopped at ${MAX_TIMING_MS / 1000} s after ${runs} of ${t.warmupRuns} runs`);
      break;
    }
    await s.r.run();
    runs++;
  }
  s.warmupMs += performance.now() - w0;
  s.warmed = true;
}

/** One visit: warm-up on the first, then timed runs until the visit's count and time are met. */
async function visit(s: State, t: TimingOptions, runs: number, minMs: number, capMs: number): Promise<{ runs: number; timedMs: number }> {
  const before = { runs: s.samples.length, timedMs: s.timedMs };
  try {
    if (!s.warmed) await warmUp(s, t);
    const chunk: number[] = [];
    const v0 = performance.now();
    for (;;) {
      const a = performance.now();
      await s.r.run();
      const b = performance.now();
      chunk.push(b - a);
      if ((chunk.length >= runs && b - v0 >= minMs) || s.timedMs + (b - v0) >= capMs) break;
    }
    s.timedMs += performance.now() - v0;
    for (const x of chunk) s.samples.push(x); // a visit may hold 10^5 runs: too many to spread into push()
    s.roundMedians.push(medianOf(chunk));
  } catch (e) {
    s.error = { error: e };
    s.done = true;
  }
  return { runs: s.samples.length - before.runs, timedMs: s.timedMs - before.timedMs };
}

function result(s: State): CandidateTiming {
  const ci = ciOf(s.roundMedians, s.samples);
  return {
    latencyMs: medianOf(s.roundMedians), ciHalfWidthPct: ci.halfWidthPct, ciLowMs: ci.lowMs, ciHighMs: ci.highMs,
    rounds: s.roundMedians.length, roundMediansMs: s.roundMedians, samples: s.samples, stats: summarize(s.samples),
    warmupMs: s.warmupMs, timedMs: s.timedMs, toleranceMet: s.met, ...(s.cuts.length > 0 && { cut: s.cuts.join('; ') }),
  };
}

function newState(r: Runnable): State {
  return { r, samples: [], roundMedians: [], warmed: false, warmupMs: 0, timedMs: 0, done: false, met: false, cuts: [] };
}

/** What a candidate's timing so far says: go on, or stop (tolerance met, time cap, one-minute limit). */
export type StopDecision = 'continue' | 'met' | 'capped' | 'cut';

/**
 * The stopping rule, after each round: at {@link MAX_TIMING_MS} of timed time always stop (`cut`,
 * `met` if the CI happens to be within tolerance); before the minimums (`minRounds`, `iterations`,
 * `minTimeMs`) go on; then stop when the CI is within ±`ciTolerancePct` % (`met`) or the timed time
 * reached `maxTimeMs` (`capped`).
 */
export function stopDecision(s: { roundMedians: readonly number[]; samples: readonly number[]; timedMs: number }, t: TimingOptions): StopDecision {
  const within = () => ciOf(s.roundMedians, s.samples).halfWidthPct <= t.ciTolerancePct;
  if (s.timedMs >= MAX_TIMING_MS) return within() ? 'met' : 'cut';
  if (s.roundMedians.length < t.minRounds || s.samples.length < t.iterations || s.timedMs < t.minTimeMs) return 'continue';
  if (within()) return 'met';
  return s.timedMs >= t.maxTimeMs ? 'capped' : 'continue';
}

/**
 * Time `runnables` together in interleaved rounds until each one's CI reaches the tolerance or its
 * time cap (see the module comment). One runnable that throws leaves the rotation with its error;
 * the others go on. `t.ciTolerancePct` may be `Infinity` in a library plan: a fixed-count timing
 * (stop as soon as the minimums are met).
 */
export async function timeInterleaved(runnables: readonly Runnable[], t: TimingOptions, o: InterleaveOptions = {}): Promise<InterleavedTiming> {
  const rounds = Math.max(1, t.minRounds);
  const runsPerVisit = Math.max(1, Math.ceil(t.iterations / rounds));
  const visitMs = t.minTimeMs / rounds;
  const states = runnables.map(newState);
  const ref = o.reference ? newState(o.reference) : undefined;
  for (let round = 0; states.some((s) => !s.done); round++) {
    for (const [index, s] of states.entries()) {
      if (s.done) continue;
      const v = await visit(s, t, runsPerVisit, visitMs, MAX_TIMING_MS);
      o.onVisit?.({ round, index, ...v });
    }
    if (ref && !ref.done && ref.timedMs < MAX_TIMING_MS) {
      const v = await visit(ref, t, runsPerVisit, visitMs, ref.timedMs + REFERENCE_VISIT_CAP_MS);
      if (ref.error) throw new Error(`the reference network failed to run: ${String((ref.error.error as Error)?.message ?? ref.error.error)}`);
      o.onVisit?.({ round, index: -1, ...v });
    }
    for (const s of states) {
      if (s.done) continue;
      const d = stopDecision(s, t);
      if (d === 'continue') continue;
      s.done = true;
      s.met = d === 'met';
      if (s.timedMs >= MAX_TIMING_MS && s.samples.length < t.iterations) s.cuts.push(`timed runs stopped at ${MAX_TIMING_MS / 1000} s after ${s.samples.length} of ${t.iterations} runs`);
    }
  }
  return {
    candidates: states.map((s) => (s.error ? s.error : { ok: result(s) })),
    ...(ref && ref.roundMedians.length > 0 && { reference: result(ref) }),
  };
}

export interface GraphMeasurement {
  /** Median over rounds (ms); `stats.medianMs` is the median of all runs. */
  latencyMs: number;
  ciHalfWidthPct: number;
  rounds: number;
  stats: LatencyStats;
  info: RuntimeInfo;
  /** Output shape of the last run, batch included (`[1, classes]`). */
  outputShape: readonly number[];
  overhead: MeasureOverhead;
  toleranceMet: boolean;
  /** Why fewer runs than the device asks were made: a phase reached {@link MAX_TIMING_MS}. */
  timingCut?: string;
}

/** Split of load time some runnables report (the ORT ones: export vs session creation). */
interface LoadTimed {
  readonly loadTimings: { exportMs: number; sessionMs: number };
}

/** Export and session time of a runnable that reports them, else all of `loadMs` as session time. */
export function loadSplit(r: Runnable, loadMs: number): { exportMs: number; sessionMs: number } {
  const t = (r as Partial<LoadTimed>).loadTimings;
  return t !== undefined && typeof t.exportMs === 'number' && typeof t.sessionMs === 'number' ? { exportMs: t.exportMs, sessionMs: t.sessionMs } : { exportMs: 0, sessionMs: loadMs };
}

/** Stats of a loaded model timed alone with the protocol (no reference network). */
export async function measure(r: Runnable, t: TimingOptions): Promise<LatencyStats> {
  const res = (await timeInterleaved([r], t)).candidates[0]!;
  if ('error' in res) throw res.error;
  return res.ok.stats;
}

/**
 * Measure one candidate alone from scratch: export + session creation (`load`), warm-up, timed
 * rounds, dispose, with the wall time of each step. Searches measure batches
 * (`BatchMeasurer`, with the reference network); this is the single-model library call.
 */
export async function measureGraph(runtime: Runtime, graph: ModelGraph, device: { threads: number; timing: TimingOptions }): Promise<GraphMeasurement> {
  const opts: LoadOptions = { threads: device.threads };
  const t0 = performance.now();
  const r = await runtime.load(graph, opts);
  const split = loadSplit(r, performance.now() - t0);
  try {
    const res = (await timeInterleaved([r], device.timing)).candidates[0]!;
    if ('error' in res) throw res.error;
    const m = res.ok;
    return {
      latencyMs: m.latencyMs, ciHalfWidthPct: m.ciHalfWidthPct, rounds: m.rounds, stats: m.stats, info: runtime.info(opts), outputShape: [...r.outputShape()],
      overhead: { ...split, warmupMs: m.warmupMs, timedMs: m.timedMs }, toleranceMet: m.toleranceMet, ...(m.cut && { timingCut: m.cut }),
    };
  } finally {
    await r.dispose();
  }
}
