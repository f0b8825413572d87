import { spearman } from '../util/spearman.ts';
import { median } from '../util/stats.ts';
import { baseOption, round6, valueAxis } from './chart-base.ts';
import { colorAt, GREY, tint } from './palette.ts';
import type { ChartSpec } from './report-model.ts';
import { archItself, type ArchRef } from './arch-refs.ts';

/** Pairs of one kind of prediction: each architecture's measured and predicted latency. */
export interface LatencyPairs {
  label: string;
  pairs: readonly { arch: string; measuredMs: number; predictedMs: number }[];
}

/** Share (0–1) of pairs predicted within ±`tol` of the measured latency. */
export function withinShare(pairs: LatencyPairs['pairs'], tol = 0.1): number {
  if (pairs.length === 0) return NaN;
  return pairs.filter((p) => Math.abs(p.predictedMs - p.measuredMs) <= tol * p.measuredMs).length / pairs.length;
}

function f3(v: number): string {
  return Number.isFinite(v) ? v.toFixed(3) : String(v);
}

/**
 * Predicted (or re-measured) against measured latency: one colour per kind of prediction, the
 * diagonal and its ±10 % band; the notes give Spearman's ρ and the share within ±10 % per kind.
 */
export function measuredVsPredictedChart(id: string, title: string, sets: readonly LatencyPairs[], axisNames: { x: string; y: string }, ref: ArchRef = archItself): ChartSpec {
  const all = sets.flatMap((s) => s.pairs).filter((p) => Number.isFinite(p.measuredMs) && Number.isFinite(p.predictedMs));
  const lo = all.length ? Math.min(...all.map((p) => Math.min(p.measuredMs, p.predictedMs))) : 0;
  const hi = all.length ? Math.max(...all.map((p) => Math.max(p.measuredMs, p.predictedMs))) : 1;
  const xs = [lo, hi];
  const dims = [axisNames.x, axisNames.y, { name: 'arch', type: 'ordinal' }];
  const series: Record<string, unknown>[] = [
    { name: '±10 %', type: 'line', stack: 'band', data: xs.map((x) => [round6(x), round6(0.9 * x)]), symbol: 'none', lineStyle: { opacity: 0 }, itemStyle: { color: tint(GREY, 0.6) }, silent: true, tooltip: { show: false } },
    { name: '±10 %', type: 'line', stack: 'band', data: xs.map((x) => [round6(x), round6(0.2 * x)]), symbol: 'none', lineStyle: { opacity: 0 }, itemStyle: { color: tint(GREY, 0.6) }, areaStyle: { color: tint(GREY, 0.35), opacity: 0.4 }, silent: true, tooltip: { show: false } },
    { name: 'predicted = measured', type: 'line', data: xs.map((x) => [round6(x), round6(x)]), symbol: 'none', itemStyle: { color: GREY }, lineStyle: { color: GREY, type: 'dashed', width: 1 }, silent: true, tooltip: { show: false } },
  ];
  const colors: string[] = [];
  const notes: string[] = [];
  let points = 0;
  sets.forEach((s, i) => {
    const ok = s.pairs.filter((p) => Number.isFinite(p.measuredMs) && Number.isFinite(p.predictedMs));
    if (ok.length === 0) return;
    const color = colorAt(i);
    colors.push(color);
    points += ok.length;
    series.push({ name: `${s.label} (${ok.length})`, type: 'scatter', dimensions: dims, data: ok.map((p) => [round6(p.measuredMs), round6(p.predictedMs), ref(p.arch)]), symbolSize: 7, itemStyle: { color, opacity: 0.8 }, progressive: 0, z: 3 });
    notes.push(`${s.label}: Spearman ρ = ${f3(spearman(ok.map((p) => p.predictedMs), ok.map((p) => p.measuredMs)))}, ${(100 * withinShare(ok)).toFixed(0)} % within ±10 % (n = ${ok.length}).`);
  });
  return {
    id, title, points, markColors: colors, notes,
    option: { ...baseOption(title, 'shaded: within ±10 % of the measured latency', { interactive: true }), xAxis: valueAxis(axisNames.x, { scale: false }), yAxis: valueAxis(axisNames.y, { nameGap: 48, scale: false }), series },
  };
}

/** Spread of the timed runs of one architecture. */
export interface SpreadPoint {
  arch: string;
  p50Ms: number;
  p90Ms: number;
  cv: number;
}

/**
 * Latency spread per architecture: p90 against p50 of its timed runs (the diagonal is no spread),
 * symbol size growing with the coefficient of variation.
 */
export function latencySpreadChart(id: string, title: string, sets: readonly { label: string; points: readonly SpreadPoint[] }[], ref: ArchRef = archItself): ChartSpec {
  const colors: string[] = [];
  const notes: string[] = [];
  const series: Record<string, unknown>[] = [];
  let points = 0;
  let lo = Infinity;
  let hi = -Infinity;
  const dims = ['p50 (ms)', 'p90 (ms)', { name: 'arch', type: 'ordinal' }, 'cv'];
  sets.forEach((s, i) => {
    const ok = s.points.filter((p) => Number.isFinite(p.p50Ms) && Number.isFinite(p.p90Ms));
    if (ok.length === 0) return;
    const color = colorAt(i);
    colors.push(color);
    points += ok.length;
    for (const p of ok) {
      lo = Math.min(lo, p.p50Ms);
      hi = Math.max(hi, p.p90Ms);
    }
    const cvs = ok.map((p) => p.cv).filter(Number.isFinite);
    notes.push(`${s.label}: median CV ${f3(median(cvs))}, ${cvs.filter((c) => c > 0.1).length} of ${cvs.length} architectures with CV > 0.1, median p90/p50 ${f3(median(ok.map((p) => p.p90Ms / p.p50Ms)))}.`);
    series.push({
      name: `${s.label} (${ok.length})`, type: 'scatter', dimensions: dims, progressive: 0, itemStyle: { color, opacity: 0.75 },
      data: ok.map((p) => ({ value: [round6(p.p50Ms), round6(p.p90Ms), ref(p.arch), round6(p.cv)], symbolSize: 5 + Math.min(14, 20 * (Number.isFinite(p.cv) ? p.cv : 0)) })),
    });
  });
  if (points > 0) series.unshift({ name: 'p90 = p50', type: 'line', data: [[round6(lo), round6(lo)], [round6(hi), round6(hi)]], symbol: 'none', itemStyle: { color: GREY }, lineStyle: { color: GREY, type: 'dashed', width: 1 }, silent: true, tooltip: { show: false } });
  return {
    id, title, points, markColors: colors, notes,
    option: { ...baseOption(title, 'symbol size grows with the coefficient of variation (CV) of the timed runs', { interactive: true }), xAxis: valueAxis('p50 latency (ms)'), yAxis: valueAxis('p90 latency (ms)', { nameGap: 48 }), series },
  };
}
