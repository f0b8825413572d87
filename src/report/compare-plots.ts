import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { compareCurves } from './compare-curves.ts';
import { qualityChart, type CurveSet } from './quality-chart.ts';
import { csvNumber, csvObjects, parseCsv } from './read-csv.ts';
import { readResultsDir } from './results-dir.ts';
import { truthFor } from './search-report.ts';
import { optionToSvg } from './svg-render.ts';

/** Curves from `hv.csv` / `best.csv` alone (their checkpoints), when the runs' journals are gone. */
function curvesFromScores(file: string, column: string): CurveSet[] {
  const rows = csvObjects(parseCsv(readFileSync(file, 'utf8')));
  const by = new Map<string, Map<string, [number, number][]>>();
  for (const r of rows) {
    const runs = by.get(r.strategy!) ?? new Map<string, [number, number][]>();
    const run = runs.get(r.seed!) ?? [];
    run.push([Number(r.evaluations), csvNumber(r[column]) ?? NaN]);
    runs.set(r.seed!, run);
    by.set(r.strategy!, runs);
  }
  return [...by.entries()].map(([label, runs]) => ({ label, runs: [...runs.values()] }));
}

/**
 * `hv.svg` (or `best.svg` with one objective) of a compare folder: per strategy the median over seeds
 * and its interquartile band, scored from the runs' journals on compare's grid (hv.csv's checkpoints
 * when the journals are missing). ECharts, server-side SVG.
 */
export async function renderComparePlots(dir: string): Promise<string[]> {
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  const single = Array.isArray(config.objectives) && config.objectives.length === 1;
  const where = `${String(config.space)}${typeof config.device === 'string' ? ` on ${config.device}` : ''}`;
  let sets: CurveSet[];
  if (existsSync(join(dir, 'runs'))) {
    const c = readResultsDir(dir);
    if (c.kind !== 'compare') return [];
    const curves = compareCurves(c, truthFor(c.truths, c.space, c.device, c.constraints) ?? c.truths[0]);
    sets = single ? curves.testAccuracy : curves.hvRatio;
  } else {
    const scores = join(dir, single ? 'best.csv' : 'hv.csv');
    if (!existsSync(scores)) return [];
    sets = curvesFromScores(scores, single ? 'testAccuracy' : 'hvRatio');
  }
  const seeds = Math.max(0, ...sets.map((s) => s.runs.length));
  const spec = qualityChart(single
    ? { id: 'best', title: `${where}: test accuracy of the best-by-validation architecture`, subtitle: `median and IQR over ${seeds} seeds`, yLabel: 'test accuracy (%)', sets }
    : { id: 'hv', title: `${where}: hypervolume ratio vs the exact front`, subtitle: `median and IQR over ${seeds} seeds`, yLabel: 'HV(found) / HV(exact front)', sets }, { interactive: false });
  const file = join(dir, single ? 'best.svg' : 'hv.svg');
  writeFileAtomic(file, await optionToSvg(spec.option, 860, 520));
  return [file];
}
