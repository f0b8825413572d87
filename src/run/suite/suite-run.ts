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
import { loadSuite, suiteFromObject, type LoadedSuite } from './suite-file.ts';
import { SUITE_RESULT_COLUMNS, summarizeSuite, type SuiteResultRow, type SuiteSummary } from './suite-summary.ts';
import { createProblemStudy, runSuiteTask, type SuiteTask, type SuiteTaskResult } from './suite-task.ts';

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
  readonly summary: SuiteSummary;
  readonly jobs: number;
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
  // The file must match its own exact fronts (an edited copy carries its own id) before any run is scored on it.
  await checkSuiteForRun(suite, wanted);
  // Every problem × strategy builds (devices, objectives, strategy options) before anything is written.
  for (const p of problems) for (const s of strategies) await createProblemStudy(p, s, optionsOf(s), 0, budget, { kind: 'memory' });

  const out = opts.out ?? join('results', `suite-${suite.id}`);
  const folder = ResultsFolder.open({
    dir: out,
    kind: 'suite',
    resume: opts.resume ?? false,
    fingerprint: { suite: { id: suite.id, version: suite.version, contentHash: suite.contentHash }, budget, strategyOptions },
  });
  folder.claim({
    suite: suite.id, suiteVersion: suite.version, suiteFile: suite.file, problems: wanted, strategies, seeds, budget, checkpoints, alpha, jobs,
    strategyOptions, node: process.version, platform: `${process.platform}-${process.arch}`, startedAt: new Date().toISOString(),
  });
  try {
    const tasks: SuiteTask[] = [];
    for (const problem of problems) {
      for (const strategy of strategies) {
        for (let seed = 0; seed < seeds; seed++) {
          tasks.push({ problem, strategy, strategyOptions: optionsOf(strategy), seed, budget, checkpoints, journal: join(out, 'runs', problem.id, strategy, `seed-${seed}.jsonl`) });
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
    writeFileAtomic(resultsFile, stringify(rows.map((r) => SUITE_RESULT_COLUMNS.map((c) => r[c])), { header: true, columns: [...SUITE_RESULT_COLUMNS] }));
    const summary = summarizeSuite(rows, wanted, strategies, alpha);
    const summaryFiles = writeSummary(out, summary, suite);
    return { out, suite, results: resultsFile, summaryFiles, rows, summary, jobs };
  } finally {
    folder.release();
  }
}

/** Write `summary-problems.csv`, `summary-ranks.csv`, `summary-posthoc.csv` and `summary.json`. */
function writeSummary(out: string, s: SuiteSummary, suite: LoadedSuite): string[] {
  const problemsFile = join(out, 'summary-problems.csv');
  const pcols = ['problem', 'strategy', 'runs', 'medianHvRatio', 'q1HvRatio', 'q3HvRatio', 'iqrHvRatio', 'medianIgdPlus', 'rank'] as const;
  writeFileAtomic(problemsFile, stringify(s.perProblem.map((r) => pcols.map((c) => r[c])), { header: true, columns: [...pcols] }));
  const ranksFile = join(out, 'summary-ranks.csv');
  writeFileAtomic(ranksFile, stringify(s.averageRanks.map((r) => [r.strategy, r.averageRank]), { header: true, columns: ['strategy', 'averageRank'] }));
  const posthocFile = join(out, 'summary-posthoc.csv');
  const hcols = ['strategyA', 'strategyB', 'n', 'v', 'p', 'pHolm', 'significant', 'better'] as const;
  writeFileAtomic(posthocFile, stringify(s.posthoc.map((r) => hcols.map((c) => (typeof r[c] === 'boolean' ? (r[c] ? 'yes' : 'no') : r[c]))), { header: true, columns: [...hcols] }));
  const jsonFile = join(out, 'summary.json');
  const json = {
    suite: suite.id,
    suiteVersion: suite.version,
    ...s,
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
