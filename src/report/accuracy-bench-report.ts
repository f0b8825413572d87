import type { AccuracyBenchDir, BenchRowRead } from './accuracy-bench-dir.ts';
import { baseOption, round6, valueAxis } from './chart-base.ts';
import { colorAt, GREY, TRUTH } from './palette.ts';
import type { ChartSpec, DirReport, InfoTable, Section, TrialsTable } from './report-model.ts';
import { settingsTable } from './settings-tables.ts';

/**
 * Report of an `hwnas accuracy-bench` folder: fidelity (Spearman's ρ against the table, with its
 * bootstrap interval) against cost (CPU-seconds per architecture, log scale), one point per signal,
 * the ceiling (one full training against another) and the FLOPs baseline marked; the rows as a
 * table; every journaled score in the trials table.
 */

const fmt = (v: number | null, digits = 3): string => (v === null ? '—' : v.toFixed(digits));
const interval = (v: [number, number] | null, digits = 3): string => (v === null ? '—' : `${v[0].toFixed(digits)} – ${v[1].toFixed(digits)}`);
const isFlops = (r: BenchRowRead): boolean => r.signal === 'flops' || r.signal === 'zero-cost:flops';

function decadeBelow(v: number): number {
  return 10 ** Math.floor(Math.log10(v));
}

function decadeAbove(v: number): number {
  return 10 ** Math.ceil(Math.log10(v));
}

/** Spearman's ρ (with interval bars) against CPU-seconds per architecture, one point per signal. */
export function fidelityCostChart(b: AccuracyBenchDir): ChartSpec {
  const ceiling = b.rows.find((r) => r.signal === 'ceiling');
  const flops = b.rows.find(isFlops);
  const drawn = b.rows.filter((r) => r.signal !== 'ceiling' && r.spearman !== null && r.cpuSecondsPerArch !== null && r.cpuSecondsPerArch > 0);
  const left = b.rows.filter((r) => r.signal !== 'ceiling' && !drawn.includes(r));
  const colors = drawn.map((_, k) => colorAt(k));
  const series: Record<string, unknown>[] = [];
  drawn.forEach((r, k) => {
    const x = round6(r.cpuSecondsPerArch!);
    const ci = r.spearmanCi;
    series.push({
      name: r.signal, type: 'scatter', symbolSize: 11, progressive: 0, itemStyle: { color: colors[k] }, z: 3,
      label: { show: true, position: 'right', formatter: '{a}', color: '#333', fontSize: 11 },
      labelLayout: { moveOverlap: 'shiftY' },
      dimensions: ['CPU-seconds per architecture', 'Spearman ρ', 'ρ 95% CI low', 'ρ 95% CI high', 'architectures scored', 'one-off set-up CPU-s'],
      data: [[x, round6(r.spearman!), ci ? round6(ci[0]) : null, ci ? round6(ci[1]) : null, r.scored, round6(r.setupCpuSeconds)]],
    });
    if (ci) {
      series.push({
        name: r.signal, type: 'line', data: [[x, round6(ci[0])], [x, round6(ci[1])]], showSymbol: false, silent: true, z: 2,
        lineStyle: { color: colors[k], width: 2 }, itemStyle: { color: colors[k] }, tooltip: { show: false },
      });
    }
  });
  const marks: Record<string, unknown>[] = [];
  if (ceiling?.spearman != null) {
    marks.push({
      name: 'ceiling: one full training vs another', yAxis: round6(ceiling.spearman),
      lineStyle: { color: TRUTH, type: 'dashed', width: 1.5 },
      label: { formatter: `ceiling (one full training vs another) ρ = ${ceiling.spearman.toFixed(3)}`, position: 'insideStartTop', color: TRUTH },
    });
  }
  if (flops?.spearman != null) {
    marks.push({
      name: 'FLOPs baseline', yAxis: round6(flops.spearman),
      lineStyle: { color: GREY, type: 'dotted', width: 1.5 },
      label: { formatter: `FLOPs baseline ρ = ${flops.spearman.toFixed(3)}`, position: 'insideEndBottom', color: '#555' },
    });
  }
  if (marks.length > 0) {
    series.push({
      name: 'ceiling and FLOPs baseline', type: 'line', data: [], silent: true, itemStyle: { color: TRUTH },
      markLine: { silent: true, symbol: 'none', data: marks },
      ...(ceiling?.spearmanCi && { markArea: { silent: true, itemStyle: { color: 'rgba(17,17,17,0.07)' }, data: [[{ yAxis: round6(ceiling.spearmanCi[0]) }, { yAxis: round6(ceiling.spearmanCi[1]) }]] } }),
    });
  }
  const xs = drawn.map((r) => r.cpuSecondsPerArch!);
  const ys = [...drawn.flatMap((r) => [r.spearman!, ...(r.spearmanCi ?? [])]), ...(ceiling?.spearmanCi ?? []), ...(ceiling?.spearman != null ? [ceiling.spearman] : [])];
  const yMin = ys.length ? Math.max(-1, Math.floor(Math.min(...ys) * 10) / 10) : 0;
  const notes = [
    `Each point is a signal: Spearman's ρ of its scores against the ${b.groundTruth} over ${b.samples ?? '?'} architectures (seed ${b.seed ?? '?'}); the bar is the 95 % percentile bootstrap interval.`,
    'x: mean CPU-seconds per architecture (every thread of the process and ended child processes), a source\'s one-off set-up (a supernet\'s training) spread over the architectures; log scale.',
  ];
  if (ceiling?.spearman != null) notes.push(`Dashed line: the ceiling, one full training of the table against another (ρ ${ceiling.spearman.toFixed(3)}, 95 % CI ${interval(ceiling.spearmanCi)}, shaded).`);
  if (flops?.spearman != null) notes.push(`Dotted line: the FLOPs baseline (ρ ${flops.spearman.toFixed(3)}), free to compute.`);
  for (const r of drawn) if (r.setupCpuSeconds >= 1) notes.push(`${r.signal}: includes ${r.setupCpuSeconds.toFixed(0)} CPU-s of one-off set-up over ${b.samples ?? '?'} architectures.`);
  for (const r of left) notes.push(`${r.signal}: not drawn (${r.spearman === null ? 'no ρ' : 'no measured CPU time'}).`);
  return {
    id: 'fidelity-cost', title: 'Fidelity against cost', points: drawn.length, markColors: colors, height: 480, notes,
    option: {
      ...baseOption('Fidelity against cost', `${b.space}, ${b.samples ?? '?'} architectures, seed ${b.seed ?? '?'}`, { interactive: true }),
      // Room on the right for the labels of the costliest signals.
      grid: { left: 70, right: 150, top: 90, bottom: 56, containLabel: true },
      xAxis: valueAxis('CPU-seconds per architecture (log scale)', { type: 'log', scale: false, ...(xs.length && { min: decadeBelow(Math.min(...xs)), max: decadeAbove(Math.max(...xs) * 1.0001) }) }),
      yAxis: valueAxis('Spearman ρ against the table (95 % CI)', { nameGap: 44, scale: false, min: yMin, max: 1 }),
      series,
    },
  };
}

