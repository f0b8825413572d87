import type { ArchRef } from './arch-refs.ts';
import { findMetric, splitDeviceMetric } from '../record/metric-registry.ts';

/** Option pieces every ECharts plot of the report shares. */

/** Significant digits kept in plotted values (the trials table keeps full precision). */
export function round6(v: number): number {
  // Below 1e-12 a value is 0 on any plot; a subnormal one (1.5e-323) breaks ECharts' axis maths.
  if (Number.isFinite(v) && Math.abs(v) < 1e-12) return 0;
  return Number.isFinite(v) ? Number(v.toPrecision(6)) : v;
}

/** Settings of a plot: interactive in the page, static in a file. */
export interface ChartContext {
  /** Zoom, restore and save buttons, and a legend that toggles series. @defaultValue true */
  interactive?: boolean;
  /** How data items name their architecture. @defaultValue the arch string */
  archRef?: ArchRef;
}

/** Base option: white background, title, grid, no animation, a legend, and the toolbox in the page. */
export function baseOption(title: string, subtitle: string, ctx: ChartContext = {}): Record<string, unknown> {
  const interactive = ctx.interactive ?? true;
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: 'sans-serif' },
    title: { text: title, subtext: subtitle, left: 10, top: 4, textStyle: { fontSize: 14 }, subtextStyle: { fontSize: 11 } },
    // A plain legend wraps onto more rows and shows every series (a paged one hides some); see fitLegend.
    legend: { top: subtitle ? 46 : 28, left: 10, right: 10, type: 'plain' },
    grid: { left: 70, right: 36, top: subtitle ? 90 : 72, bottom: 56, containLabel: true },
    tooltip: { trigger: 'item', confine: true },
    ...(interactive && {
      toolbox: { right: 10, top: 4, feature: { dataZoom: {}, restore: {}, saveAsImage: { name: title.replace(/[^\w.-]+/g, '_') } } },
    }),
  };
}

/** A value axis with a name in the middle. */
export function valueAxis(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'value', name, nameLocation: 'middle', nameGap: 32, scale: true, ...extra };
}

/** Words for metric names in axis titles (the name itself otherwise). */
const METRIC_WORDS: Readonly<Record<string, string>> = {
  latencyMs: 'latency', predictedLatencyMs: 'predicted latency', remeasuredLatencyMs: 're-measured latency',
  p90Ms: 'p90 latency', iqrMs: 'latency IQR', remeasuredP90Ms: 're-measured p90 latency', cv: 'latency CV', remeasuredCv: 're-measured latency CV',
  samples: 'timed runs', paramCount: 'parameters', flops: 'FLOPs', testAccuracy: 'test accuracy', accuracyStd: 'accuracy std',
  trainMs: 'training time', trainImagesPerS: 'training speed',
};

/**
 * Axis title of a metric, with its unit: `latencyMs` → `latency (ms)`, `accuracy` → `accuracy (%)`,
 * `latencyMs@fpga` → `latency on fpga (ms)`, `flops` → `FLOPs (MACs)`. A name without a
 * registered unit keeps its name (a `…Ms` name is in ms).
 */
export function axisLabel(metric: string): string {
  const { base, device } = splitDeviceMetric(metric);
  const unit = findMetric(metric)?.unit || (/Ms$/.test(base) ? 'ms' : '');
  return `${METRIC_WORDS[base] ?? base}${device ? ` on ${device}` : ''}${unit ? ` (${unit})` : ''}`;
}

/** Axis title of an objective: `latency (ms), lower is better`. */
export function metricLabel(metric: string, direction?: 'min' | 'max'): string {
  return direction ? `${axisLabel(metric)}, ${direction === 'max' ? 'higher' : 'lower'} is better` : axisLabel(metric);
}

/** Rough width (px) of a legend entry: symbol, gap, 12 px sans-serif text, gap to the next. */
function legendItemWidth(name: string): number {
  return 25 + 5 + name.length * 6.6 + 10;
}

/**
 * Room for a legend that shows every series: the rows a plain (wrapping) legend takes at this plot
 * width, and the plot area moved below them. Names come from `legend.data`, else the series (each
 * name once). A hidden legend is left alone.
 * @param width plot width in px; the page's plots are at least 480 px wide.
 */
export function fitLegend(option: Record<string, unknown>, width = 480): Record<string, unknown> {
  const legend = option.legend as { show?: boolean; top?: number; data?: (string | { name: string })[]; type?: string } | undefined;
  const grid = option.grid as { top?: number } | undefined;
  if (!legend || legend.show === false || !grid) return option;
  const names = legend.data
    ? legend.data.map((d) => (typeof d === 'string' ? d : d.name))
    : [...new Set(((option.series ?? []) as { name?: string }[]).map((x) => x.name).filter((n): n is string => typeof n === 'string' && n !== ''))];
  if (names.length === 0) return option;
  const available = width - 20;
  let rows = 1;
  let used = 0;
  for (const n of names) {
    const w = legendItemWidth(n);
    if (used > 0 && used + w > available) {
      rows++;
      used = 0;
    }
    used += w;
  }
  const top = legend.top ?? 28;
  return { ...option, legend: { ...legend, type: 'plain' }, grid: { ...grid, top: Math.max(grid.top ?? 0, top + rows * 24 + 20) } };
}
