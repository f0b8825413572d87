/**
 * Our strategies (and Optuna's samplers, from their dumped trial lists) on the two-objective
 * NAS-Bench-201 table problems, scored with one function: median HV ratio over seeds, front-range
 * normalisation, reference point 1.1 (src/search/problems/nb201-table-problem.ts).
 *
 *   node --import tsx scripts/strategy-vs-optuna/compare.ts [--strategies nsga2,re,bo]
 *     [--problems all|fpga,pixel3,...] [--seeds 10] [--budgets 300,1000] [--option nsga2.key=value]
 *     [--optuna results/optuna] [--json results/strategy-vs-optuna.json]
 *
 * Each budget is its own run (a strategy may scale its settings with the budget it is given); seed k
 * is `Rng(k)`, k = 0..seeds−1. `--optuna DIR` adds every `DIR/<sampler>-<problem>-<trials>.json`
 * written by optuna-baseline.py, scored on its first `budget` trials (duplicates count as trials, as
 * in Optuna). Columns `optuna-<sampler>-distinct` score the same studies on their first `budget`
 * distinct architectures (where every seed has that many), as if repeats were free.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nb201TableProblemById, SUITE_PROBLEM_IDS } from '../../src/search/problems/nb201-table-problem.ts';
import { hvRatioCurve, runTableSearch } from '../../src/search/problems/run-table-search.ts';
import { median } from '../../src/util/stats.ts';

const args = process.argv.slice(2);
const flag = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : def;
};
const flags = (name: string): string[] => args.flatMap((a, i) => (a === `--${name}` && args[i + 1] !== undefined ? [args[i + 1]!] : []));

const strategies = flag('strategies', 'nsga2').split(',').filter(Boolean);
const problemArg = flag('problems', 'all');
const problems = problemArg === 'all' ? [...SUITE_PROBLEM_IDS] : problemArg.split(',');
const seeds = Number(flag('seeds', '10'));
const budgets = flag('budgets', '300,1000').split(',').map(Number);
const optunaDir = flag('optuna', '');
const jsonOut = flag('json', '');
/** `strategy.key=value` or `key=value` (all strategies). */
const options = new Map<string, Record<string, number | string | boolean>>();
for (const o of flags('option')) {
  const m = /^(?:([\w-]+)\.)?(\w+)=(.*)$/.exec(o);
  if (!m) throw new Error(`bad --option ${o}: expected [strategy.]key=value`);
  const id = m[1] ?? '*';
  const v = m[3]!;
  const value = v === 'true' ? true : v === 'false' ? false : v !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
  options.set(id, { ...options.get(id), [m[2]!]: value });
}

interface Row {
  method: string;
  problem: string;
  budget: number;
  hvRatios: number[];
  median: number;
  secondsPerRun: number;
}
const rows: Row[] = [];

for (const pid of problems) {
  const problem = nb201TableProblemById(pid);
  for (const strategy of strategies) {
    for (const budget of budgets) {
      const t0 = performance.now();
      const hv: number[] = [];
      for (let seed = 0; seed < seeds; seed++) {
        const r = await runTableSearch({ problem, strategy, seed, budget, options: { ...options.get('*'), ...options.get(strategy) } });
        hv.push(r.hvRatio[r.hvRatio.length - 1]!.hvRatio);
      }
      const row = { method: strategy, problem: pid, budget, hvRatios: hv, median: median(hv), secondsPerRun: (performance.now() - t0) / 1000 / seeds };
      rows.push(row);
      process.stderr.write(`${pid} ${strategy} @${budget}: median ${row.median.toFixed(4)} (${row.secondsPerRun.toFixed(2)} s/run)\n`);
    }
  }
  if (optunaDir !== '' && existsSync(optunaDir)) {
    for (const f of readdirSync(optunaDir).sort()) {
      const m = /^([^-]+)-(.+)-(\d+)\.json$/.exec(f);
      if (!m || m[2] !== pid) continue;
      const dump = JSON.parse(readFileSync(join(optunaDir, f), 'utf8')) as { sampler: string; runs: { seed: number; genotypes: number[][] }[] };
      for (const budget of budgets) {
        if (budget > Number(m[3])) continue;
        const hv = dump.runs.slice(0, seeds).map((r) => hvRatioCurve(problem, r.genotypes, [budget])[0]!.hvRatio);
        rows.push({ method: `optuna-${dump.sampler}`, problem: pid, budget, hvRatios: hv, median: median(hv), secondsPerRun: NaN });
        // The same studies counted in distinct architectures (a repeat costs nothing when results are
        // cached), where the study has that many.
        const distinct = dump.runs.slice(0, seeds).map((r) => [...new Map(r.genotypes.map((g) => [g.join(','), g])).values()]);
        if (distinct.every((d) => d.length >= budget)) {
          const hvd = distinct.map((d) => hvRatioCurve(problem, d, [budget])[0]!.hvRatio);
          rows.push({ method: `optuna-${dump.sampler}-distinct`, problem: pid, budget, hvRatios: hvd, median: median(hvd), secondsPerRun: NaN });
        }
      }
    }
  }
}

const methods = [...new Set(rows.map((r) => r.method))];
for (const budget of budgets) {
  console.log(`\n### ${budget} evaluations: median HV ratio over ${seeds} seeds\n`);
  console.log(`| problem | ${methods.join(' | ')} |`);
  console.log(`|---|${methods.map(() => '---:').join('|')}|`);
  for (const pid of problems) {
    const cells = methods.map((m) => rows.find((r) => r.method === m && r.problem === pid && r.budget === budget)?.median.toFixed(4) ?? '—');
    console.log(`| ${pid} | ${cells.join(' | ')} |`);
  }
}
const optunaMethods = methods.filter((m) => m.startsWith('optuna-'));
for (const [what, peers] of [
  ['Optuna sampler (repeats count as trials)', optunaMethods.filter((m) => !m.endsWith('-distinct'))],
  ['Optuna column, repeats free included', optunaMethods],
] as const) {
  if (peers.length === 0) continue;
  console.log(`\nProblems where the median is at least the best ${what}:`);
  for (const m of methods.filter((x) => !x.startsWith('optuna-'))) {
    const parts = budgets.map((budget) => {
      const wins = problems.filter((pid) => {
        const mine = rows.find((r) => r.method === m && r.problem === pid && r.budget === budget)?.median ?? NaN;
        const best = Math.max(...rows.filter((r) => peers.includes(r.method) && r.problem === pid && r.budget === budget).map((r) => r.median));
        return mine >= best;
      });
      return `${wins.length}/${problems.length} at ${budget}`;
    });
    console.log(`- ${m}: ${parts.join(', ')}`);
  }
}
if (jsonOut !== '') writeFileSync(jsonOut, `${JSON.stringify({ seeds, budgets, options: Object.fromEntries(options), rows }, null, 1)}\n`);
