import { buildLeaderboard, type LeaderboardRow } from '../record/leaderboard.ts';
import { crossDevice, tableLatency } from './cross-device.ts';
import { colorAt } from './palette.ts';
import { frontChart } from './front-chart.ts';
import { latencySpreadChart, measuredVsPredictedChart, type LatencyPairs } from './latency-charts.ts';
import { extraAxes } from './metric-axes.ts';
import { parallelChart, type ParallelRow } from './parallel-chart.ts';
import { evaluationGrid, qualityCurve, runNormalisation, truthNormalisation } from './quality-curve.ts';
import { qualityChart, type CurveSet } from './quality-chart.ts';
import { csvNumber, csvObjects } from './read-csv.ts';
import type { JournalRecord } from './read-journal.ts';
import type { ChartSpec, DirReport, InfoTable, Section } from './report-model.ts';
import type { SearchDir } from './results-dir.ts';
import { PROTOCOL_COLUMNS, protocolRow, settingsTable } from './settings-tables.ts';
import { baseOption, round6, valueAxis } from './chart-base.ts';
import { archItself, ArchRefs, type ArchRef } from './arch-refs.ts';
import { timedRecords, timelineChart } from './timeline-chart.ts';
import { trialsTable } from './trials-table.ts';
import { DEFAULT_TIMING } from '../latency/device-profile.ts';
import { timedRows, timingQuality, timingWarningText } from '../latency/timing-quality.ts';
import { sameConstraints, type TruthData } from './truth-file.ts';
import type { Constraint } from '../record/metric-registry.ts';

function section(id: string, title: string, notes: string[], charts: ChartSpec[] = [], tables: InfoTable[] = []): Section {
  return { id, title, notes, charts, tables };
}

function f(v: number | undefined, digits = 4): string {
  return v === undefined || !Number.isFinite(v) ? '—' : String(Number(v.toPrecision(digits)));
}

/**
 * The exact front of `space` on `device` under `constraints` among the known truths, if any: a
 * constrained search is drawn and scored against the constrained front only.
 */
export function truthFor(truths: readonly TruthData[], space: string, device: string | null, constraints: readonly Constraint[] = []): TruthData | undefined {
  return truths.find((t) => t.space === space && (t.device ?? null) === device && sameConstraints(t.constraints, constraints));
}

