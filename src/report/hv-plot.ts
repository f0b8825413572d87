import { renderPlot, type Series } from './svg-plot.ts';
import { quartiles } from '../util/stats.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';

/** Anytime curves of one strategy: one `[evaluations, value]` list per run (seed). */
export interface CurveSeries {
  label: string;
  runs: readonly (readonly (readonly [number, number])[])[];
}

/** Titles of {@link writeHvPlot}. */
export interface HvPlotText {
  title: string;
  yLabel: string;
  /** @defaultValue 'evaluations' */
  xLabel?: string;
}

/** Colour-blind-safe palette (Okabe & Ito 2008), cycled. */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];

/** `#rrggbb` mixed with white by `amount` (0 = unchanged, 1 = white). */
function tint(hex: string, amount: number): string {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `#${c.map((v) => Math.round(v + (255 - v) * amount).toString(16).padStart(2, '0')).join('')}`;
}

/** Median and quartiles across runs at every x that all of them reached. */
export function medianCurve(runs: CurveSeries['runs']): { x: number; median: number; q1: number; q3: number }[] {
  const byX = new Map<number, number[]>();
  for (const run of runs) {
    for (const [x, y] of run) {
      if (!Number.isFinite(y)) continue;
      const list = byX.get(x) ?? [];
      list.push(y);
      byX.set(x, list);
    }
  }
  return [...byX.entries()]
    .filter(([, ys]) => ys.length === runs.length)
    .sort((a, b) => a[0] - b[0])
    .map(([x, ys]) => {
      const q = quartiles(ys);
      return { x, median: q.median, q1: q.q1, q3: q.q3 };
    });
}

/**
 * SVG of the median curve per strategy (solid line) with its interquartile band drawn as a thin
 * closed outline in a lighter tint of its colour (`<label> IQR`), via {@link renderPlot}.
 */
export function renderHvPlot(series: readonly CurveSeries[], text: HvPlotText): string {
  const out: Series[] = [];
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    const c = medianCurve(s.runs);
    if (c.length === 0) return;
    out.push({ label: s.label, color, style: 'line', points: c.map((p) => [p.x, p.median] as const) });
    if (s.runs.length > 1) {
      const band = [...c.map((p) => [p.x, p.q3] as const), ...c.slice().reverse().map((p) => [p.x, p.q1] as const)];
      band.push(band[0]!);
      out.push({ label: `${s.label} IQR`, color: tint(color, 0.55), style: 'line', points: band });
    }
  });
  return renderPlot({ title: text.title, xLabel: text.xLabel ?? 'evaluations', yLabel: text.yLabel, series: out, width: 860, height: 520 });
}

/** Write {@link renderHvPlot}'s SVG to `file`. */
export function writeHvPlot(file: string, series: readonly CurveSeries[], text: HvPlotText): void {
  writeFileAtomic(file, renderHvPlot(series, text));
}
