import { baseOption, round6, valueAxis, type ChartContext } from './chart-base.ts';
import { medianBand } from './median-band.ts';
import { colorAt, tint } from './palette.ts';
import type { ChartSpec } from './report-model.ts';

/** Anytime curves of one strategy (or device): one `[evaluations, value]` list per run (seed). */
export interface CurveSet {
  label: string;
  runs: readonly (readonly (readonly [number, number])[])[];
}

/** What {@link qualityChart} draws. */
export interface QualityChartInput {
  id: string;
  title: string;
  subtitle?: string;
  yLabel: string;
  sets: readonly CurveSet[];
  notes?: string[];
  /** Log-scale y (IGD+ spans decades). @defaultValue false */
  logY?: boolean;
}

/**
 * Median curve per set (a line with a symbol at every x), its interquartile band (shaded, when there
 * are two or more runs) and every run as a thin line (in the page), all three under the set's name.
 */
export function qualityChart(inp: QualityChartInput, ctx: ChartContext = {}): ChartSpec {
  const interactive = ctx.interactive ?? true;
  const series: Record<string, unknown>[] = [];
  const colors: string[] = [];
  let points = 0;
  inp.sets.forEach((s, i) => {
    const color = colorAt(i);
    const band = medianBand(s.runs.map((r) => r.filter(([, y]) => !inp.logY || y > 0)));
    if (band.length === 0) return;
    colors.push(color);
    const multi = s.runs.length > 1;
    // One name for the median, its band and its runs: one legend entry per set toggles all three.
    // The median comes first, so the legend takes its colour.
    series.push({
      name: s.label, type: 'line', data: band.map((p) => [p.x, round6(p.median)]), symbol: 'circle', symbolSize: 4, showAllSymbol: true,
      itemStyle: { color }, lineStyle: { color, width: 2 }, z: 3,
      dimensions: ['evaluations', multi ? `median of ${s.runs.length} runs` : inp.yLabel],
    });
    if (multi) {
      // IQR as a stacked area: an invisible q1 line, then q3 − q1 stacked on it and filled.
      series.push({ name: s.label, id: `${s.label}-iqr-q1`, type: 'line', stack: `iqr-${i}`, data: band.map((p) => [p.x, round6(p.q1)]), symbol: 'none', lineStyle: { opacity: 0 }, itemStyle: { color: tint(color, 0.45) }, silent: true, tooltip: { show: false }, legendHoverLink: false, z: 2 });
      series.push({ name: s.label, id: `${s.label}-iqr`, type: 'line', stack: `iqr-${i}`, data: band.map((p) => [p.x, round6(p.q3 - p.q1)]), symbol: 'none', lineStyle: { opacity: 0 }, itemStyle: { color: tint(color, 0.45) }, areaStyle: { color: tint(color, 0.45), opacity: 0.5 }, silent: true, tooltip: { show: false }, z: 2 });
      if (interactive) {
        s.runs.forEach((run, k) => series.push({ name: s.label, type: 'line', data: run.filter(([, y]) => Number.isFinite(y) && (!inp.logY || y > 0)).map(([x, y]) => [x, round6(y)]), symbol: 'none', lineStyle: { color, width: 0.6, opacity: 0.35 }, itemStyle: { color }, silent: true, tooltip: { show: false }, z: 1, id: `${s.label}-run-${k}` }));
      }
    }
    points += band.length;
  });
  return {
    id: inp.id, title: inp.title, points, markColors: colors, notes: inp.notes ?? [],
    option: {
      ...baseOption(inp.title, inp.subtitle ?? '', ctx),
      tooltip: { trigger: 'axis', confine: true },
      xAxis: valueAxis('evaluations', { scale: false }),
      yAxis: valueAxis(inp.yLabel, { nameGap: 52, ...(inp.logY && { type: 'log' }) }),
      series,
    },
  };
}
