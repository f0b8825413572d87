import type { ArchRef } from './arch-refs.ts';

/** Option pieces every ECharts plot of the report shares. */

/** Significant digits kept in plotted values (the trials table keeps full precision). */
export function round6(v: number): number {
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
    legend: { top: subtitle ? 46 : 28, left: 10, type: interactive ? 'scroll' : 'plain' },
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

/** Axis label of a metric: `latencyMs (min)`. */
export function metricLabel(metric: string, direction?: 'min' | 'max'): string {
  return direction ? `${metric} (${direction === 'max' ? 'higher is better' : 'lower is better'})` : metric;
}
