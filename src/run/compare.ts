import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { AccuracySource, TrainingBudget } from '../accuracy/accuracy-source.ts';
import { InputError } from '../errors.ts';
import { MAX_EVALUATIONS } from '../limits.ts';
import { loadDevice, type DeviceProfile } from '../latency/device-profile.ts';
import { AnytimeFront, exactFront, meetsConstraints, type TruthFront } from '../record/exact-front.ts';
import { writeTruthFront } from '../record/exact-front-file.ts';
import type { JournalEntry } from '../record/journal.ts';
import { constraintText, objective, type Constraint, type Objective } from '../record/metric-registry.ts';
import { DEFAULT_STRATEGY_ID, strategies as strategyRegistry } from '../search/strategy-registry.ts';
import { loadSpace } from '../space/space-registry.ts';
import type { SearchSpace } from '../space/search-space.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import type { Io } from '../util/io.ts';
import { mean, quartiles, rankSumTest, sampleStd } from '../util/stats.ts';
import { ResultsFolder } from './results-folder.ts';
import { Study, type EvaluationBackend, type StrategyOptions } from './study.ts';
import { enumerateSpace } from './truth.ts';

/** Strategy options by strategy id; the key `*` applies to every strategy. */
export type StrategyOptionsById = Readonly<Record<string, StrategyOptions>>;

/** Settings of `hwnas compare` (and of {@link compare} in the library). */
export interface CompareOptions {
  /** Space (or its id or path); must be small enough to enumerate (tables). @defaultValue 'nb201' */
  space?: SearchSpace | string;
  /** Table device (or its id or path); required when an objective is `latencyMs`. */
  device?: DeviceProfile | string;
  /** Strategy ids to compare. @defaultValue ['random', DEFAULT_STRATEGY_ID] (random and `bo`) */
  strategies?: readonly string[];
  /** Seeds 0..seeds−1 per strategy. @defaultValue 10 */
  seeds?: number;
  /** Distinct evaluations per run. @defaultValue 1000 */
  budget?: number;
  /** Evaluation counts at which runs are scored; the budget is always added. @defaultValue [50, 100, 300, 1000] (those ≤ budget) */
  checkpoints?: readonly number[];
  /** Objectives (or metric names); one objective (`accuracy`) = single-objective mode. @defaultValue ['accuracy', 'latencyMs'] */
  objectives?: readonly (Objective | string)[];
  /**
   * Every run searches under these, and is scored against the exact front of the architectures
   * meeting them (its infeasible evaluations add nothing). @defaultValue none
   */
  constraints?: readonly Constraint[];
  /** Accuracy source or its id. @defaultValue 'table' */
  accuracy?: AccuracySource | string;
  /** Image data of a registered data-dependent source (`--data`). @defaultValue the vendored CIFAR-10 subset */
  data?: string;
  /** Training budget of a registered training source (`--train-epochs`…). @defaultValue the source's defaults */
  training?: TrainingBudget;
  /** Strategy options, by strategy id (`*` = all). @defaultValue {} */
  strategyOptions?: StrategyOptionsById;
  /** Strategy the others are tested against. @defaultValue 'random' */
  baseline?: string;
  /** Significance level of the one-sided rank-sum test. @defaultValue 0.05 */
  alpha?: number;
  /** Output folder. @defaultValue `results/compare-<space>-<device>` */
  out?: string;
  /** Continue a comparison in `out` (journals are replayed). @defaultValue false */
  resume?: boolean;
  /** Progress goes to its stderr; silent when absent. */
  io?: Io;
  /** Where the runs' candidates are evaluated (queue workers…); closed by the caller. @defaultValue this process */
  backend?: EvaluationBackend;
}

/** One scored point of a run. */
export interface CheckpointScore {
  strategy: string;
  seed: number;
  /** Evaluations made (the checkpoint, or fewer when the run stopped early). */
  evaluations: number;
  /** The checkpoint this score belongs to. */
  checkpoint: number;
  /** Multi-objective: hypervolume in the fixed normalisation, its ratio to the true front's, IGD+. */
  hypervolume?: number;
  hvRatio?: number;
  igdPlus?: number;
  /** Single-objective: best searched accuracy so far and the test accuracy of that architecture. */
  bestValidAccuracy?: number;
  testAccuracy?: number;
}

/** One row of `summary.csv`. */
export interface SummaryRow {
  strategy: string;
  evaluations: number;
  runs: number;
  values: Record<string, number | string>;
}

/** What {@link compare} wrote. */
export interface CompareResult {
  out: string;
  mode: 'multi' | 'single';
  /** `hv.csv` (multi-objective) or `best.csv` (single-objective). */
  scores: string;
  summary: string;
  /** `curves.json`: each run's score over evaluations (hvRatio or testAccuracy), for plots. */
  curves: string;
  truth: TruthFront;
  rows: SummaryRow[];
}

