import { spearman } from '../util/spearman.ts';
import { baseOption, round6, valueAxis } from './chart-base.ts';
import { measuredVsPredictedChart } from './latency-charts.ts';
import { colorAt } from './palette.ts';
import { parallelChart } from './parallel-chart.ts';
import { csvNumber } from './read-csv.ts';
import type { ChartSpec, DirReport, InfoTable, Section, TrialsTable } from './report-model.ts';
import type { ProfileDir } from './results-dir.ts';
import { PROTOCOL_COLUMNS, settingsTable } from './settings-tables.ts';
import { ArchRefs } from './arch-refs.ts';
import { timingWarningText, type TimingQuality } from '../latency/timing-quality.ts';

function section(id: string, title: string, notes: string[], charts: ChartSpec[] = [], tables: InfoTable[] = []): Section {
  return { id, title, notes, charts, tables };
}

function f(v: unknown, digits = 3): string {
  return typeof v === 'number' && Number.isFinite(v) ? String(Number(v.toPrecision(digits))) : '—';
}

function accuracyLine(label: string, a: unknown): string {
  const x = (a ?? {}) as Record<string, unknown>;
  return `${label}: ${f(100 * Number(x.within10), 3)} % within ±10 %, MAPE ${f(x.mape)} %, Spearman ρ ${f(x.spearman)}.`;
}