/** Report of a `hwnas search` results directory. */
export function searchReport(d: SearchDir, id: string, extraTruths: readonly TruthData[] = []): DirReport {
  const refs = new ArchRefs();
  const truths = [...d.truths, ...extraTruths];
  const devs = d.devices.map((dev) => {
    const ok = dev.journal.records;
    let rows: LeaderboardRow[] = [];
    try {
      rows = buildLeaderboard(ok, d.objectives, d.constraints);
    } catch {
      rows = buildLeaderboard(ok, d.objectives, []);
    }
    return { ...dev, rows, truth: truthFor(truths, d.space, dev.device, d.constraints) };
  });
  const title = `search: ${d.space} on ${d.devices.map((x) => x.device).join(', ')} (${d.strategy}, seed ${String(d.config.seed ?? '?')})`;
  const summary = devs.map((x) => {
    const n = x.journal.records.length;
    const failed = x.journal.records.filter((r) => r.outcome.status !== 'ok').length;
    const front = x.rows.filter((r) => r.paretoRank === 1 && r.feasible).length;
    return `${x.device}: ${n} evaluated${d.config.budget !== undefined ? ` of ${String(d.config.budget)}` : ''}, ${failed} failed, front of ${front}${x.journal.skippedLines ? `, ${x.journal.skippedLines} unreadable journal line(s) skipped (torn by a crash or still being written)` : ''}`;
  });
  const warnings = searchTimingWarnings(d);
  const load = loadLine(d.config);
  if (load) summary.push(load);
  // A run not finished (still going, or stopped): where each target stood (progress.json, updated as
  // candidates finish and train).
  for (const t of d.progress?.targets ?? []) {
    if (t.finished) continue;
    const training = t.training.map((p) => `${p.arch} epoch ${p.epoch}/${p.epochs} step ${p.step}/${p.steps}${p.loss !== undefined ? ` (loss ${f(p.loss, 3)})` : ''}`).join('; ');
    const eta = t.etaS !== undefined ? `, about ${t.etaS < 90 ? `${Math.round(t.etaS)} s` : `${Math.round(t.etaS / 60)} min`} left` : '';
    summary.push(`${t.target}: not finished — ${t.done} of ${t.total} done${t.failed ? ` (${t.failed} failed)` : ''}${eta}${training ? `; training ${training}` : ''} (last progress at ${d.progress!.updatedAt})`);
  }
  const sections: Section[] = [];

  // Fronts.
  sections.push(section('fronts', 'Accuracy–latency plane per device', [
    `Objectives: ${d.objectives.map((o) => `${o.metric} (${o.direction})`).join(', ')}${d.constraints.length ? `; constraints: ${d.constraints.map((c) => `${c.metric}${c.op}${c.value}`).join(', ')} (infeasible points are red triangles)` : ''}.`,
    'Grey: every evaluated architecture; orange staircase: the found Pareto front; black dashed: the exact front where the space and device have one.',
  ], devs.map((x) => {
    const chart = frontChart({
      id: `front-${x.device}`, title: `${d.space} on ${x.device}`, subtitle: `${x.rows.length} evaluated · ${d.strategy}`,
      rows: x.rows, objectives: d.objectives, constraints: d.constraints, ...(x.truth && { truth: x.truth.front }),
    }, { archRef: refs.ref });
    const meeting = d.constraints.length ? ` meeting ${d.constraints.map((c) => `${c.metric}${c.op}${c.value}`).join(', ')}` : '';
    chart.notes = [x.truth ? `Exact front of the architectures${meeting}: ${x.truth.front.length} architectures of ${f(x.truth.enumerated, 6)}${meeting && Number.isFinite(x.truth.feasible) ? ` (${f(x.truth.feasible, 6)} meet the constraints)` : ''} (${x.truth.file.split('/').pop()}).` : `No exact front known for ${d.space} on ${x.device}${meeting}.`];
    return chart;
  })));

  // Quality over evaluations.
  if (d.objectives.length >= 2) {
    const norms = devs.map((x) => (x.truth ? truthNormalisation(x.truth) : runNormalisation(d.objectives, x.journal.records, d.constraints)));
    const budget = Number(d.config.budget);
    const curves = devs.map((x, k) => {
      const norm = norms[k];
      if (!norm) return undefined;
      const n = x.journal.records.length;
      return qualityCurve(x.journal.records, norm, evaluationGrid(n, Number.isFinite(budget) ? Math.min(budget, n) : n, [], 200));
    });
    const set = (pick: 'hvRatio' | 'igdPlus'): CurveSet[] => devs.flatMap((x, k) => (curves[k] ? [{ label: x.device, runs: [curves[k]!.map((p) => [p.evaluations, p[pick]] as const)] }] : []));
    const notes = devs.map((x, k) => `${x.device}: ${norms[k]?.text ?? 'no successful evaluation'}`);
    const finals = devs.map((x, k) => {
      const last = curves[k]?.[curves[k]!.length - 1];
      return `${x.device}: HV ${f(last?.hypervolume)}, HV ratio ${f(last?.hvRatio)}, IGD+ ${f(last?.igdPlus)} after ${last?.evaluations ?? 0} evaluations.`;
    });
    sections.push(section('quality', 'Hypervolume and IGD+ over evaluations', [...finals], [
      qualityChart({ id: 'hv', title: 'Hypervolume ratio over evaluations', yLabel: 'HV / HV(reference front)', sets: set('hvRatio'), notes }),
      qualityChart({ id: 'igd', title: 'IGD+ over evaluations', yLabel: 'IGD+ (normalised)', sets: set('igdPlus'), notes: ['IGD+ (Ishibuchi et al. 2015): mean distance from each reference-front point to the nearest found point, counting only where the found point is worse; 0 = the reference front is covered.'] }),
    ]));
  } else {
    sections.push(section('quality', 'Hypervolume and IGD+ over evaluations', ['Single objective: no hypervolume; the plot above shows the best value so far.']));
  }

  // Parallel coordinates.
  const multi = devs.length > 1;
  const firstMetric = d.objectives[0]?.metric ?? 'accuracy';
  const union = new Map<string, ParallelRow & { values: Record<string, number> }>();
  for (const x of devs) {
    const lat = multi ? `latencyMs@${x.device}` : 'latencyMs';
    for (const r of x.rows) {
      const u = union.get(r.arch) ?? { arch: r.arch, values: {}, highlight: false };
      for (const [k, v] of Object.entries(r.metrics)) if (k !== 'latencyMs' && !(k in u.values)) u.values[k] = v;
      if (r.metrics.latencyMs !== undefined) u.values[lat] = r.metrics.latencyMs;
      u.highlight ||= r.paretoRank === 1 && r.feasible;
      union.set(r.arch, u);
    }
  }
  if (multi) {
    for (const x of devs) {
      for (const u of union.values()) {
        const k = `latencyMs@${x.device}`;
        if (u.values[k] === undefined) {
          const t = tableLatency(x.profile, d.space, u.arch);
          if (t !== undefined) u.values[k] = t;
        }
      }
    }
  }
  const rowsU = [...union.values()];
  const axes = [
    ...new Set([firstMetric, ...d.objectives.map((o) => o.metric).filter((m) => m !== 'latencyMs'),
      ...(multi ? devs.map((x) => `latencyMs@${x.device}`) : ['latencyMs']), 'paramCount', 'flops']),
  ].filter((a) => rowsU.some((r) => r.values[a] !== undefined));
  for (const e of extraAxes(rowsU.map((r) => r.values))) if (!axes.includes(e)) axes.push(e);
  sections.push(section('parallel', 'Parallel coordinates', [
    multi ? 'One line per architecture evaluated on any device; its latency on the other devices comes from their journals or, for table devices, their tables.' : 'One line per evaluated architecture.',
  ], rowsU.length ? [parallelChart('parallel', 'All objectives', axes, rowsU, refs.ref)] : []));

  // Cross-device. A joint search is seen per device: accuracy against latencyMs@<device>.
  const views = d.joint && d.deviceIds.length > 1
    ? d.deviceIds.map((id) => {
      const recs = devs[0]!.journal.records.map((r) => (r.outcome.status === 'ok' && r.outcome.metrics[`latencyMs@${id}`] !== undefined ? { ...r, outcome: { ...r.outcome, metrics: { ...r.outcome.metrics, latencyMs: r.outcome.metrics[`latencyMs@${id}`]! } } } : r));
      const objs = d.objectives.filter((o) => !o.metric.startsWith('latencyMs@')).concat([{ metric: 'latencyMs', direction: 'min' }]);
      return { device: id, profile: (Array.isArray(d.config.deviceProfiles) ? (d.config.deviceProfiles as Record<string, unknown>[]) : []).find((p) => p.id === id), rows: buildLeaderboard(recs, objs, []) };
    })
    : devs.map((x) => ({ device: x.device, profile: x.profile, rows: x.rows }));
  const crossObjectives = d.joint ? d.objectives.filter((o) => !o.metric.startsWith('latencyMs@')).concat([{ metric: 'latencyMs', direction: 'min' }]) : d.objectives;
  if (views.length > 1) {
    const placed = crossDevice(views, crossObjectives, d.space);
    // x: position along the front's own staircase (1 = its fastest architecture), y: rank on the other device.
    const series = placed.map((p, k) => {
      const order = p.placed.map((a, i) => i).sort((i, j) => p.placed[i]!.latencyA - p.placed[j]!.latencyA);
      const position = new Map(order.map((i, r) => [i, r + 1]));
      return {
        name: `${p.from} front on ${p.to}`, type: 'scatter', symbolSize: 8, progressive: 0, itemStyle: { color: colorAt(k), opacity: 0.8 },
        dimensions: [`position on ${p.from}'s front (1 = fastest)`, `Pareto rank on ${p.to}`, { name: 'arch', type: 'ordinal' }, firstMetric, `latencyMs on ${p.from}`, `latencyMs on ${p.to}`],
        data: p.placed.flatMap((a, i) => (a.rankOnB === undefined ? [] : [[position.get(i)!, a.rankOnB, refs.ref(a.arch), round6(a.metrics[firstMetric] ?? NaN), round6(a.latencyA), round6(a.latencyB!)]])),
      };
    });
    const points = series.reduce((s, x) => s + x.data.length, 0);
    const chart: ChartSpec = {
      id: 'cross-device', title: 'Each device’s front placed on the other devices', points, markColors: placed.map((_, k) => colorAt(k)),
      notes: ['Rank 1: still on the other device’s Pareto front; rank r: r − 1 fronts of that device’s evaluated architectures lie in between.'],
      option: { ...baseOption('Each device’s front placed on the other devices', 'y: Pareto rank among the other device’s evaluated architectures', { interactive: true }), xAxis: valueAxis('position on the own device’s front (1 = fastest)', { minInterval: 1, scale: false, min: 0 }), yAxis: valueAxis('Pareto rank on the other device', { nameGap: 40, minInterval: 1, scale: false, min: 0 }), series },
    };
    const matrix: InfoTable = {
      title: 'Front of A on device B',
      columns: ['front of (A)', 'placed on (B)', 'front size', 'placed', 'on B’s front', 'median rank on B', 'latency ρ (A vs B)', 'pairs for ρ'],
      rows: placed.map((p) => {
        const n = p.placed.filter((a) => a.rankOnB !== undefined).length;
        return [p.from, p.to, p.placed.length, n, Number.isFinite(p.onFrontShare) ? `${Math.round(p.onFrontShare * n)} (${(100 * p.onFrontShare).toFixed(0)} %)` : '—', f(p.medianRank, 3), f(p.latencySpearman, 3), p.commonArchs];
      }),
    };
    const detail: InfoTable = {
      title: 'Front architectures on every device', collapsed: true,
      columns: ['front of', 'on', 'arch', firstMetric, 'latencyMs on front device', 'latencyMs on other', 'from', 'Pareto rank on other'],
      rows: placed.flatMap((p) => p.placed.map((a) => [p.from, p.to, a.arch, round6(a.metrics[firstMetric] ?? NaN), round6(a.latencyA), a.latencyB === undefined ? null : round6(a.latencyB), a.sourceB, a.rankOnB ?? null])),
    };
    sections.push(section('cross-device', 'Across devices', ['How far one device’s best choices are from another’s: every architecture of device A’s found front, with its latency on device B (from B’s journal, a joint-search metric, or B’s table) and the Pareto rank it would take among B’s evaluated architectures.'], points ? [chart] : [], [matrix, detail]));
  } else {
    sections.push(section('cross-device', 'Across devices', ['Single-device search: nothing to place across devices (search with several --device to compare them).']));
  }

  // Latency: measured vs predicted, spread.
  const sets: LatencyPairs[] = [];
  for (const x of devs) {
    const pairs = x.rows.filter((r) => r.metrics.predictedLatencyMs !== undefined).map((r) => ({ arch: r.arch, measuredMs: r.metrics.latencyMs!, predictedMs: r.metrics.predictedLatencyMs! }));
    if (pairs.length) sets.push({ label: `${x.device}: predictedLatencyMs`, pairs });
    if (x.remeasured) {
      const re = csvObjects(x.remeasured).filter((o) => o.remeasuredLatencyMs !== undefined && o.remeasuredLatencyMs !== '');
      if (re.length) sets.push({ label: `${x.device}: latencyMs vs re-measured on ${re[0]!.remeasureDevice ?? '?'}`, pairs: re.map((o) => ({ arch: o.arch!, measuredMs: csvNumber(o.remeasuredLatencyMs)!, predictedMs: csvNumber(o.latencyMs)! })) });
    }
  }
  const spread = devs.map((x) => ({ label: x.device, points: x.rows.filter((r) => r.metrics.p90Ms !== undefined).map((r) => ({ arch: r.arch, p50Ms: r.metrics.latencyMs!, p90Ms: r.metrics.p90Ms!, cv: r.metrics.cv ?? NaN })) })).filter((s) => s.points.length > 0);
  const latCharts: ChartSpec[] = [];
  if (sets.length) latCharts.push(measuredVsPredictedChart('predicted', 'Measured vs predicted latency', sets, { x: 'measured latency (ms)', y: 'predicted / search latency (ms)' }, refs.ref));
  if (spread.length) latCharts.push(latencySpreadChart('spread', 'Latency spread per architecture', spread, refs.ref));
  sections.push(section('latency', 'Latency: measured vs predicted, spread', [
    ...(sets.length ? [] : ['No predicted or re-measured latency in this run: a measured device with a profiled LUT adds predictedLatencyMs; --remeasure-front adds remeasuredLatencyMs.']),
    ...(spread.length ? [] : ['No timing spread: latencies come from tables or LUTs, not from timed runs.']),
  ], latCharts));

  sections.push(timelineSection(devs.flatMap((x) => x.journal.records.map((r) => ({ ...r, source: x.device }))), refs.ref));

  sections.push(section('settings', 'Settings and latency protocol', [], [], [
    settingsTable('Run settings (config.json)', d.config),
    { title: 'Latency protocol', columns: PROTOCOL_COLUMNS, rows: devs.map((x) => protocolRow(x.device, x.profile, x.journal.records)) },
  ]));

  return {
    id, path: d.dir, kind: 'search', title, summary, warnings, sections, archs: refs.list,
    trials: trialsTable(devs.map((x) => ({ labels: { device: x.device }, records: x.journal.records, ranks: new Map(x.rows.map((r) => [r.arch, { paretoRank: r.paretoRank, feasible: r.feasible }])) }))),
  };
}

