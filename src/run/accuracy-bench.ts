import { join } from 'node:path';
import { accuracyFactory, accuracySources } from '../accuracy/accuracy-registry.ts';
import { checkCommandProgram, COMMAND_PREFIX } from '../accuracy/command-source.ts';
import { DEFAULT_ACCURACY_SETTINGS, type AccuracySettings, type AccuracySource } from '../accuracy/accuracy-source.ts';
import { zeroCostMetricIds } from '../accuracy/zero-cost/zero-cost-metric.ts';
import { errorMessage, InputError } from '../errors.ts';
import { genotypeAt, spaceSize, type Genotype, type SearchSpace } from '../space/search-space.ts';
import { macroAccuracy } from '../tables/table-data.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { countsChildCpu, cpuSecondsNow } from '../util/cpu-time.ts';
import type { Interval } from '../util/rank-agreement.ts';
import { Rng } from '../util/rng.ts';
import { BenchJournal, type BenchJournalProblem, type BenchScoreEntry } from './accuracy-bench-journal.ts';
import { rankAgreement, rankAverage, type RankAgreement } from './accuracy-bench-stats.ts';
import { ResultsFolder } from './results-folder.ts';

/**
 * `accuracy-bench`: how well each accuracy signal ranks architectures of a space with an accuracy
 * table, and at what CPU cost. K architectures are drawn once (seeded, uniform, distinct; a smaller
 * K is a prefix of a larger one), every signal scores all of them, one signal at a time, and every
 * score is journaled as it comes (`scores.jsonl`), so a killed run resumes where it stopped. Per
 * signal: Spearman's ρ, Kendall's τ-b and the top-10 % precision against the table, with seeded
 * bootstrap intervals, and CPU-seconds per architecture including the source's one-off set-up
 * (a supernet's training) spread over the K architectures.
 */

/** Files of an accuracy-bench folder. */
export const ACCURACY_BENCH_FILES = { config: 'config.json', journal: 'scores.jsonl', results: 'accuracy-bench.json' } as const;

/** The ground truth of each space the bench serves: the table metric and what it is. */
const GROUND_TRUTH: Readonly<Record<string, { metric: string; text: string }>> = {
  'nasbench-macro': { metric: 'accuracy', text: 'NAS-Bench-Macro CIFAR-10 test accuracy, mean of its three trainings' },
  nb201: { metric: 'testAccuracy', text: 'NAS-Bench-201 CIFAR-10 test accuracy after 200 epochs (one training per cell in the vendored table)' },
};

/** A signal as the bench scores it. */
export type BenchSignal =
  /** An accuracy source (flops and params are the `zero-cost:` baselines). */
  | { name: string; kind: 'source'; source: string }
  /** A rank average of other signals over the sample (`combo:flops+naswot`). */
  | { name: string; kind: 'combo'; parts: string[] };

/**
 * Signal ids: every registered accuracy source (`supernet`, `command:…`, `zero-cost:…` once
 * registered), the zero-cost short names (`flops`, `params`, `synflow`, `naswot`, `grad_norm`,
 * `snip` for `zero-cost:<id>`), and `combo:<a>+<b>[+…]`, the rank average of signals a, b, … over
 * the sample (each part equally weighted, no ground truth used to combine them).
 */
export function resolveSignal(name: string, flag = '--signals'): BenchSignal {
  const known = (): string => `one of ${[...zeroCostMetricIds(), ...accuracySources.ids().filter((id) => id !== 'table').map((id) => (id.endsWith(':') ? `${id}<command>` : id))].join(', ')}, or combo:<a>+<b> of those`;
  if (name.startsWith('combo:')) {
    const parts = name.slice('combo:'.length).split('+').map((p) => p.trim());
    if (parts.length < 2 || parts.some((p) => p === '' || p.startsWith('combo:'))) {
      throw new InputError('bad-flag', `combo signal "${name}" needs two or more signals joined by +`, { path: flag, expected: 'e.g. combo:flops+naswot', actual: JSON.stringify(name) });
    }
    const sources = parts.map((p) => (resolveSignal(p, flag) as { source: string }).source);
    if (new Set(sources).size !== sources.length) throw new InputError('bad-flag', `combo signal "${name}" names a signal twice`, { path: flag, actual: JSON.stringify(name) });
    return { name, kind: 'combo', parts: sources };
  }
  if (name === 'table') throw new InputError('bad-flag', 'the table is the ground truth, not a signal', { path: flag, expected: known(), actual: '"table"' });
  if (zeroCostMetricIds().includes(name)) return { name, kind: 'source', source: `zero-cost:${name}` };
  try {
    // A registered id, or a prefixed name such as `command:python3 train.py`, checked by its factory
    // (and a trainer's program found) before anything runs.
    const factory = accuracyFactory(name);
    if (factory.id.endsWith(':')) factory.validate?.(name);
    if (name.startsWith(COMMAND_PREFIX)) checkCommandProgram(name);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    if (e.code !== 'unknown-id') throw new InputError(e.code, e.reason, { path: flag, ...(e.expected !== undefined && { expected: e.expected }), actual: JSON.stringify(name) });
    throw new InputError('unknown-id', `unknown signal "${name}"`, { path: flag, expected: known(), actual: JSON.stringify(name) });
  }
  return { name, kind: 'source', source: name };
}

