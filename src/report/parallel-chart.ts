import { axisLabel, baseOption, round6 } from './chart-base.ts';
import { FRONT, PALETTE } from './palette.ts';
import type { ChartSpec } from './report-model.ts';
import { archItself, type ArchRef } from './arch-refs.ts';

/** One line of the parallel coordinates: an architecture and its value on each axis. */
export interface ParallelRow {
  arch: string;
  values: Readonly<Record<string, number>>;
  /** Drawn in the front colour (on a found front of some device). */
  highlight: boolean;
}

/** Plain line colour of the parallel coordinates. */
export const PARALLEL_LINE = PALETTE[5];

/**
 * Parallel coordinates (Inselberg 1985): one vertical axis per metric, one polyline per architecture.
 * Only rows with a finite value on every axis are drawn (the note says how many were left out);
 * brushing an axis in the page filters the trials table to the architectures selected.
 */
export function parallelChart(id: string, title: string, axes: readonly string[], rows: readonly ParallelRow[], ref: ArchRef = archItself): ChartSpec {
  const full = rows.filter((r) => axes.every((a) => Number.isFinite(r.values[a])));
  const left = rows.length - full.length;
  const option = baseOption(title, 'drag along an axis to select a range; the trials table follows', { interactive: true });
  delete (option as { toolbox?: unknown }).toolbox;
  return {
    id, title, kind: 'parallel', points: full.length, markColors: [FRONT, PARALLEL_LINE], height: 440,
    archs: full.map((r) => ref(r.arch)),
    notes: [
      `${full.length} architectures × ${axes.length} axes; lines in orange are on a found Pareto front.`,
      ...(left > 0 ? [`${left} architectures lack a value on some axis and are not drawn (they stay in the table).`] : []),
    ],
    option: {
      ...option,
      legend: { show: false },
      parallel: { left: 60, right: 110, top: 92, bottom: 36, parallelAxisDefault: { nameLocation: 'end', nameGap: 14, scale: true, nameTextStyle: { fontSize: 11 }, areaSelectStyle: { width: 18 } } },
      parallelAxis: axes.map((a, dim) => ({ id: `axis-${dim}`, dim, name: axisLabel(a) })),
      series: [{
        name: 'architectures', type: 'parallel', progressive: 0, smooth: false, inactiveOpacity: 0.04, activeOpacity: 0.9,
        lineStyle: { width: 1, opacity: 0.45, color: PARALLEL_LINE },
        data: full.map((r) => ({ value: axes.map((a) => round6(r.values[a]!)), ...(r.highlight && { lineStyle: { color: FRONT, width: 1.6, opacity: 0.9 } }) })),
      }],
    },
  };
}