/** Column header of `hv.csv` (a contract). */
export const HV_COLUMNS = ['strategy', 'seed', 'evaluations', 'hypervolume', 'hvRatio', 'igdPlus'] as const;
/** Column header of `best.csv` (a contract). */
export const BEST_COLUMNS = ['strategy', 'seed', 'evaluations', 'bestValidAccuracy', 'testAccuracy'] as const;

const DEFAULT_CHECKPOINTS = [50, 100, 300, 1000];

/**
 * Compare search strategies on a small table space against its exact front: every strategy × seed
 * runs through the real search loop and evaluator (journal per run under `<out>/runs/`, replayed on
 * `resume`), each run is scored at the checkpoints, and per strategy × checkpoint the median and IQR
 * of the HV ratio and a one-sided Wilcoxon rank-sum test against the baseline (random search) are
 * written. With a single objective (`accuracy`) the test accuracy of the best-by-validation
 * architecture is reported instead (as NAS-Bench-201, Dong & Yang 2020, §5, does).
 *
 * Writes `config.json`, `truth-<space>-<device>.{csv,json}`, `hv.csv` or `best.csv`, `summary.csv` and
 * `hv.svg` or `best.svg`.
 */
export async function compare(opts: CompareOptions = {}): Promise<CompareResult> {
  const known = strategyRegistry.ids();
  const strategies = [...(opts.strategies ?? ['random', DEFAULT_STRATEGY_ID])];
  if (strategies.length === 0) throw new InputError('bad-flag', 'no strategies given', { path: '--strategies', expected: `some of ${known.join(', ')}` });
  for (const s of strategies) strategyRegistry.get(s, '--strategies');
  if (new Set(strategies).size !== strategies.length) throw new InputError('bad-flag', 'a strategy is repeated', { path: '--strategies', actual: strategies.join(',') });
  const seeds = opts.seeds ?? 10;
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > 10_000) throw new InputError('bad-flag', 'seeds out of range', { path: '--seeds', expected: 'an integer in [1, 10000]', actual: String(seeds) });
  const budgetAsked = opts.budget ?? 1000;
  if (!Number.isSafeInteger(budgetAsked) || budgetAsked < 1 || budgetAsked > MAX_EVALUATIONS) throw new InputError('bad-flag', 'budget out of range', { path: '--budget', expected: `an integer in [1, ${MAX_EVALUATIONS}]`, actual: String(budgetAsked) });
  const checkpoints = [...new Set([...(opts.checkpoints ?? DEFAULT_CHECKPOINTS).filter((c) => c <= budgetAsked), budgetAsked])].sort((a, b) => a - b);
  for (const c of checkpoints) {
    if (!Number.isInteger(c) || c < 1) throw new InputError('bad-flag', 'checkpoints must be positive integers', { path: '--checkpoints', actual: String(c) });
  }
  const baseline = opts.baseline ?? 'random';
  const alpha = opts.alpha ?? 0.05;
  const strategyOptions = opts.strategyOptions ?? {};
  for (const k of Object.keys(strategyOptions)) {
    if (k !== '*' && !strategies.includes(k)) throw new InputError('bad-flag', `options given for strategy "${k}", which is not compared`, { path: '--option', expected: `one of ${strategies.join(', ')} (or no prefix for all)` });
  }
  const space = typeof opts.space === 'object' ? opts.space : loadSpace(opts.space ?? 'nb201');
  const device = opts.device === undefined ? undefined : typeof opts.device === 'string' ? loadDevice(opts.device) : opts.device;
  const objectives = (opts.objectives ?? ['accuracy', 'latencyMs']).map((o, i) => (typeof o === 'string' ? objective(o, `options.objectives[${i}]`) : o));
  const single = objectives.length === 1;
  if (single && objectives[0]!.metric !== 'accuracy') {
    throw new InputError('bad-flag', 'single-objective comparison needs the objective accuracy', { path: '--objectives', expected: 'accuracy, or two or more objectives', actual: objectives[0]!.metric });
  }
  const constraints = opts.constraints ?? [];
  const enumeration = await enumerateSpace({
    space, devices: device ? [device] : [], objectives, constraints, accuracy: opts.accuracy ?? 'table',
    ...(opts.data !== undefined && { data: opts.data }), ...(opts.training !== undefined && { training: opts.training }),
  });
  const truth = exactFront({ space: space.id, device: device?.id, objectives: enumeration.objectives, constraints: enumeration.constraints, archs: enumeration.archs, metrics: enumeration.metrics });
  // A run cannot make more distinct evaluations than the space has architectures.
  const budget = Math.min(budgetAsked, enumeration.archs.length);
  const optionsOf = (strategyId: string): StrategyOptions => ({ ...strategyOptions['*'], ...strategyOptions[strategyId] });
  // Every run shares the caller's backend; a study closes its backend when it ends, so each gets a view that does not.
  const shared = opts.backend;
  const backend: EvaluationBackend | undefined = shared && {
    parallelTargets: shared.parallelTargets,
    ...(shared.latencyProvider && { latencyProvider: (d: DeviceProfile, sp: SearchSpace) => shared.latencyProvider!(d, sp) }),
    evaluator: (plan) => shared.evaluator(plan),
    close: async () => {},
  };
  const studyOf = (strategyId: string, seed: number, journal?: string) => Study.create({
    space, devices: device ? [device] : [], objectives, constraints, strategy: strategyId, strategyOptions: optionsOf(strategyId),
    accuracy: enumeration.accuracy, budget, seed, counts: objectives.some((o) => o.metric === 'paramCount' || o.metric === 'flops'),
  }, { storage: journal ? { kind: 'journal', file: () => journal } : { kind: 'memory' }, ...(backend && { backend }) });
  // Bad strategy options are an InputError now, not after the other strategies have run.
  for (const s of strategies) await studyOf(s, 0);
  const out = opts.out ?? join('results', `compare-${space.id}${device ? `-${device.id}` : ''}`);
  const folder = ResultsFolder.open({
    dir: out,
    kind: 'compare',
    resume: opts.resume ?? false,
    fingerprint: {
      ...Study.fingerprint({ space, devices: device ? [device] : [], objectives, strategy: strategies.join(','), strategyOptions: {}, budget, seed: 0 }, enumeration.accuracy, enumeration.objectives, enumeration.constraints),
      strategyOptions,
    },
  });
  folder.claim({ space: space.id, device: device?.id ?? null, objectives: enumeration.objectives.map((o) => `${o.metric}:${o.direction}`), constraints: enumeration.constraints.map(constraintText), accuracy: enumeration.accuracy.id, strategies, seeds, budget: budgetAsked, checkpoints, baseline, alpha, strategyOptions, node: process.version, startedAt: new Date().toISOString() });
  try {
    writeTruthFront(out, truth);
    const step = Math.max(1, Math.round(budget / 100));
    const grid = [...new Set([...checkpoints, ...Array.from({ length: Math.floor(budget / step) }, (_, k) => (k + 1) * step)])].sort((a, b) => a - b);
    const scores: CheckpointScore[] = [];
    const curves = new Map<string, CheckpointScore[][]>(strategies.map((s) => [s, []]));
    const totalRuns = strategies.length * seeds;
    let doneRuns = 0;
    const t0 = performance.now();
    for (const strategyId of strategies) {
      for (let seed = 0; seed < seeds; seed++) {
        const tRun = performance.now();
        const study = await studyOf(strategyId, seed, join(out, 'runs', strategyId, `seed-${seed}.jsonl`));
        const run = (await study.run()).targets[0]!;
        const curve = scoreRun(truth, run.records, grid, single).map((s) => ({ strategy: strategyId, seed, checkpoint: s.evaluations, ...s }));
        curves.get(strategyId)!.push(curve);
        for (const c of checkpoints) {
          const s = curve.find((p) => p.evaluations === Math.min(c, run.records.length));
          if (s) scores.push({ ...s, checkpoint: c });
        }
        doneRuns++;
        const last = curve[curve.length - 1];
        const note = !last ? 'no evaluation' : single ? `best valid ${fmt(last.bestValidAccuracy)} test ${fmt(last.testAccuracy)}` : `HV ratio ${fmt(last.hvRatio)} IGD+ ${fmt(last.igdPlus)}`;
        opts.io?.err(`[${doneRuns}/${totalRuns}] ${strategyId} seed ${seed}: ${run.records.length} evaluated${run.resumed ? ` (${run.resumed} from the journal)` : ''}${run.exhausted ? ' (space exhausted)' : ''}, ${note} (${((performance.now() - tRun) / 1000).toFixed(1)}s, ${((performance.now() - t0) / 1000).toFixed(0)}s total)\n`);
      }
    }
    const rows = summarize(scores, strategies, checkpoints, baseline, alpha, single);
    const scoresFile = join(out, single ? 'best.csv' : 'hv.csv');
    const cols = single ? BEST_COLUMNS : HV_COLUMNS;
    writeFileAtomic(scoresFile, stringify(scores.map((s) => cols.map((c) => s[c as keyof CheckpointScore] ?? '')), { header: true, columns: [...cols] }));
    const summaryFile = join(out, 'summary.csv');
    const summaryCols = ['strategy', 'evaluations', 'runs', ...Object.keys(rows[0]?.values ?? {})];
    writeFileAtomic(summaryFile, stringify(rows.map((r) => [r.strategy, r.evaluations, r.runs, ...Object.values(r.values)]), { header: true, columns: summaryCols }));
    const curvesFile = join(out, 'curves.json');
    writeFileAtomic(curvesFile, `${JSON.stringify({ metric: single ? 'testAccuracy' : 'hvRatio', seeds, strategies: Object.fromEntries([...curves].map(([s, runs]) => [s, runs.map((c) => c.map((p) => [p.evaluations, (single ? p.testAccuracy : p.hvRatio) ?? null]))])) })}\n`);
    return { out, mode: single ? 'single' : 'multi', scores: scoresFile, summary: summaryFile, curves: curvesFile, truth, rows };
  } finally {
    folder.release();
  }
}