/** What {@link runAccuracyBench} needs. */
export interface AccuracyBenchOptions {
  /** A built-in space with an accuracy table (`nasbench-macro`, `nb201`). */
  space: SearchSpace;
  /** Signal ids ({@link resolveSignal}), in the order they are scored and reported. */
  signals: readonly string[];
  /** Architectures drawn (K), at least 3. */
  samples: number;
  /** Seed of the architecture sample, of the bootstrap, and of every signal (weights, images, batches). */
  seed: number;
  /** Accuracy-source settings; their `seed` is replaced by {@link AccuracyBenchOptions.seed}. @defaultValue DEFAULT_ACCURACY_SETTINGS */
  settings?: AccuracySettings;
  /** Results folder: config.json, scores.jsonl, accuracy-bench.json. */
  out: string;
  /** Continue the run in `out` (same space, seed and settings). @defaultValue false */
  resume?: boolean;
  /** Bootstrap resamples per interval. @defaultValue 1000 */
  resamples?: number;
  /** Told what happens, for progress lines. */
  onEvent?: (e: AccuracyBenchEvent) => void;
}

export type AccuracyBenchEvent =
  | { type: 'start'; out: string; archs: number; resumed: boolean; journalProblems: readonly BenchJournalProblem[]; tornBytes: number }
  /**
   * A source's scoring begins: `todo` of `total` architectures are not in the journal yet. `signal`
   * names it as asked for (`flops`), `source` is its id (`zero-cost:flops`).
   */
  | { type: 'signal'; signal: string; source: string; todo: number; total: number }
  | { type: 'setup'; signal: string; cpuSeconds: number; wallMs: number }
  | { type: 'scored'; signal: string; arch: string; done: number; todo: number; failed: boolean; cpuSeconds: number }
  | { type: 'signal-done'; signal: string };

/** One line of the results: a signal, or the ceiling (one full training against another). */
export interface AccuracyBenchRow {
  space: string;
  /** The signal as asked for (`flops`, `zero-cost:synflow`, `combo:flops+naswot`), or `ceiling`. */
  signal: string;
  /** Architectures drawn (K). */
  samples: number;
  seed: number;
  /** null where undefined (a constant signal, fewer than 2 scored architectures). */
  spearman: number | null;
  kendall: number | null;
  top10Precision: number | null;
  /**
   * Mean CPU-seconds per architecture: scoring, plus the source's one-off set-up spread over the K
   * architectures (`settings.setupCpuSeconds`); a combo sums its parts. null for the ceiling.
   */
  cpuSecondsPerArch: number | null;
  settings: Record<string, unknown>;
  spearmanCi: Interval | null;
  kendallCi: Interval | null;
  top10PrecisionCi: Interval | null;
  /** Architectures the statistics are over (scored by the signal). */
  scored: number;
  /** Architectures the signal failed on (left out of the statistics). */
  failed: number;
}

export interface AccuracyBenchResult {
  out: string;
  rows: AccuracyBenchRow[];
  /** The ground truth the rows are against. */
  groundTruth: string;
}

/** K distinct architectures drawn uniformly with `Rng(seed)`: a smaller K gives a prefix of a larger one. */
export function benchArchs(space: SearchSpace, samples: number, seed: number): { arch: string; genotype: Genotype }[] {
  const size = spaceSize(space);
  if (samples > size) throw new Error(`benchArchs: ${samples} samples from a space of ${size}`);
  const rng = new Rng(seed).fork('accuracy-bench/archs');
  const seen = new Set<number>();
  const out: { arch: string; genotype: Genotype }[] = [];
  while (out.length < samples) {
    const i = rng.int(size);
    if (seen.has(i)) continue;
    seen.add(i);
    const genotype = genotypeAt(space, i);
    out.push({ arch: space.encode(genotype), genotype });
  }
  return out;
}

