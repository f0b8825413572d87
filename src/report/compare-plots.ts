import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeHvPlot, type CurveSeries } from './hv-plot.ts';

/**
 * Draw `hv.svg` (or `best.svg` for a single-objective comparison) of a compare results folder from
 * its `curves.json` and `config.json`. Returns the files written.
 */
export async function renderComparePlots(dir: string): Promise<string[]> {
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { space: string; device: string | null; seeds: number };
  const curves = JSON.parse(readFileSync(join(dir, 'curves.json'), 'utf8')) as { metric: string; strategies: Record<string, [number, number | null][][]> };
  const single = curves.metric === 'testAccuracy';
  const series: CurveSeries[] = Object.entries(curves.strategies).map(([label, runs]) => ({ label, runs: runs.map((c) => c.map(([x, y]) => [x, y ?? NaN] as const)) }));
  const where = `${config.space}${config.device ? ` on ${config.device}` : ''}`;
  const file = join(dir, single ? 'best.svg' : 'hv.svg');
  writeHvPlot(file, series, single
    ? { title: `${where}: test accuracy of the best-by-validation architecture (median, IQR; ${config.seeds} seeds)`, yLabel: 'CIFAR-10 test accuracy (%)' }
    : { title: `${where}: hypervolume ratio vs the exact front (median, IQR; ${config.seeds} seeds)`, yLabel: 'HV(found) / HV(exact front)' });
  return [file];
}
