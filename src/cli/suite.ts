import { MAX_EVALUATIONS } from '../limits.ts';
import { availableParallelism } from 'node:os';
import { InputError } from '../errors.ts';
import type { Io } from '../util/io.ts';
import type { Command } from './command.ts';
import { parseOption, type OptionValue } from './compare.ts';
import { ACCURACY_DATA_FLAGS, ACCURACY_DATA_USAGE, parseAccuracyDataFlags } from './accuracy-flags.ts';
import { intFlag, listFlag, numberFlag, parseFlags } from './flags.ts';

const usage = `usage: hwnas suite run|list|verify [flags]

Benchmark suites: fixed, versioned sets of problems (space × accuracy × objectives × devices ×
constraints) with fixed normalisation bounds, reference points and exact Pareto fronts
(suites/<id>.json, e.g. hwnas-v1).

hwnas suite run [flags]   every problem × strategy × seed, scored against the exact fronts
  --suite S          suite id (suites/<id>.json) or path            [hwnas-v1]
  --problems L       comma-separated problem ids                    [all]
  --strategies L     comma-separated strategy ids                   [random,re,nsga2,local,bo]
  --seeds K          runs per problem × strategy, seeds 0..K-1      [10]
  --budget N         distinct evaluations per run                   [300]
  --checkpoints L    evaluation counts to score at (+ the budget)   [50,100,200,300,500,... below the budget]
  --option K=V       strategy option for all strategies; S.K=V for strategy S only; repeatable
  --alpha A          level of the post-hoc tests and the CD         [0.05]
  --jobs N           runs at once, each in a child process          [cores]
  --out DIR          output folder                                  [results/suite-<suite>]
  --resume           continue the run in --out (every run replays its journal)
  --accuracy A       search with this accuracy signal instead of the table (zero-cost:<proxy>,
                     proxy-train, command:<your trainer>); each run is then scored by the table's
                     truth twice: its reported front re-scored with table accuracy (reportedHvRatio)
                     and the best front among all it evaluated (bestEvaluatedHvRatio). Problems on
                     spaces with a table only                      [table; out: results/suite-<suite>-<A>]
${ACCURACY_DATA_USAGE}
Writes <out>/suite-results.csv (problem,strategy,seed,evaluations,hvRatio,igdPlus; a row per
checkpoint), summary-problems.csv (median, IQR, rank per problem × strategy), summary-ranks.csv,
summary-posthoc.csv (Wilcoxon signed-rank, Holm), summary.json (with the Friedman test and the
critical difference), summary.md, cd-plot.svg, and a journal per run under
runs/<problem>/<strategy>/seed-<k>.jsonl. With --accuracy, suite-results.csv has the columns
problem,strategy,seed,accuracySource,evaluations,reportedFrontSize,reportedHvRatio,reportedIgdPlus,
bestEvaluatedHvRatio,bestEvaluatedIgdPlus; the summaries rank the reported fronts and add the best
evaluated ones, and config.json and summary.json record the source.

hwnas suite list [--suite S]     the problems: objectives, constraints, front size, exact HV
hwnas suite verify [--suite S]   re-enumerate every problem from the tables and compare bounds,
                                 front and hypervolume with the file (exit 1 on a difference)`;

function fmt(v: number, digits = 4): string {
  return Number.isFinite(v) ? v.toFixed(digits) : String(v);
}

/** The flags of `hwnas suite run`. */
export const suiteRunFlags = {
  suite: { type: 'string' }, problems: { type: 'string' }, strategies: { type: 'string' }, seeds: { type: 'string' },
  budget: { type: 'string' }, checkpoints: { type: 'string' }, option: { type: 'string', multiple: true }, alpha: { type: 'string' },
  jobs: { type: 'string' }, out: { type: 'string' }, resume: { type: 'boolean' }, accuracy: { type: 'string' },
  ...ACCURACY_DATA_FLAGS,
} as const;

