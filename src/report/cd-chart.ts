import { baseOption, round6, type ChartContext } from './chart-base.ts';
import { colorAt } from './palette.ts';
import type { ChartSpec } from './report-model.ts';

/** What a critical-difference diagram shows. */
export interface CdChartInput {
  readonly id: string;
  readonly title: string;
  /** The test and its numbers. */
  readonly subtitle: string;
  /** Strategies by average rank, best first. */
  readonly ranks: readonly { readonly strategy: string; readonly averageRank: number }[];
  /** Number of strategies: the rank axis runs from 1 to k. */
  readonly k: number;
  /** Critical difference of average ranks. */
  readonly cd: number;
  /** Groups of strategies whose average ranks differ by less than the CD. */
  readonly cliques: readonly (readonly string[])[];
}

/** Width in pixels the diagram is laid out for. */
export const CD_CHART_WIDTH = 720;
const ROW_PX = 26;

/**
 * A critical-difference diagram (Demšar 2006, "Statistical Comparisons of Classifiers over Multiple
 * Data Sets", JMLR 7, Fig. 1) as an ECharts option: the rank axis (1 = best, on the left) with each
 * strategy's average rank marked, a drop line to its label (the better half on the left, the rest on
 * the right), the critical difference as a bar above the axis, and a thick bar under the axis joining
 * every group of strategies whose average ranks differ by less than the CD.
 */
export function cdChart(inp: CdChartInput, ctx: ChartContext = {}): ChartSpec {
  const k = Math.max(2, inp.k);
  const n = inp.ranks.length;
  const half = Math.ceil(n / 2);
  // Rank units beyond 1 and k: the elbows end 0.1 (k − 1) out, the labels fill the rest (~120 px).
  const pad = 0.45 * (k - 1);
  const left = 1 - pad;
  const right = k + pad;
  const cliqueY = (i: number) => 0.45 + 0.32 * i;
  const rowY = (row: number) => cliqueY(inp.cliques.length) + 0.55 + row;
  const yMin = -2.3;
  const yMax = rowY(Math.max(half, n - half) - 1) + 0.4;
  const black = '#222222';
  const line = (name: string, data: (readonly [number, number] | null)[], width: number, extra: Record<string, unknown> = {}) => ({
    name, type: 'line', data, symbol: 'none', connectNulls: false, clip: false, silent: true, tooltip: { show: false },
    lineStyle: { color: black, width }, itemStyle: { color: black }, z: 2, ...extra,
  });
  const text = (name: string, items: { x: number; y: number; text: string; position: string }[], extra: Record<string, unknown> = {}) => ({
    name, type: 'scatter', symbolSize: 0, itemStyle: { color: 'rgba(0,0,0,0)' }, silent: true, clip: false, tooltip: { show: false },
    data: items.map((t) => ({ value: [t.x, t.y], label: { show: true, formatter: t.text, position: t.position, color: black, fontSize: 12, ...extra } })),
  });
  const ticks: ([number, number] | null)[] = [];
  const tickLabels: { x: number; y: number; text: string; position: string }[] = [];
  for (let t = 1; t <= k + 1e-9; t += 0.5) {
    const major = Number.isInteger(t);
    ticks.push([t, 0], [t, major ? -0.3 : -0.16], null);
    if (major) tickLabels.push({ x: t, y: -0.35, text: String(t), position: 'top' });
  }
  const cdEnd = 1 + inp.cd;
  const series: Record<string, unknown>[] = [
    line('rank axis', [[1, 0], [k, 0]], 1.5),
    line('ticks', ticks, 1),
    text('tick labels', tickLabels),
    line('critical difference', [[1, -1.6], [cdEnd, -1.6], null, [1, -1.45], [1, -1.75], null, [cdEnd, -1.45], [cdEnd, -1.75]], 2),
    text('critical difference label', [{ x: (1 + cdEnd) / 2, y: -1.75, text: `CD = ${inp.cd.toFixed(2)}`, position: 'top' }]),
  ];
  inp.cliques.forEach((c, i) => {
    const rs = inp.ranks.filter((r) => c.includes(r.strategy)).map((r) => r.averageRank);
    const pad2 = 0.02 * (k - 1);
    series.push(line(`group ${i + 1}: ${c.join(', ')}`, [[Math.min(...rs) - pad2, cliqueY(i)], [Math.max(...rs) + pad2, cliqueY(i)]], 5, { lineStyle: { color: black, width: 5, cap: 'round' } }));
  });
  const colors: string[] = [];
  const labels: { x: number; y: number; text: string; position: string }[] = [];
  inp.ranks.forEach((r, i) => {
    const color = colorAt(i);
    colors.push(color);
    const onLeft = i < half;
    const y = rowY(onLeft ? i : n - 1 - i);
    const edge = onLeft ? 1 - 0.1 * (k - 1) : k + 0.1 * (k - 1);
    series.push(line(`${r.strategy} drop line`, [[r.averageRank, 0], [r.averageRank, y], [edge, y]], 1.2, { lineStyle: { color, width: 1.2 }, z: 1 }));
    labels.push({ x: edge, y, text: `${r.strategy} (${r.averageRank.toFixed(2)})`, position: onLeft ? 'left' : 'right' });
  });
  series.push(text('strategy labels', labels, { fontSize: 13 }));
  series.push({
    name: 'average rank', type: 'scatter', symbol: 'circle', symbolSize: 8, z: 4, clip: false,
    data: inp.ranks.map((r, i) => ({ value: [round6(r.averageRank), 0], name: r.strategy, itemStyle: { color: colors[i] } })),
    tooltip: { formatter: (p: { name: string; value: number[] }) => `${p.name}: average rank ${p.value[0]}` },
  });
  const top = 66;
  const bottom = 8;
  const height = top + bottom + Math.ceil((yMax - yMin) * ROW_PX);
  return {
    id: inp.id,
    title: inp.title,
    points: n,
    markColors: colors,
    height,
    notes: [],
    option: {
      ...baseOption(inp.title, inp.subtitle, ctx),
      legend: { show: false },
      grid: { left: 20, right: 20, top, bottom, containLabel: false },
      xAxis: { type: 'value', min: left, max: right, show: false },
      yAxis: { type: 'value', min: yMin, max: yMax, inverse: true, show: false },
      series,
    },
  };
}
