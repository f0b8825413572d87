import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { InputError } from '../../errors.ts';
import { strategies as strategyRegistry } from '../../search/strategy-registry.ts';
import { writeFileAtomic } from '../../util/atomic-write.ts';
import { ResultsFolder } from '../results-folder.ts';
import type { StrategyOptions } from '../study.ts';
import { runInChildProcesses } from './child-pool.ts';
import { checkSuiteForRun } from './suite-check.ts';
import { loadSuite, suiteFromObject, type LoadedSuite, type SuiteProblem } from './suite-file.ts';
import { accuracyFactory } from '../../accuracy/accuracy-registry.ts';
import { tableAccuracyFactories } from '../../accuracy/table-accuracy.ts';
import { SUITE_RESULT_COLUMNS, summarizeSuite, type SuiteResultRow, type SuiteSummary } from './suite-summary.ts';
import { createProblemStudy, runSuiteTask, type SuiteAccuracy, type SuiteTask, type SuiteTaskResult } from './suite-task.ts';
import { accuracyKeys } from './problem-metrics.ts';

/** Strategies a suite run compares unless told otherwise. */
export const DEFAULT_SUITE_STRATEGIES = ['random', 're', 'nsga2', 'local', 'bo'] as const;
const DEFAULT_CHECKPOINTS = [50, 100, 200, 300, 500, 1000, 2000, 5000];

/** Settings of `hwnas suite run` (and of {@link runSuite} in the library). */
export interface SuiteRunOptions {
  /** A loaded suite, or a built-in suite id or path. @defaultValue 'hwnas-v1' */
  suite?: LoadedSuite | string;
  /** Problem ids to run. @defaultValue every problem of the suite */
  problems?: readonly string[];
  /** Strategy ids. @defaultValue random, re, nsga2, local, bo */
  strategies?: readonly string[];
  /** Strategy options by strategy id; `*` applies to every strategy. @defaultValue {} */
  strategyOptions?: Readonly<Record<string, StrategyOptions>>;
  /** Seeds 0..seeds−1 per problem × strategy. @defaultValue 10 */
  seeds?: number;
  /** Distinct evaluations per run. @defaultValue 300 */
  budget?: number;
  /** Evaluation counts each run is scored at; the budget is always added. @defaultValue 50, 100, 200, 300, 500, … up to the budget */
  checkpoints?: readonly number[];
  /** Level of the post-hoc tests and the critical difference. @defaultValue 0.05 */
  alpha?: number;
  /** Runs at once, each in its own child process; 1 runs in this process. Results do not depend on it. @defaultValue the number of cores */
  jobs?: number;
  /** Output folder. @defaultValue `results/suite-<suite id>` */
  out?: string;
  /** Continue the run in `out`: every run replays its journal. @defaultValue false */
  resume?: boolean;
  /**
   * Search with this accuracy signal instead of the problem's table (a zero-cost proxy, proxy
   * training, your trainer); every run is then scored by the table's truth twice: its reported front
   * and the best front among all it evaluated (`suite-results.csv` gets their columns).
   * Problems on a space without an accuracy table are refused. @defaultValue the table
   */
  accuracy?: SuiteAccuracy;
  /** Progress: called once per finished run. */
  onRun?: (r: SuiteTaskResult, done: number, total: number, elapsedMs: number) => void;
}

/** What {@link runSuite} wrote. */
export interface SuiteRunResult {
  readonly out: string;
  readonly suite: LoadedSuite;
  /** `suite-results.csv`. */
  readonly results: string;
  /** Summary files: `summary-problems.csv`, `summary-ranks.csv`, `summary-posthoc.csv`, `summary.json`. */
  readonly summaryFiles: readonly string[];
  readonly rows: readonly SuiteResultRow[];
  /** With {@link SuiteRunOptions.accuracy}: HV ratios of the reported fronts re-scored by the table's truth. */
  readonly summary: SuiteSummary;
  readonly jobs: number;
  /** The accuracy signal that drove the search, when not the table. */
  readonly accuracy?: SuiteAccuracy;
  /** With {@link SuiteRunOptions.accuracy}: the rows of `suite-results.csv`. */
  readonly proxyRows?: readonly ProxySuiteResultRow[];
  /** With {@link SuiteRunOptions.accuracy}: the summary of the best fronts among all evaluated architectures. */
  readonly bestEvaluated?: SuiteSummary;
}