/** Repeated trainings of the table per arch, where it has them (NAS-Bench-Macro: three). */
function replicates(space: SearchSpace): ((arch: string) => readonly number[] | undefined) | undefined {
  if (space.id !== 'nasbench-macro') return undefined;
  const t = macroAccuracy();
  return (arch) => (Object.hasOwn(t, arch) ? t[arch]!.testAcc : undefined);
}

/** Seconds to the microsecond and milliseconds to 10 µs, never negative (the journal's precision). */
const micro = (s: number): number => Math.max(0, Math.round(s * 1e6) / 1e6);
const centi = (ms: number): number => Math.max(0, Math.round(ms * 100) / 100);
const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);
const intervalOrNull = (v: Interval): Interval | null => (Number.isFinite(v[0]) && Number.isFinite(v[1]) ? v : null);

const CPU_CLOCK = `process CPU time (user + system, every thread)${countsChildCpu() ? ' plus ended child processes (/proc/self/stat cutime + cstime)' : ''}`;

/** Run (or resume) the benchmark; the rows are also written to `out/accuracy-bench.json`. */
export async function runAccuracyBench(o: AccuracyBenchOptions): Promise<AccuracyBenchResult> {
  const { space, seed } = o;
  const emit = o.onEvent ?? (() => undefined);
  const truth = GROUND_TRUTH[space.id];
  // The table source refuses spaces without a table and changed copies of built-in ones.
  let table: AccuracySource;
  try {
    if (!truth) throw new InputError('incompatible', `no accuracy table for space "${space.id}"`, {});
    table = await accuracySources.get('table').create(space, DEFAULT_ACCURACY_SETTINGS);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new InputError('incompatible', `${e.reason}: accuracy-bench needs the space's accuracy table as ground truth`, { path: '--space', expected: `a built-in space with a table: ${Object.keys(GROUND_TRUTH).join(', ')}`, actual: JSON.stringify(space.id) });
  }
  const size = spaceSize(space);
  if (!Number.isSafeInteger(o.samples) || o.samples < 3 || o.samples > size) {
    throw new InputError('bad-flag', 'sample count out of range', { path: '--samples', expected: `an integer in [3, ${size}] (the size of ${space.id})`, actual: String(o.samples) });
  }
  if (o.signals.length === 0) throw new InputError('bad-flag', 'no signals', { path: '--signals', expected: 'a comma list of signals, e.g. flops,params,synflow' });
  const signals = [...new Set(o.signals)].map((s) => resolveSignal(s));
  const settings: AccuracySettings = { ...(o.settings ?? DEFAULT_ACCURACY_SETTINGS), seed };
  // jobs changes how fast, not what, and callbacks (progress) are no settings: a resumed run may
  // differ in them. The JSON round trip drops functions.
  // Each setting is its own fingerprint key, so a refused resume names the one that changed.
  const { jobs: _jobs, seed: _seed, ...rest } = settings;
  const scoreSettings = JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
  const folder = ResultsFolder.open({ dir: o.out, kind: 'accuracy-bench', fingerprint: { space: space.id, seed, groundTruth: truth!.metric, ...scoreSettings }, resume: o.resume ?? false });

  const archs = benchArchs(space, o.samples, seed);
  const truthOf = new Map<string, number>();
  for (const a of archs) truthOf.set(a.arch, (await table.metrics(space, a.genotype))[truth!.metric]!);

  folder.claim({ space: space.id, seed, settings, groundTruth: truth!.text, signals: o.signals, samples: o.samples });
  const journal = BenchJournal.open(join(o.out, ACCURACY_BENCH_FILES.journal));
  try {
    emit({ type: 'start', out: o.out, archs: archs.length, resumed: folder.resuming, journalProblems: journal.problems, tornBytes: journal.tornBytes });
    const sourceIds = [...new Set(signals.flatMap((s) => (s.kind === 'source' ? [s.source] : s.parts)))];
    // Progress names a source by the signal names asked for (`flops` for zero-cost:flops).
    const label = (id: string): string => signals.filter((s) => s.kind === 'source' && s.source === id).map((s) => s.name).join(', ') || id;
    for (const id of sourceIds) await scoreSource(id, label(id), space, archs, settings, journal, emit);
    const rows = benchRows(space, archs, signals, truthOf, journal, settings, { seed, samples: o.samples, resamples: o.resamples ?? 1000, truthText: truth!.text });
    writeFileAtomic(join(o.out, ACCURACY_BENCH_FILES.results), `${JSON.stringify({ hwnas: 1, kind: 'accuracy-bench', space: space.id, seed, samples: o.samples, groundTruth: truth!.text, rows }, null, 1)}\n`);
    return { out: o.out, rows, groundTruth: truth!.text };
  } finally {
    journal.close();
    folder.release();
  }
}

