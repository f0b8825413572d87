import type { LeaderboardRow } from '../record/leaderboard.ts';
import type { Objective } from '../record/metric-registry.ts';
import { axisLabel, baseOption, metricLabel, round6, valueAxis, type ChartContext } from './chart-base.ts';
import { FRONT, GREY, INFEASIBLE, TRUTH } from './palette.ts';
import type { ChartSpec } from './report-model.ts';
import { archItself, type ArchRef } from './arch-refs.ts';
import type { ConstraintText } from './results-dir.ts';

/** What {@link frontChart} draws. */
export interface FrontChartInput {
  id: string;
  title: string;
  subtitle?: string;
  /** Leaderboard rows of the successful evaluations (Pareto rank and feasibility set). */
  rows: readonly LeaderboardRow[];
  objectives: readonly Objective[];
  constraints?: readonly ConstraintText[];
  /** The exact front, when known: points with the objectives' metrics. */
  truth?: readonly { arch: string; metrics: Readonly<Record<string, number>> }[];
}

const DIMS = (x: string, y: string) => [x, y, { name: 'arch', type: 'ordinal' }, 'evaluation'];

/**
 * Every evaluated architecture in the plane of the first two objectives (x = the second, usually
 * latency; y = the first, usually accuracy), the found front as a staircase, the exact front where it
 * is known, infeasible points marked and the constraints drawn; the y axis opens zoomed to where the
 * fronts are ({@link frontZoom}). With one objective: the objective against the evaluation number
 * with the running best.
 */
export function frontChart(inp: FrontChartInput, ctx: ChartContext = {}): ChartSpec {
  const [a, b] = inp.objectives;
  const option = baseOption(inp.title, inp.subtitle ?? '', ctx);
  if (!a) return { id: inp.id, title: inp.title, option: { ...option, series: [] }, points: 0, markColors: [] };
  if (!b) return singleObjective(inp, a, option, ctx.archRef ?? archItself);
  const x = b.metric;
  const y = a.metric;
  const ref = ctx.archRef ?? archItself;
  const pt = (r: LeaderboardRow) => [round6(r.metrics[x]!), round6(r.metrics[y]!), ref(r.arch), r.evaluation];
  const onFront = (r: LeaderboardRow) => r.paretoRank === 1 && r.feasible;
  const front = inp.rows.filter(onFront).sort((p, q) => p.metrics[x]! - q.metrics[x]! || p.metrics[y]! - q.metrics[y]!);
  const rest = inp.rows.filter((r) => !onFront(r) && r.feasible);
  const infeasible = inp.rows.filter((r) => !r.feasible);
  // For a minimised x and a maximised y the front rises left to right: step horizontally first.
  const step = b.direction === 'min' ? 'end' : 'start';
  const series: Record<string, unknown>[] = [
    { name: `evaluated (${rest.length})`, type: 'scatter', dimensions: DIMS(x, y), data: rest.map(pt), symbolSize: 6, itemStyle: { color: GREY, opacity: 0.75 }, progressive: 0, large: false },
  ];
  const colors = [GREY, FRONT];
  if (infeasible.length > 0) {
    series.push({ name: `infeasible (${infeasible.length})`, type: 'scatter', dimensions: DIMS(x, y), data: infeasible.map(pt), symbol: 'triangle', symbolSize: 7, itemStyle: { color: INFEASIBLE, opacity: 0.8 }, progressive: 0 });
    colors.push(INFEASIBLE);
  }
  series.push({ name: `found front (${front.length})`, type: 'line', step, dimensions: DIMS(x, y), data: front.map(pt), symbol: 'circle', symbolSize: 9, showAllSymbol: true, itemStyle: { color: FRONT }, lineStyle: { color: FRONT, width: 2 }, z: 4 });
  let truthYs: number[] = [];
  if (inp.truth && inp.truth.length > 0) {
    const t = inp.truth.filter((p) => Number.isFinite(p.metrics[x]) && Number.isFinite(p.metrics[y]))
      .map((p) => [round6(p.metrics[x]!), round6(p.metrics[y]!), ref(p.arch), null])
      .sort((p, q) => (p[0] as number) - (q[0] as number));
    series.push({ name: `exact front (${t.length})`, type: 'line', step, dimensions: DIMS(x, y), data: t, symbol: 'diamond', symbolSize: 8, showAllSymbol: true, itemStyle: { color: TRUTH }, lineStyle: { color: TRUTH, type: 'dashed', width: 1.5 }, z: 3 });
    colors.push(TRUTH);
    truthYs = t.map((p) => p[1] as number);
  }
  // Zoomed in the page only, where the full range is one click away; a static file shows everything.
  const zoom = (ctx.interactive ?? true) ? frontZoom(inp.rows.map((r) => round6(r.metrics[y]!)), [...front.map((r) => round6(r.metrics[y]!)), ...truthYs], a.direction) : undefined;
  // The plot shows the points inside the zoom window (the others are one click away).
  const shown = (v: number) => !zoom || (v >= zoom.window[0] && v <= zoom.window[1]);
  const points = inp.rows.filter((r) => shown(round6(r.metrics[y]!))).length + truthYs.filter(shown).length;
  const lines = (inp.constraints ?? []).filter((c) => c.metric === x || c.metric === y)
    .map((c) => ({ [c.metric === x ? 'xAxis' : 'yAxis']: c.value, name: `${c.metric}${c.op}${c.value}` }));
  if (lines.length > 0) {
    series[0]!.markLine = { symbol: 'none', silent: true, lineStyle: { color: INFEASIBLE, type: 'dashed' }, label: { formatter: '{b}' }, data: lines };
  }
  return {
    id: inp.id, title: inp.title, points, markColors: colors,
    ...(zoom && { zoom: { dataZoomId: ZOOM_ID, axis: axisLabel(y), ...zoom } }),
    option: {
      ...option, xAxis: valueAxis(metricLabel(x, b.direction)), yAxis: valueAxis(metricLabel(y, a.direction), { nameGap: 48 }), series,
      ...(zoom && { dataZoom: [{ type: 'inside', id: ZOOM_ID, yAxisIndex: 0, filterMode: 'none', startValue: zoom.window[0], endValue: zoom.window[1] }] }),
    },
  };
}