function fmt(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? String(v) : Number(v.toPrecision(5)).toString();
}

/**
 * Score one run's evaluations (in evaluation order) at each grid count: multi-objective by the
 * anytime front against the truth; single-objective by the best `accuracy` so far (the earliest on a
 * tie) and its `testAccuracy`. Failed evaluations count against the budget but add no point; so do
 * evaluations that miss a constraint of the problem.
 */
export function scoreRun(truth: TruthFront, records: readonly JournalEntry[], grid: readonly number[], single: boolean): Omit<CheckpointScore, 'strategy' | 'seed' | 'checkpoint'>[] {
  const out: Omit<CheckpointScore, 'strategy' | 'seed' | 'checkpoint'>[] = [];
  const front = new AnytimeFront(truth);
  let best: Record<string, number> | undefined;
  let k = 0;
  const counts = [...new Set(grid.map((g) => Math.min(g, records.length)))].filter((g) => g > 0).sort((a, b) => a - b);
  for (const c of counts) {
    for (; k < c; k++) {
      const o = records[k]!.outcome;
      if (o.status !== 'ok' || !meetsConstraints(truth, o.metrics)) continue;
      if (single) {
        const a = o.metrics.accuracy;
        if (a !== undefined && Number.isFinite(a) && (best === undefined || a > best.accuracy!)) best = o.metrics;
      } else {
        front.add(o.metrics);
      }
    }
    if (single) {
      out.push({ evaluations: c, ...(best && { bestValidAccuracy: best.accuracy!, testAccuracy: best.testAccuracy ?? NaN }) });
    } else {
      const q = front.quality();
      out.push({ evaluations: c, hypervolume: q.hypervolume, hvRatio: q.hvRatio, igdPlus: q.igdPlus });
    }
  }
  return out;
}