/** Score every architecture the journal lacks with one source, journaling each as it finishes. */
async function scoreSource(id: string, label: string, space: SearchSpace, archs: readonly { arch: string; genotype: Genotype }[], settings: AccuracySettings, journal: BenchJournal, emit: (e: AccuracyBenchEvent) => void): Promise<void> {
  const have = journal.scoresOf(id);
  const todo = archs.filter((a) => !have.has(a.arch));
  emit({ type: 'signal', signal: label, source: id, todo: todo.length, total: archs.length });
  const cpu0 = cpuSecondsNow().total;
  const t0 = performance.now();
  // Created even when every score is journaled (creating is cheap; one-off work waits for
  // prepare()), to check that the journaled scores still describe this source.
  const source = await accuracyFactory(id).create(space, settings, id);
  try {
    // Scores journaled by a source described otherwise (other data, budget or code) measure
    // something else: they are not mixed with new ones, nor reported under the new description.
    const before = journal.setupsOf(id).at(-1)?.description;
    if (before !== undefined && before !== source.description && have.size > 0) {
      throw new InputError('incompatible', `signal ${label} now measures something else than its ${have.size} journaled scores: was "${before}", now "${source.description}"`, { path: '--out', expected: 'a new --out folder for the new settings' });
    }
    if (todo.length === 0) {
      emit({ type: 'signal-done', signal: label });
      return;
    }
    // One-off work (a supernet's training) belongs to the set-up, not to the first architecture.
    await source.prepare?.();
    const setup = { signal: id, setup: true as const, cpuSeconds: micro(cpuSecondsNow().total - cpu0), wallMs: centi(performance.now() - t0), description: source.description };
    journal.append(source.oneOffCpuSeconds !== undefined ? { ...setup, reportedCpuSeconds: source.oneOffCpuSeconds } : setup);
    emit({ type: 'setup', signal: label, cpuSeconds: setup.cpuSeconds, wallMs: setup.wallMs });
    // Up to `concurrency` architectures in flight; each finished one is charged the CPU time the
    // process used since the previous one finished, so the charges sum to the signal's total.
    let last = cpuSecondsNow().total;
    let next = 0;
    let done = 0;
    const worker = async (): Promise<void> => {
      while (next < todo.length) {
        const a = todo[next++]!;
        const t = performance.now();
        let result: { score: number } | { error: string };
        try {
          const v = (await source.metrics(space, a.genotype))[source.metric];
          result = typeof v === 'number' && Number.isFinite(v) ? { score: v } : { error: `${source.metric} is ${String(v)}` };
        } catch (e) {
          result = { error: errorMessage(e) };
        }
        const now = cpuSecondsNow().total;
        const entry: BenchScoreEntry = { signal: id, arch: a.arch, ...result, cpuSeconds: micro(now - last), wallMs: centi(performance.now() - t) };
        last = now;
        journal.append(entry);
        emit({ type: 'scored', signal: label, arch: a.arch, done: ++done, todo: todo.length, failed: 'error' in result, cpuSeconds: entry.cpuSeconds });
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(source.concurrency ?? 1, todo.length)) }, worker));
  } finally {
    await source.close?.();
  }
  emit({ type: 'signal-done', signal: label });
}

interface SourceSummary {
  scores: Map<string, number>;
  failed: number;
  scoringCpuSecondsPerArch: number;
  setupCpuSeconds: number;
  cpuSecondsPerArch: number;
}

function summarise(id: string, archs: readonly { arch: string }[], journal: BenchJournal): SourceSummary {
  const entries = journal.scoresOf(id);
  const scores = new Map<string, number>();
  let failed = 0;
  let cpu = 0;
  let counted = 0;
  for (const a of archs) {
    const e = entries.get(a.arch);
    if (!e) continue;
    counted++;
    cpu += e.cpuSeconds;
    if (e.score !== undefined) scores.set(a.arch, e.score);
    else failed++;
  }
  // A source set up again on resume (a cached supernet) costs less than the first time: its
  // one-off cost is the largest measured or reported.
  const setupCpuSeconds = Math.max(0, ...journal.setupsOf(id).map((s) => Math.max(s.cpuSeconds, s.reportedCpuSeconds ?? 0)));
  const scoringCpuSecondsPerArch = counted > 0 ? cpu / counted : NaN;
  return { scores, failed, scoringCpuSecondsPerArch, setupCpuSeconds, cpuSecondsPerArch: scoringCpuSecondsPerArch + setupCpuSeconds / archs.length };
}