function rowsTable(b: AccuracyBenchDir): InfoTable {
  return {
    title: 'Signals against the table',
    columns: ['signal', 'architectures', 'Spearman ρ', 'ρ 95% CI', 'Kendall τ-b', 'τ 95% CI', 'top-10% precision', 'precision 95% CI', 'CPU-s per architecture', 'of which set-up CPU-s (total)', 'failed'],
    rows: b.rows.map((r) => [
      r.signal, r.scored, fmt(r.spearman), interval(r.spearmanCi), fmt(r.kendall), interval(r.kendallCi), fmt(r.top10Precision, 2), interval(r.top10PrecisionCi, 2),
      r.signal === 'ceiling' ? 'a full training' : r.cpuSecondsPerArch === null ? '—' : Number(r.cpuSecondsPerArch.toPrecision(3)), r.setupCpuSeconds ? Number(r.setupCpuSeconds.toPrecision(4)) : 0, r.failed,
    ]),
  };
}

function section(id: string, title: string, notes: string[], charts: ChartSpec[] = [], tables: InfoTable[] = []): Section {
  return { id, title, notes, charts, tables };
}

/** Report of an accuracy-bench folder. */
export function accuracyBenchReport(b: AccuracyBenchDir, id: string): DirReport {
  const sections: Section[] = [
    section('fidelity', 'Fidelity against cost', ['How well each signal ranks architectures against the table, and what it costs per architecture.'], [fidelityCostChart(b)]),
    section('signals', 'Signals against the table', [`Kendall τ-b and the top-10 % precision (of the top 10 % by the signal, the share in the top 10 % by the table) beside Spearman's ρ; intervals are 95 % percentile bootstrap intervals over the architectures.`], [], [rowsTable(b)]),
    section('settings', 'Settings', [], [], [
      settingsTable('Bench (config.json)', Object.fromEntries(Object.entries(b.config).filter(([k]) => k !== 'fingerprint'))),
      ...b.rows.map((r) => settingsTable(`${r.signal}`, r.settings)),
    ]),
  ];
  const columns = ['signal', 'arch', 'status', 'score', 'cpuSeconds', 'wallMs', 'error'];
  const trials: TrialsTable = {
    columns: columns.map((key) => ({ key, numeric: key === 'score' || key === 'cpuSeconds' || key === 'wallMs' })),
    rows: b.scores.map((s) => [s.signal, s.arch, s.error === null ? 'ok' : 'failed', s.score, s.cpuSeconds, s.wallMs, s.error]),
    archColumn: 1,
  };
  const signals = b.rows.filter((r) => r.signal !== 'ceiling').length;
  return {
    id, path: b.dir, kind: 'accuracy-bench', archs: [],
    title: `accuracy-bench: ${b.space}, ${signals} signal(s) over ${b.samples ?? '?'} architectures`,
    summary: [
      `ground truth: ${b.groundTruth}; seed ${b.seed ?? '?'}`,
      `${b.scores.length} journaled scores${b.badLines > 0 ? `, ${b.badLines} unreadable journal line(s) left out` : ''}`,
    ],
    sections, trials,
  };
}
