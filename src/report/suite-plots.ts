import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { CD_CHART_WIDTH, cdChart } from './cd-chart.ts';
import { optionToSvg } from './svg-render.ts';

/** The parts of a suite run's `summary.json` the plots read. */
interface SuiteSummaryFile {
  suite: string;
  suiteVersion: string;
  budget: number;
  problems: string[];
  strategies: string[];
  friedman: { chiSquared: number; df: number; p: number; n: number; k: number } | null;
  criticalDifference: { alpha: number; n: number; k: number; cd: number; ranks: { strategy: string; averageRank: number }[]; cliques: string[][] } | null;
  /** Set when a non-table accuracy signal drove the search (ranks are then of the reported fronts). */
  accuracySource?: string;
}

/**
 * Draw `cd-plot.svg` (the critical-difference diagram of average ranks over the problems, ECharts'
 * server-side SVG) of a suite results folder from its `summary.json`. Returns the files written (none
 * with a single strategy).
 */
export async function renderSuitePlots(dir: string): Promise<string[]> {
  const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as SuiteSummaryFile;
  const cd = s.criticalDifference;
  if (!cd || !s.friedman) return [];
  const file = join(dir, 'cd-plot.svg');
  const p = s.friedman.p;
  const chart = cdChart({
    id: 'cd-plot',
    title: `${s.suite} ${s.suiteVersion}: average rank by median HV ratio at ${s.budget} evaluations${s.accuracySource !== undefined ? ` (searched with ${s.accuracySource}, reported fronts scored by the table)` : ''}`,
    subtitle: `${cd.n} problems, ${cd.k} strategies; Friedman χ² = ${s.friedman.chiSquared.toFixed(2)}, p = ${p < 1e-4 ? p.toExponential(1) : p.toFixed(4)}; Nemenyi CD at α = ${cd.alpha}`,
    ranks: cd.ranks,
    k: cd.k,
    cd: cd.cd,
    cliques: cd.cliques,
  }, { interactive: false });
  writeFileAtomic(file, await optionToSvg(chart.option, CD_CHART_WIDTH, chart.height ?? 300));
  return [file];
}