/**
 * Per strategy × checkpoint: multi-objective — median, quartiles and IQR of the HV ratio, median
 * IGD+, and the one-sided rank-sum p-value that the strategy's HV ratios exceed the baseline's;
 * single-objective — mean ± sample std of the test accuracy (and of the best validation accuracy) and
 * the same test on test accuracies. `aboveRandom` is `yes` when p < alpha.
 */
export function summarize(scores: readonly CheckpointScore[], strategies: readonly string[], checkpoints: readonly number[], baseline: string, alpha: number, single: boolean): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const key = single ? 'testAccuracy' : 'hvRatio';
  const pick = (s: string, c: number, k: keyof CheckpointScore) =>
    scores.filter((x) => x.strategy === s && x.checkpoint === c).map((x) => x[k] as number | undefined).filter((v): v is number => v !== undefined && !Number.isNaN(v));
  for (const strategy of strategies) {
    for (const c of checkpoints) {
      const v = pick(strategy, c, key);
      const base = strategies.includes(baseline) ? pick(baseline, c, key) : [];
      let pText: number | string = '';
      let above = '';
      if (strategy !== baseline && v.length > 0 && base.length > 0) {
        const p = rankSumTest(v, base, { alternative: 'greater' }).p;
        pText = p;
        above = p < alpha ? 'yes' : 'no';
      }
      const values: Record<string, number | string> = {};
      if (single) {
        const valid = pick(strategy, c, 'bestValidAccuracy');
        Object.assign(values, {
          meanTestAccuracy: mean(v), stdTestAccuracy: sampleStd(v),
          meanBestValidAccuracy: mean(valid), stdBestValidAccuracy: sampleStd(valid),
        });
      } else {
        const q = quartiles(v);
        const igd = quartiles(pick(strategy, c, 'igdPlus'));
        Object.assign(values, { medianHvRatio: q.median, q1HvRatio: q.q1, q3HvRatio: q.q3, iqrHvRatio: q.iqr, medianIgdPlus: igd.median });
      }
      values.pVsRandom = pText;
      values.aboveRandom = above;
      rows.push({ strategy, evaluations: c, runs: v.length, values });
    }
  }
  return rows;
}