function benchRows(
  space: SearchSpace, archs: readonly { arch: string }[], signals: readonly BenchSignal[], truthOf: ReadonlyMap<string, number>, journal: BenchJournal,
  settings: AccuracySettings, o: { seed: number; samples: number; resamples: number; truthText: string },
): AccuracyBenchRow[] {
  const stat = (pairs: [number[], number[]][]): RankAgreement | undefined => (pairs[0]![0].length >= 2 ? rankAgreement(pairs, { seed: o.seed, resamples: o.resamples }) : undefined);
  const common = { bootstrap: { resamples: o.resamples, level: 0.95, method: 'percentile, architectures resampled with replacement' }, topFraction: 0.1, groundTruth: o.truthText };
  const row = (signal: string, r: RankAgreement | undefined, cpu: number | null, rowSettings: Record<string, unknown>, failed: number): AccuracyBenchRow => ({
    space: space.id, signal, samples: o.samples, seed: o.seed,
    spearman: r ? finiteOrNull(r.spearman) : null,
    kendall: r ? finiteOrNull(r.kendall) : null,
    top10Precision: r ? finiteOrNull(r.topPrecision) : null,
    cpuSecondsPerArch: cpu === null ? null : finiteOrNull(cpu),
    settings: { ...rowSettings, ...common },
    spearmanCi: r ? intervalOrNull(r.spearmanCi) : null,
    kendallCi: r ? intervalOrNull(r.kendallCi) : null,
    top10PrecisionCi: r ? intervalOrNull(r.topPrecisionCi) : null,
    scored: r?.n ?? 0,
    failed,
  });
  const rows: AccuracyBenchRow[] = [];
  const reps = replicates(space);
  if (reps) {
    const runs = archs.map((a) => reps(a.arch)!);
    const k = Math.min(...runs.map((r) => r.length));
    const col = (i: number): number[] => runs.map((r) => r[i]!);
    const pairs: [number[], number[]][] = [];
    for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) pairs.push([col(i), col(j)]);
    rows.push(row('ceiling', stat(pairs), null, {
      definition: `one full training against another: the mean over the ${pairs.length} pairs of the table's ${k} trainings of each statistic, on the same architectures (the bound any signal can reach against one training)`,
    }, 0));
  }
  const summaries = new Map<string, SourceSummary>();
  const summary = (id: string): SourceSummary => {
    let s = summaries.get(id);
    if (!s) summaries.set(id, (s = summarise(id, archs, journal)));
    return s;
  };
  for (const sig of signals) {
    if (sig.kind === 'source') {
      const s = summary(sig.source);
      const have = archs.filter((a) => s.scores.has(a.arch));
      rows.push(row(sig.name, stat([[have.map((a) => s.scores.get(a.arch)!), have.map((a) => truthOf.get(a.arch)!)]]), s.cpuSecondsPerArch, {
        source: sig.source,
        description: journal.setupsOf(sig.source).at(-1)?.description ?? accuracyFactory(sig.source).description,
        accuracySettings: settings,
        setupCpuSeconds: s.setupCpuSeconds,
        scoringCpuSecondsPerArch: finiteOrNull(s.scoringCpuSecondsPerArch),
        cpuClock: CPU_CLOCK,
      }, s.failed));
    } else {
      const parts = sig.parts.map(summary);
      const have = archs.filter((a) => parts.every((p) => p.scores.has(a.arch)));
      const combined = have.length > 0 ? rankAverage(parts.map((p) => have.map((a) => p.scores.get(a.arch)!))) : [];
      rows.push(row(sig.name, stat([[combined, have.map((a) => truthOf.get(a.arch)!)]]), parts.reduce((t, p) => t + p.cpuSecondsPerArch, 0), {
        parts: sig.parts,
        definition: 'mean of the parts\' average ranks over the sampled architectures, every part weighted equally (no ground truth used)',
        accuracySettings: settings,
        setupCpuSeconds: parts.reduce((t, p) => t + p.setupCpuSeconds, 0),
        scoringCpuSecondsPerArch: finiteOrNull(parts.reduce((t, p) => t + p.scoringCpuSecondsPerArch, 0)),
        cpuClock: CPU_CLOCK,
      }, archs.length - have.length));
    }
  }
  return rows;
}