async function run(argv: readonly string[], io: Io): Promise<number> {
  const f = parseFlags(argv, suiteRunFlags);
  const accuracyData = parseAccuracyDataFlags(f);
  if (f.accuracy === undefined && Object.keys(accuracyData).length > 0) {
    throw new InputError('bad-flag', 'data and training flags need --accuracy: suite problems are searched on their table otherwise', { path: f.data !== undefined ? '--data' : '--train-*', expected: '--accuracy beside them' });
  }
  if (f.accuracy !== undefined && f.accuracy.trim() === '') throw new InputError('bad-flag', 'empty accuracy source', { path: '--accuracy', expected: 'an accuracy source id such as zero-cost:naswot' });
  // A trainer program that is not here fails now, once, not once per candidate.
  if (f.accuracy?.startsWith('command:')) (await import('../accuracy/command-source.ts')).checkCommandProgram(f.accuracy);
  const accuracy = f.accuracy !== undefined ? { source: f.accuracy, ...accuracyData } : undefined;
  const { runSuite, DEFAULT_SUITE_STRATEGIES } = await import('../run/suite/suite-run.ts');
  const strategies = listFlag(f.strategies) ?? [...DEFAULT_SUITE_STRATEGIES];
  const strategyOptions: Record<string, Record<string, OptionValue>> = {};
  for (const kv of f.option ?? []) {
    const [owner, key, value] = parseOption(kv, strategies);
    (strategyOptions[owner] ??= {})[key] = value;
  }
  const checkpoints = listFlag(f.checkpoints)?.map((c) => intFlag(c, '--checkpoints', 1, 1));
  const problems = listFlag(f.problems);
  if (f.out !== undefined && f.out.trim() === '') throw new InputError('bad-flag', 'empty output folder', { path: '--out', expected: 'a folder path' });
  const t0 = performance.now();
  const res = await runSuite({
    ...(f.suite !== undefined && { suite: f.suite }),
    ...(problems !== undefined && { problems }),
    strategies,
    strategyOptions,
    seeds: intFlag(f.seeds, '--seeds', 10, 1, 10_000),
    budget: intFlag(f.budget, '--budget', 300, 1, MAX_EVALUATIONS),
    ...(checkpoints !== undefined && { checkpoints }),
    alpha: numberFlag(f.alpha, '--alpha', 0.05, Number.MIN_VALUE, 0.5),
    jobs: intFlag(f.jobs, '--jobs', availableParallelism(), 1, 1024),
    ...(f.out !== undefined && { out: f.out }),
    resume: f.resume ?? false,
    ...(accuracy && { accuracy }),
    onRun: (r, done, total, ms) => {
      const last = r.scores[r.scores.length - 1];
      const best = r.proxy?.scores[r.proxy.scores.length - 1]?.bestEvaluated;
      const hv = r.proxy ? `reported front HV ratio ${last ? fmt(last.hvRatio) : '-'}, best evaluated ${best ? fmt(best.hvRatio) : '-'} (table truth)` : `HV ratio ${last ? fmt(last.hvRatio) : '-'}`;
      const eta = done < total ? `, about ${Math.round(((ms / done) * (total - done)) / 1000)}s left` : '';
      io.err(`[${done}/${total}] ${r.problem} ${r.strategy} seed ${r.seed}: ${r.evaluated} evaluated${r.resumed ? ` (${r.resumed} from the journal)` : ''}, ${hv} (${(ms / 1000).toFixed(0)}s${eta})\n`);
    },
  });
  const { renderSuitePlots } = await import('../report/suite-plots.ts');
  const { renderSuiteTables } = await import('../report/suite-tables.ts');
  const plots = await renderSuitePlots(res.out);
  const md = renderSuiteTables(res.out);
  const s = res.summary;
  io.out(`${res.suite.id} ${res.suite.version}: ${s.problems.length} problems × ${s.strategies.length} strategies, ${res.jobs} jobs, ${((performance.now() - t0) / 1000).toFixed(0)}s\n`);
  if (res.accuracy) {
    io.out(`  searched with accuracy ${res.accuracy.source}, not the table; scored by the table's truth (HV ratio vs the exact front, median over seeds at ${s.budget} evaluations):\n`);
    s.perProblem.forEach((r, i) => {
      const b = res.bestEvaluated!.perProblem[i]!;
      io.out(`  ${r.problem} ${r.strategy.padEnd(10)} reported front ${fmt(r.medianHvRatio)}, best evaluated ${fmt(b.medianHvRatio)}\n`);
    });
    if (s.strategies.length > 1) io.out('  ranks below: by the reported fronts\n');
  }
  for (const r of s.averageRanks.slice().sort((a, b) => a.averageRank - b.averageRank)) io.out(`  ${r.strategy.padEnd(10)} average rank ${r.averageRank.toFixed(2)}\n`);
  if (s.friedman) io.out(`  Friedman χ² = ${s.friedman.chiSquared.toFixed(2)} (df ${s.friedman.df}), p = ${s.friedman.p.toPrecision(3)}\n`);
  if (s.criticalDifference) io.out(`  Nemenyi CD = ${s.criticalDifference.cd.toFixed(3)} at α = ${s.alpha}\n`);
  io.out([res.results, ...res.summaryFiles, md, ...plots].map((x) => `  ${x}\n`).join(''));
  return 0;
}