const ZOOM_ID = 'fronts-zoom';

/**
 * Where the y axis opens: over the fronts (found and exact) and every better point, with 5 % margins,
 * when that is under 3/4 of the full range — a few cells at 10 % accuracy would otherwise squash the
 * 84–92 % region where the fronts are. A front's own tail of such cells (NAS-Bench-201's exact front
 * ends in ~10 % architectures at near-zero latency) is left out when a gap of over half the front's
 * range separates it from the rest. Undefined: no zoom needed.
 */
export function frontZoom(all: readonly number[], fronts: readonly number[], direction: 'min' | 'max'): { window: [number, number]; full: [number, number] } | undefined {
  const ys = [...all, ...fronts].filter(Number.isFinite);
  // Ascending in "goodness": the worst front value first.
  const fr = fronts.filter(Number.isFinite).sort((p, q) => (direction === 'max' ? p - q : q - p));
  if (ys.length < 2 || fr.length === 0) return undefined;
  const lo = Math.min(...ys);
  const hi = Math.max(...ys);
  let k = 0;
  let widest = 0;
  for (let i = 1; i < fr.length; i++) {
    const gap = Math.abs(fr[i]! - fr[i - 1]!);
    if (gap > widest) [widest, k] = [gap, i];
  }
  const worst = widest > 0.5 * Math.abs(fr[fr.length - 1]! - fr[0]!) && k <= fr.length / 2 ? fr[k]! : fr[0]!;
  const [a, b] = direction === 'max' ? [worst, hi] : [lo, worst];
  if (!(hi > lo) || b - a >= 0.75 * (hi - lo)) return undefined;
  // Margins, then the bounds rounded outwards to a round step of the window's size (84–92, not 84.261–91.607).
  const pad = 0.05 * Math.max(b - a, 1e-9 * Math.abs(b));
  const step = 10 ** Math.floor(Math.log10(b - a + 2 * pad));
  const round = (v: number) => Number(v.toPrecision(12));
  return { window: [Math.max(lo, round(Math.floor((a - pad) / step) * step)), Math.min(hi, round(Math.ceil((b + pad) / step) * step))], full: [lo, hi] };
}

function singleObjective(inp: FrontChartInput, a: Objective, option: Record<string, unknown>, ref: ArchRef): ChartSpec {
  const m = a.metric;
  const byEval = [...inp.rows].sort((p, q) => p.evaluation - q.evaluation);
  let best = a.direction === 'max' ? -Infinity : Infinity;
  const running: (number | string)[][] = [];
  for (const r of byEval) {
    const v = r.metrics[m]!;
    best = a.direction === 'max' ? Math.max(best, v) : Math.min(best, v);
    running.push([r.evaluation, round6(best), ref(r.arch)]);
  }
  const dims = ['evaluation', m, { name: 'arch', type: 'ordinal' }];
  return {
    id: inp.id, title: inp.title, points: byEval.length, markColors: [GREY, FRONT],
    option: {
      ...option,
      xAxis: valueAxis('evaluation'), yAxis: valueAxis(metricLabel(m, a.direction), { nameGap: 48 }),
      series: [
        { name: `evaluated (${byEval.length})`, type: 'scatter', dimensions: dims, data: byEval.map((r) => [r.evaluation, round6(r.metrics[m]!), ref(r.arch)]), symbolSize: 6, itemStyle: { color: GREY }, progressive: 0 },
        { name: 'best so far', type: 'line', step: 'end', dimensions: dims, data: running, showSymbol: false, lineStyle: { color: FRONT, width: 2 }, itemStyle: { color: FRONT } },
      ],
    },
  };
}