/** Report of a `hwnas profile` results directory (profile.json, models.csv). */
export function profileReport(p: ProfileDir, id: string): DirReport {
  const refs = new ArchRefs();
  const r = p.profile;
  const col = (name: string) => p.models.columns.indexOf(name);
  const models = p.models.rows.map((row) => {
    const values: Record<string, number> = {};
    p.models.columns.forEach((c, k) => {
      const v = c === 'arch' ? undefined : csvNumber(row[k]);
      if (v !== undefined) values[c] = v;
    });
    return { arch: row[col('arch')] ?? '', values };
  });
  const device = String(r.device ?? p.config.device ?? '?');
  const space = String(r.space ?? p.config.space ?? '?');
  const title = `profile: ${space} on ${device} (${models.length} models, ${String(r.layerConfigs ?? '?')} layer configurations)`;
  const sections: Section[] = [];

  const pts = models.filter((m) => Number.isFinite(m.values.flops) && Number.isFinite(m.values.measuredMs));
  const scatter: ChartSpec = {
    id: 'models', title: 'Measured latency against FLOPs', points: pts.length, markColors: [colorAt(0)],
    notes: [`Spearman ρ of FLOPs vs measured latency ${f(r.flopsSpearman)}, of params ${f(r.paramsSpearman)}: how far counting alone ranks these models.`],
    option: {
      ...baseOption('Measured latency against FLOPs', `${device}, ${models.length} sampled models`, { interactive: true }),
      xAxis: valueAxis('FLOPs (multiply-accumulates)'), yAxis: valueAxis('measured latency (ms)', { nameGap: 48 }),
      series: [{ name: `models (${pts.length})`, type: 'scatter', progressive: 0, symbolSize: 7, itemStyle: { color: colorAt(0) }, dimensions: ['flops', 'measuredMs', { name: 'arch', type: 'ordinal' }], data: pts.map((m) => [m.values.flops!, round6(m.values.measuredMs!), refs.ref(m.arch)]) }],
    },
  };
  sections.push(section('fronts', 'Sampled models', ['hwnas profile times whole sampled models (no accuracy, so no accuracy–latency front).'], [scatter]));
  sections.push(section('quality', 'Hypervolume and IGD+ over evaluations', ['A profile is no search: no hypervolume.']));
  const axes = ['measuredMs', 'lutMs', 'fittedMs', 'flops', 'params', 'cv1', 'cv2'].filter((a) => models.some((m) => m.values[a] !== undefined));
  sections.push(section('parallel', 'Parallel coordinates', ['One line per sampled model.'], models.length ? [parallelChart('parallel', 'Models', axes, models.map((m) => ({ ...m, highlight: false })), refs.ref)] : []));
  sections.push(section('cross-device', 'Across devices', ['A profile measures one device.']));

  const pair = (pred: string) => models.filter((m) => Number.isFinite(m.values[pred]) && Number.isFinite(m.values.measuredMs)).map((m) => ({ arch: m.arch, measuredMs: m.values.measuredMs!, predictedMs: m.values[pred]! }));
  const repeat = models.filter((m) => Number.isFinite(m.values.pass1Ms) && Number.isFinite(m.values.pass2Ms));
  sections.push(section('latency', 'Latency: measured vs predicted, spread', [
    accuracyLine('LUT sum (raw)', r.lut),
    accuracyLine(`calibrated LUT (offset ${f((r.calibrated as Record<string, unknown> | undefined)?.offsetMs)} ms + ${f((r.calibrated as Record<string, unknown> | undefined)?.scale)} × sum, k-fold)`, r.calibrated),
    accuracyLine('fitted layer model (NNLS, k-fold)', r.fitted),
    `Repeatability: Spearman ρ between the two measuring passes ${f(r.repeatSpearman)}; median CV of the timed runs ${f(r.medianCv)}.`,
  ], [
    measuredVsPredictedChart('predicted', 'Measured vs predicted latency', [{ label: 'LUT sum (lutMs)', pairs: pair('lutMs') }, { label: 'fitted (fittedMs)', pairs: pair('fittedMs') }], { x: 'measured latency (ms)', y: 'predicted latency (ms)' }, refs.ref),
    measuredVsPredictedChart('repeat', 'Pass 2 against pass 1', [{ label: 'pass 2 vs pass 1', pairs: repeat.map((m) => ({ arch: m.arch, measuredMs: m.values.pass1Ms!, predictedMs: m.values.pass2Ms! })) }], { x: 'pass 1 (ms)', y: 'pass 2 (ms)' }, refs.ref),
  ]));
  if (repeat.length >= 2) sections.at(-1)!.notes.push(`Pass 1 vs pass 2 over ${repeat.length} models: ρ = ${f(spearman(repeat.map((m) => m.values.pass1Ms!), repeat.map((m) => m.values.pass2Ms!)))}.`);
  sections.push(section('timeline', 'Worker timeline', ['No worker data: a profile runs in one process.']));

  const runtime = (r.runtime ?? {}) as Record<string, unknown>;
  const profile = (p.config.deviceProfile ?? {}) as Record<string, unknown>;
  const timing = (profile.timing ?? {}) as Record<string, unknown>;
  const scalars = Object.fromEntries(Object.entries(r).filter(([, v]) => typeof v !== 'object' || v === null));
  sections.push(section('settings', 'Settings and latency protocol', [], [], [
    settingsTable('Profile (profile.json)', scalars),
    settingsTable('Settings (config.json)', Object.fromEntries(Object.entries(p.config).filter(([k]) => k !== 'deviceProfile'))),
    {
      title: 'Latency protocol', columns: PROTOCOL_COLUMNS, rows: [[
        device, String(profile.kind ?? 'measured'), String(runtime.runtime ?? ''), String(runtime.version ?? ''), String(runtime.provider ?? ''), String(runtime.threads ?? ''),
        timing.warmupRuns !== undefined ? `${String(timing.warmupRuns)} runs and at least ${String(timing.warmupMs)} ms` : '—',
        timing.iterations !== undefined ? `at least ${String(timing.iterations)} runs and ${String(timing.minTimeMs)} ms${timing.maxTimeMs !== undefined ? `, at most ${String(timing.maxTimeMs)} ms unless the minimums need more` : ''}` : '—',
        `${String(r.statistic ?? '?')} of the timed runs, at least ${String(r.rounds ?? '?')} interleaved rounds until the 95% CI is within ±${String(timing.ciTolerancePct ?? '?')}%; a model's latency is the mean of two passes`,
        `LUT ${String(r.lutFile ?? '')}`,
      ]],
    },
  ]));

  const numeric = p.models.columns.map((c) => c !== 'arch');
  const trials: TrialsTable = {
    columns: p.models.columns.map((key, k) => ({ key, numeric: numeric[k]! })),
    rows: p.models.rows.map((row) => row.map((v, k) => (numeric[k] ? csvNumber(v) ?? null : v))),
    archColumn: col('arch'),
  };
  const q = r.timing as TimingQuality | undefined;
  const warning = q && typeof q.measured === 'number' ? timingWarningText({ ...q, device }) : undefined;
  return { id, path: p.dir, kind: 'profile', archs: refs.list, title, ...(warning && { warnings: [warning] }), summary: [`${models.length} models; LUT ${String(r.lutFile ?? '?')}; ${f(r.lutSeconds)} s for the LUT, ${f(r.modelSeconds)} s for the models`], sections, trials };
}