/** One row of `suite-results.csv` of a run driven by a non-table accuracy signal ({@link SuiteRunOptions.accuracy}). */
export interface ProxySuiteResultRow {
  readonly problem: string;
  readonly strategy: string;
  readonly seed: number;
  /** The accuracy source the search used. */
  readonly accuracySource: string;
  readonly evaluations: number;
  /** Members of the front the search reports (non-dominated under the proxy). */
  readonly reportedFrontSize: number;
  /** HV ratio of the reported front, each member re-scored with the table's accuracy. */
  readonly reportedHvRatio: number;
  readonly reportedIgdPlus: number;
  /** HV ratio of the non-dominated set, by the table's accuracy, of every evaluated architecture. */
  readonly bestEvaluatedHvRatio: number;
  readonly bestEvaluatedIgdPlus: number;
}

/** Column header of `suite-results.csv` of a run driven by a non-table accuracy signal. */
export const PROXY_SUITE_RESULT_COLUMNS = [
  'problem', 'strategy', 'seed', 'accuracySource', 'evaluations', 'reportedFrontSize', 'reportedHvRatio', 'reportedIgdPlus', 'bestEvaluatedHvRatio', 'bestEvaluatedIgdPlus',
] as const;

/** How a proxy-driven run is scored (config.json and summary.json say it). */
const SCORED_BY = {
  reported: "the front the search reports (feasible, non-dominated under the search's accuracy signal and the other objectives), each member re-scored with the table's accuracy, hypervolume against the exact front's reference point / the exact front's hypervolume",
  bestEvaluated: "the non-dominated set, by the table's accuracy, of every feasible evaluated architecture, scored the same way",
};

/** `results/suite-<suite>`, or `results/suite-<suite>-<source>` for a search with another accuracy signal. */
function defaultSuiteOut(suiteId: string, accuracy: SuiteAccuracy | undefined): string {
  if (accuracy === undefined) return join('results', `suite-${suiteId}`);
  const tag = accuracy.source.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return join('results', `suite-${suiteId}-${tag}`);
}

/**
 * A non-table accuracy signal is scored against the table's truth, so every problem's space must
 * have a table; a constraint on accuracy would constrain the proxy, which no problem means.
 */
function checkSuiteAccuracy(accuracy: SuiteAccuracy, problems: readonly SuiteProblem[]): void {
  if (typeof accuracy.source !== 'string' || accuracy.source.trim() === '') throw new InputError('bad-flag', 'empty accuracy source', { path: '--accuracy', expected: 'an accuracy source id such as zero-cost:naswot' });
  const factory = accuracyFactory(accuracy.source);
  if (tableAccuracyFactories.some((f) => f.id === factory.id)) {
    throw new InputError('bad-flag', `--accuracy ${accuracy.source} is a table: suite problems are searched on their table already`, { path: '--accuracy', expected: 'a non-table accuracy signal (zero-cost:naswot, proxy-train, command:…), or no --accuracy', actual: JSON.stringify(accuracy.source) });
  }
  for (const p of problems) {
    if (accuracyKeys(p.space).length === 0) {
      throw new InputError('incompatible', `problem ${p.id}: space ${p.space} has no accuracy table to score a search driven by ${accuracy.source}`, { path: '--accuracy', expected: 'problems on a space with an accuracy table (nb201, nasbench-macro)', actual: JSON.stringify(p.id) });
    }
    if ((p.constraints ?? []).some((c) => c.metric === 'accuracy')) {
      throw new InputError('incompatible', `problem ${p.id} constrains accuracy, which a search driven by ${accuracy.source} cannot check`, { path: '--accuracy', expected: 'problems without an accuracy constraint', actual: JSON.stringify(p.id) });
    }
  }
}

/**
 * Run a benchmark suite: every selected problem × strategy × seed is a {@link Study} (journal per run
 * under `<out>/runs/<problem>/<strategy>/seed-<k>.jsonl`, replayed on resume) scored against the
 * problem's exact front with the suite's fixed bounds and reference point at each checkpoint. Runs
 * go to `jobs` child processes; results are gathered in problem × strategy × seed order, so they do
 * not depend on the number of jobs. Writes `config.json`, `suite-results.csv` (problem, strategy,
 * seed, evaluations, hvRatio, igdPlus; a row per checkpoint) and the summary ({@link summarizeSuite}).
 * Every input is checked (and every problem × strategy study built) before anything is written.
 */
