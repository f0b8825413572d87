import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.ts';

/** The parts of a suite run's `summary.json` the tables read. */
interface SummaryFile {
  suite: string;
  suiteVersion: string;
  alpha: number;
  budget: number;
  problems: string[];
  strategies: string[];
  perProblem: { problem: string; strategy: string; runs: number; medianHvRatio: number; iqrHvRatio: number; medianIgdPlus: number | string; rank: number }[];
  averageRanks: { strategy: string; averageRank: number }[];
  friedman: { chiSquared: number; df: number; p: number; n: number; k: number } | null;
  posthoc: { strategyA: string; strategyB: string; n: number; v: number; p: number; pHolm: number; significant: boolean; better: string }[];
  criticalDifference: { alpha: number; qAlpha: number; cd: number; cliques: string[][] } | null;
  /** A search driven by a non-table accuracy signal: its source id, and the best evaluated fronts. */
  accuracySource?: string;
  bestEvaluated?: { perProblem: { problem: string; strategy: string; medianHvRatio: number; iqrHvRatio: number }[] };
}

const p3 = (p: number) => (p < 1e-3 ? p.toExponential(1) : p.toPrecision(2));

/**
 * Write `summary.md` of a suite results folder from its `summary.json`: the median HV ratio (IQR)
 * per problem × strategy with each problem's best in bold, average ranks, the Friedman test, the
 * Holm-corrected pairwise signed-rank tests and the Nemenyi groups. Returns the file written.
 */
export function renderSuiteTables(dir: string): string {
  const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as SummaryFile;
  const seeds = Math.max(0, ...s.perProblem.map((r) => r.runs));
  const lines: string[] = [];
  lines.push(`### ${s.suite} ${s.suiteVersion}: ${s.problems.length} problems × ${s.strategies.length} strategies × ${seeds} seeds, ${s.budget} evaluations`, '');
  if (s.accuracySource !== undefined) {
    lines.push(`Searched with accuracy **${s.accuracySource}**, not the table. Every run is scored by the table's accuracy: below, the front the search reports (non-dominated under ${s.accuracySource}) with each member re-scored by the table; after it, the best front among all evaluated architectures.`, '');
  }
  lines.push(`Median HV ratio${s.accuracySource !== undefined ? ' of the reported fronts' : ''} at ${s.budget} evaluations over seeds (IQR in brackets); the best median of each problem in bold.`, '');
  lines.push(`| problem | ${s.strategies.join(' | ')} |`, `|---|${s.strategies.map(() => '---:').join('|')}|`);
  for (const problem of s.problems) {
    const cells = s.strategies.map((st) => s.perProblem.find((r) => r.problem === problem && r.strategy === st)!);
    const best = Math.max(...cells.map((c) => c.medianHvRatio));
    lines.push(`| ${problem} | ${cells.map((c) => {
      const v = `${c.medianHvRatio.toFixed(4)} (${c.iqrHvRatio.toFixed(4)})`;
      return c.medianHvRatio === best ? `**${v}**` : v;
    }).join(' | ')} |`);
  }
  lines.push(`| **average rank** | ${s.averageRanks.map((r) => r.averageRank.toFixed(2)).join(' | ')} |`, '');
  if (s.bestEvaluated) {
    lines.push(`Median HV ratio of the best evaluated fronts (every architecture the search evaluated, by the table's accuracy), IQR in brackets.`, '');
    lines.push(`| problem | ${s.strategies.join(' | ')} |`, `|---|${s.strategies.map(() => '---:').join('|')}|`);
    for (const problem of s.problems) {
      const cells = s.strategies.map((st) => s.bestEvaluated!.perProblem.find((r) => r.problem === problem && r.strategy === st)!);
      lines.push(`| ${problem} | ${cells.map((c) => `${c.medianHvRatio.toFixed(4)} (${c.iqrHvRatio.toFixed(4)})`).join(' | ')} |`);
    }
    lines.push('');
  }
  if (s.friedman) {
    const f = s.friedman;
    lines.push(`Friedman test over ${f.n} problems: χ² = ${f.chiSquared.toFixed(2)}, df = ${f.df}, p = ${p3(f.p)}.`, '');
  }
  if (s.posthoc.length > 0) {
    lines.push(`Pairwise two-sided Wilcoxon signed-rank tests over the problems (paired by problem, on the median HV ratios), Holm-corrected; significant at α = ${s.alpha}:`, '');
    lines.push('| A | B | n | V | p | p (Holm) | significant | higher medians |', '|---|---|---:|---:|---:|---:|:-:|---|');
    for (const r of s.posthoc) lines.push(`| ${r.strategyA} | ${r.strategyB} | ${r.n} | ${r.v} | ${p3(r.p)} | ${p3(r.pHolm)} | ${r.significant ? 'yes' : 'no'} | ${r.better} |`);
    lines.push('');
  }
  if (s.criticalDifference) {
    const c = s.criticalDifference;
    const groups = c.cliques.length > 0 ? c.cliques.map((g) => `{${g.join(', ')}}`).join(', ') : 'none (every pair differs by at least the CD)';
    lines.push(`Nemenyi critical difference at α = ${c.alpha}: CD = ${c.cd.toFixed(3)} (q_α = ${c.qAlpha.toFixed(3)}); groups whose average ranks differ by less: ${groups}.`, '');
  }
  const file = join(dir, 'summary.md');
  writeFileAtomic(file, `${lines.join('\n')}\n`);
  return file;
}