async function list(argv: readonly string[], io: Io): Promise<number> {
  const f = parseFlags(argv, { suite: { type: 'string' } });
  const { loadSuite } = await import('../run/suite/suite-file.ts');
  const suite = loadSuite(f.suite ?? 'hwnas-v1');
  io.out(`${suite.id} ${suite.version} (${suite.status}): ${suite.problems.length} problems\n`);
  const w = Math.max(...suite.problems.map((p) => p.id.length));
  for (const p of suite.problems) {
    const cons = (p.constraints ?? []).map((c) => ` s.t. ${c.metric}${c.op}${c.value}`).join('');
    io.out(`  ${p.id.padEnd(w)}  ${p.space} ${p.accuracyKey}: ${p.objectives.join(' × ')}${cons}; front ${p.frontSize}, HV ${p.frontHypervolume.toPrecision(8)}\n`);
  }
  return 0;
}

async function verify(argv: readonly string[], io: Io): Promise<number> {
  const f = parseFlags(argv, { suite: { type: 'string' } });
  const { loadSuite } = await import('../run/suite/suite-file.ts');
  const { solveProblems, problemDifferences } = await import('../run/suite/exact-problem.ts');
  const { problemFileFaults, releasedStatus } = await import('../run/suite/suite-check.ts');
  const suite = loadSuite(f.suite ?? 'hwnas-v1');
  io.err(`enumerating ${[...new Set(suite.problems.map((p) => p.space))].join(', ')} for ${suite.problems.length} problems...\n`);
  const solved = await solveProblems(suite.problems);
  let bad = 0;
  const claimsRelease = releasedStatus(suite) === 'edited-release';
  if (claimsRelease) {
    io.out(`DIFF ${suite.id} is a released suite id, and this file differs from the released file: an edited suite must carry its own id and version\n`);
  }
  suite.problems.forEach((p, i) => {
    const diffs = [...problemDifferences(p, solved[i]!), ...problemFileFaults(p).map((x) => `${x.path.slice(1).replaceAll('/', ' ')} ${x.text}`)];
    if (diffs.length > 0) bad++;
    io.out(`${diffs.length === 0 ? 'ok  ' : 'DIFF'} ${p.id}${diffs.map((d) => `\n     ${d}`).join('')}\n`);
  });
  io.out(bad === 0 ? `${suite.id}: all ${suite.problems.length} problems reproduce exactly${claimsRelease ? ', but the file is not the released one' : ''}\n` : `${suite.id}: ${bad} of ${suite.problems.length} problems differ\n`);
  return bad === 0 && !claimsRelease ? 0 : 1;
}

export const suiteCommand: Command = {
  name: 'suite',
  summary: 'benchmark suites: run strategies × seeds on every problem (ranks, Friedman, CD plot); list; verify',
  usage,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === 'run') return run(rest, io);
    if (sub === 'list') return list(rest, io);
    if (sub === 'verify') return verify(rest, io);
    throw new InputError('bad-flag', sub === undefined ? 'missing subcommand' : `unknown subcommand "${sub}"`, { path: 'hwnas suite', expected: 'run, list or verify', actual: sub === undefined ? 'nothing' : JSON.stringify(sub) });
  },
};