export async function runSuite(opts: SuiteRunOptions = {}): Promise<SuiteRunResult> {
  const suite = typeof opts.suite === 'object' ? suiteFromObject(opts.suite) : loadSuite(opts.suite ?? 'hwnas-v1');
  const ids = suite.problems.map((p) => p.id);
  const wanted = [...(opts.problems ?? ids)];
  if (wanted.length === 0) throw new InputError('bad-flag', 'no problems given', { path: '--problems', expected: `some of ${ids.join(', ')}` });
  for (const id of wanted) {
    if (!ids.includes(id)) throw new InputError('unknown-id', `unknown problem "${id}" in suite ${suite.id}`, { path: '--problems', expected: `some of ${ids.join(', ')}`, actual: JSON.stringify(id) });
  }
  if (new Set(wanted).size !== wanted.length) throw new InputError('bad-flag', 'a problem is repeated', { path: '--problems', actual: wanted.join(',') });
  const problems = suite.problems.filter((p) => wanted.includes(p.id));
  const strategies = [...(opts.strategies ?? DEFAULT_SUITE_STRATEGIES)];
  if (strategies.length === 0) throw new InputError('bad-flag', 'no strategies given', { path: '--strategies', expected: `some of ${strategyRegistry.ids().join(', ')}` });
  for (const s of strategies) strategyRegistry.get(s, '--strategies');
  if (new Set(strategies).size !== strategies.length) throw new InputError('bad-flag', 'a strategy is repeated', { path: '--strategies', actual: strategies.join(',') });
  const seeds = opts.seeds ?? 10;
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > 10_000) throw new InputError('bad-flag', 'seeds out of range', { path: '--seeds', expected: 'an integer in [1, 10000]', actual: String(seeds) });
  const budget = opts.budget ?? 300;
  if (!Number.isInteger(budget) || budget < 1 || budget > 1_000_000) throw new InputError('bad-flag', 'budget out of range', { path: '--budget', expected: 'an integer in [1, 1000000]', actual: String(budget) });
  for (const c of opts.checkpoints ?? []) {
    if (!Number.isInteger(c) || c < 1) throw new InputError('bad-flag', 'checkpoints must be positive integers', { path: '--checkpoints', actual: String(c) });
  }
  const checkpoints = [...new Set([...(opts.checkpoints ?? DEFAULT_CHECKPOINTS).filter((c) => c < budget), budget])].sort((a, b) => a - b);
  const alpha = opts.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new InputError('bad-flag', 'alpha out of range', { path: '--alpha', expected: 'a number in (0, 1)', actual: String(alpha) });
  const jobs = opts.jobs ?? availableParallelism();
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 1024) throw new InputError('bad-flag', 'jobs out of range', { path: '--jobs', expected: 'an integer in [1, 1024]', actual: String(jobs) });
  const strategyOptions = opts.strategyOptions ?? {};
  for (const k of Object.keys(strategyOptions)) {
    if (k !== '*' && !strategies.includes(k)) throw new InputError('bad-flag', `options given for strategy "${k}", which is not run`, { path: '--option', expected: `one of ${strategies.join(', ')} (or no prefix for all)` });
  }
  const optionsOf = (s: string): StrategyOptions => ({ ...strategyOptions['*'], ...strategyOptions[s] });
  const accuracy = opts.accuracy;
  if (accuracy !== undefined) checkSuiteAccuracy(accuracy, problems);
  // The file must match its own exact fronts (an edited copy carries its own id) before any run is scored on it.
  await checkSuiteForRun(suite, wanted);
  // Every problem × strategy builds (devices, objectives, strategy options) before anything is written.
  for (const p of problems) for (const s of strategies) await createProblemStudy(p, s, optionsOf(s), 0, budget, { kind: 'memory' }, accuracy);

  const out = opts.out ?? defaultSuiteOut(suite.id, accuracy);
  const folder = ResultsFolder.open({
    dir: out,
    kind: 'suite',
    resume: opts.resume ?? false,
    fingerprint: { suite: { id: suite.id, version: suite.version, contentHash: suite.contentHash }, budget, strategyOptions, ...(accuracy && { accuracy }) },
  });
  folder.claim({
    suite: suite.id, suiteVersion: suite.version, suiteFile: suite.file, problems: wanted, strategies, seeds, budget, checkpoints, alpha, jobs,
    strategyOptions, ...(accuracy && { accuracy, scoredBy: SCORED_BY }),
    node: process.version, platform: `${process.platform}-${process.arch}`, startedAt: new Date().toISOString(),
  });
  try {
    const tasks: SuiteTask[] = [];
    for (const problem of problems) {
      for (const strategy of strategies) {
        for (let seed = 0; seed < seeds; seed++) {
          tasks.push({ problem, strategy, strategyOptions: optionsOf(strategy), seed, budget, checkpoints, journal: join(out, 'runs', problem.id, strategy, `seed-${seed}.jsonl`), ...(accuracy && { accuracy }) });
        }
      }
    }
    const t0 = performance.now();
    let done = 0;
    const report = (r: SuiteTaskResult) => opts.onRun?.(r, ++done, tasks.length, performance.now() - t0);
    let results: SuiteTaskResult[];
    if (jobs === 1) {
      results = [];
      for (const t of tasks) {
        const r = await runSuiteTask(t);
        results.push(r);
        report(r);
      }
    } else {
      results = await runInChildProcesses<SuiteTask, SuiteTaskResult>({
        module: new URL(`./suite-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
        jobs,
        tasks,
        describe: (t) => `problem ${t.problem.id}, strategy ${t.strategy}, seed ${t.seed}`,
        onResult: report,
      });
    }
    const rows: SuiteResultRow[] = results.flatMap((r) => r.scores.map((s) => ({ problem: r.problem, strategy: r.strategy, seed: r.seed, evaluations: s.evaluations, hvRatio: s.hvRatio, igdPlus: s.igdPlus })));
    const resultsFile = join(out, 'suite-results.csv');
    const summary = summarizeSuite(rows, wanted, strategies, alpha);
    if (accuracy === undefined) {
      writeFileAtomic(resultsFile, stringify(rows.map((r) => SUITE_RESULT_COLUMNS.map((c) => r[c])), { header: true, columns: [...SUITE_RESULT_COLUMNS] }));
      const summaryFiles = writeSummary(out, summary, suite);
      return { out, suite, results: resultsFile, summaryFiles, rows, summary, jobs };
    }
    const proxyRows: ProxySuiteResultRow[] = results.flatMap((r) => r.proxy!.scores.map((s) => ({
      problem: r.problem, strategy: r.strategy, seed: r.seed, accuracySource: accuracy.source, evaluations: s.evaluations,
      reportedFrontSize: s.reportedFrontSize, reportedHvRatio: s.reported.hvRatio, reportedIgdPlus: s.reported.igdPlus,
      bestEvaluatedHvRatio: s.bestEvaluated.hvRatio, bestEvaluatedIgdPlus: s.bestEvaluated.igdPlus,
    })));
    writeFileAtomic(resultsFile, stringify(proxyRows.map((r) => PROXY_SUITE_RESULT_COLUMNS.map((c) => r[c])), { header: true, columns: [...PROXY_SUITE_RESULT_COLUMNS] }));
    const best = summarizeSuite(proxyRows.map((r) => ({ ...r, hvRatio: r.bestEvaluatedHvRatio, igdPlus: r.bestEvaluatedIgdPlus })), wanted, strategies, alpha);
    const summaryFiles = writeSummary(out, summary, suite, { accuracy, bestEvaluated: best });
    return { out, suite, results: resultsFile, summaryFiles, rows, summary, jobs, accuracy, proxyRows, bestEvaluated: best };
  } finally {
    folder.release();
  }
}

/** Write `summary-problems.csv`, `summary-ranks.csv`, `summary-posthoc.csv` and `summary.json`. */
function writeSummary(out: string, s: SuiteSummary, suite: LoadedSuite, proxy?: { accuracy: SuiteAccuracy; bestEvaluated: SuiteSummary }): string[] {
  const problemsFile = join(out, 'summary-problems.csv');
  const pcols = ['problem', 'strategy', 'runs', 'medianHvRatio', 'q1HvRatio', 'q3HvRatio', 'iqrHvRatio', 'medianIgdPlus', 'rank'] as const;
  if (proxy === undefined) {
    writeFileAtomic(problemsFile, stringify(s.perProblem.map((r) => pcols.map((c) => r[c])), { header: true, columns: [...pcols] }));
  } else {
    // The same statistics of the reported fronts, then of the best evaluated fronts, under names that say which.
    const cols = ['problem', 'strategy', 'accuracySource', 'runs', 'medianReportedHvRatio', 'q1ReportedHvRatio', 'q3ReportedHvRatio', 'iqrReportedHvRatio', 'medianReportedIgdPlus', 'rank',
      'medianBestEvaluatedHvRatio', 'q1BestEvaluatedHvRatio', 'q3BestEvaluatedHvRatio', 'iqrBestEvaluatedHvRatio', 'medianBestEvaluatedIgdPlus'];
    const data = s.perProblem.map((r, i) => {
      const b = proxy.bestEvaluated.perProblem[i]!;
      return [r.problem, r.strategy, proxy.accuracy.source, r.runs, r.medianHvRatio, r.q1HvRatio, r.q3HvRatio, r.iqrHvRatio, r.medianIgdPlus, r.rank, b.medianHvRatio, b.q1HvRatio, b.q3HvRatio, b.iqrHvRatio, b.medianIgdPlus];
    });
    writeFileAtomic(problemsFile, stringify(data, { header: true, columns: cols }));
  }
  const ranksFile = join(out, 'summary-ranks.csv');
  writeFileAtomic(ranksFile, stringify(s.averageRanks.map((r) => [r.strategy, r.averageRank]), { header: true, columns: ['strategy', 'averageRank'] }));
  const posthocFile = join(out, 'summary-posthoc.csv');
  const hcols = ['strategyA', 'strategyB', 'n', 'v', 'p', 'pHolm', 'significant', 'better'] as const;
  writeFileAtomic(posthocFile, stringify(s.posthoc.map((r) => hcols.map((c) => (typeof r[c] === 'boolean' ? (r[c] ? 'yes' : 'no') : r[c]))), { header: true, columns: [...hcols] }));
  const jsonFile = join(out, 'summary.json');
  const json = {
    suite: suite.id,
    suiteVersion: suite.version,
    ...(proxy && {
      accuracySource: proxy.accuracy.source,
      ...(proxy.accuracy.data !== undefined && { accuracyData: proxy.accuracy.data }),
      ...(proxy.accuracy.training !== undefined && { accuracyTraining: proxy.accuracy.training }),
      scoredBy: SCORED_BY,
      hvRatioOf: 'reported',
    }),
    ...s,
    ...(proxy && { bestEvaluated: { perProblem: proxy.bestEvaluated.perProblem, averageRanks: proxy.bestEvaluated.averageRanks } }),
    problemInfo: suite.problems.filter((p) => s.problems.includes(p.id)).map((p) => ({ id: p.id, objectives: p.objectives, constraints: p.constraints ?? [], frontSize: p.frontSize, frontHypervolume: p.frontHypervolume })),
    methods: {
      perProblem: 'each run scored at its last checkpoint; median and quartiles over seeds by linear interpolation (Hyndman & Fan type 7)',
      ranks: 'strategies ranked on each problem by median HV ratio, 1 = best, mid-ranks on ties; averaged over problems',
      friedman: 'Friedman chi-squared (tie-corrected) on the per-problem median HV ratios, p from chi-squared with k - 1 df (Demšar 2006)',
      posthoc: 'two-sided Wilcoxon signed-rank test for each pair over problems (zeros dropped; exact for n <= 50), Holm-corrected',
      criticalDifference: 'Nemenyi critical difference CD = q_alpha sqrt(k(k+1)/(6n)) (Demšar 2006, Eq. 14); cliques: maximal groups whose average ranks differ by less than CD',
    },
  };
  writeFileAtomic(jsonFile, `${JSON.stringify(json, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2)}\n`);
  return [problemsFile, ranksFile, posthocFile, jsonFile];
}