/** The timing warning of each measured device of a search whose rows missed their tolerance. */
function searchTimingWarnings(d: SearchDir): string[] {
  const profiles = Array.isArray(d.config.deviceProfiles) ? (d.config.deviceProfiles as Record<string, unknown>[]) : [];
  const out: string[] = [];
  for (const dev of d.devices) {
    const ok = dev.journal.records.flatMap((r) => (r.outcome.status === 'ok' ? [r.outcome] : []));
    const ids = d.joint ? d.deviceIds : [dev.device];
    for (const id of ids) {
      const profile = profiles.find((p) => p.id === id) ?? dev.profile;
      const tolerance = Number((profile?.timing as Record<string, unknown> | undefined)?.ciTolerancePct ?? DEFAULT_TIMING.ciTolerancePct);
      const text = timingWarningText(timingQuality(id, tolerance, timedRows(ok, d.joint ? `@${id}` : '')));
      if (text) out.push(text);
    }
  }
  return out;
}

/** `load average 3.10 before, 3.40 after (2 CPUs)` from config.json, when the run recorded it. */
function loadLine(config: Readonly<Record<string, unknown>>): string | undefined {
  const at = (k: string) => {
    const v = (config[k] as { loadAvg?: unknown } | undefined)?.loadAvg;
    return Array.isArray(v) && typeof v[0] === 'number' ? v[0] : undefined;
  };
  const before = at('hostLoadBefore');
  if (before === undefined) return undefined;
  const after = at('hostLoadAfter');
  const cpus = (config.hostLoadBefore as { cpus?: unknown }).cpus;
  return `load average ${before.toFixed(2)} when the run started${after !== undefined ? `, ${after.toFixed(2)} when it ended` : ''}${typeof cpus === 'number' ? ` (${cpus} CPUs)` : ''}`;
}

/** Worker timeline when records carry worker and timestamps; a note otherwise. */
export function timelineSection(records: readonly (JournalRecord & { source?: string })[], ref: ArchRef = archItself): Section {
  const timed = timedRecords(records);
  if (timed.length === 0) {
    return section('timeline', 'Worker timeline', ['No worker data: these records carry no worker, startedAt and finishedAt (a distributed run writes them).']);
  }
  return section('timeline', 'Worker timeline', [], [timelineChart('timeline', 'What each worker did', timed, ref)]);
}

