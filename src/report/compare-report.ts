import { buildLeaderboard } from '../record/leaderboard.ts';
import { compareCurves } from './compare-curves.ts';
import { frontChart } from './front-chart.ts';
import { extraAxes } from './metric-axes.ts';
import { parallelChart } from './parallel-chart.ts';
import { qualityChart } from './quality-chart.ts';
import type { JournalRecord } from './read-journal.ts';
import { csvNumber } from './read-csv.ts';
import type { ChartSpec, DirReport, InfoTable, Section } from './report-model.ts';
import type { CompareDir } from './results-dir.ts';
import { truthFor, timelineSection } from './search-report.ts';
import { PROTOCOL_COLUMNS, protocolRow, settingsTable } from './settings-tables.ts';
import { trialsTable } from './trials-table.ts';
import { ArchRefs } from './arch-refs.ts';

function section(id: string, title: string, notes: string[], charts: ChartSpec[] = [], tables: InfoTable[] = []): Section {
  return { id, title, notes, charts, tables };
}

/** Report of a `hwnas compare` results directory. */
export function compareReport(c: CompareDir, id: string): DirReport {
  const refs = new ArchRefs();
  const truth = truthFor(c.truths, c.space, c.device, c.constraints) ?? c.truths[0];
  const where = `${c.space}${c.device ? ` on ${c.device}` : ''}`;
  const seeds = new Set(c.runs.map((r) => r.seed)).size;
  const title = `compare: ${c.strategies.join(', ')} on ${where} (${seeds} seeds, budget ${String(c.config.budget ?? '?')})`;
  const skipped = c.runs.reduce((s, r) => s + r.journal.skippedLines, 0);
  const summary = [
    `${c.runs.length} runs, ${c.runs.reduce((s, r) => s + r.journal.records.length, 0)} evaluations, ${c.runs.reduce((s, r) => s + r.journal.records.filter((x) => x.outcome.status !== 'ok').length, 0)} failed${skipped ? `, ${skipped} unreadable journal line(s) skipped` : ''}`,
    c.scores ? `scores: ${c.mode === 'single' ? 'best.csv' : 'hv.csv'} (${c.scores.rows.length} rows)` : 'the comparison has not finished (no hv.csv / best.csv yet)',
  ];
  const sections: Section[] = [];

  // Every architecture any run evaluated (once), with the found and exact fronts.
  const seen = new Map<string, JournalRecord>();
  for (const r of c.runs) for (const rec of r.journal.records) if (!seen.has(rec.arch)) seen.set(rec.arch, rec);
  const unique = [...seen.values()];
  const rows = c.objectives.length ? buildLeaderboard(unique, c.objectives, c.constraints) : [];
  sections.push(section('fronts', `Accuracy–latency plane: ${where}`, [
    `${unique.length} distinct architectures evaluated by all runs together; orange: their non-dominated set; black dashed: the exact front.`,
  ], [frontChart({ id: 'front', title: where, subtitle: `${unique.length} distinct architectures, all runs`, rows, objectives: c.objectives, constraints: c.constraints, ...(truth && { truth: truth.front }) }, { archRef: refs.ref })]));

  // Anytime quality per strategy.
  const curves = compareCurves(c, truth);
  const summaryTable: InfoTable[] = c.summary ? [{ title: 'summary.csv', columns: c.summary.columns, rows: c.summary.rows.map((r) => r.map((v) => csvNumber(v) ?? v)) }] : [];
  if (c.mode === 'multi') {
    const notes = [curves.normalisation?.text ?? 'No exact front in this folder: curves cannot be scored.'];
    sections.push(section('quality', 'Hypervolume and IGD+ over evaluations', [
      `Per strategy: the median over ${seeds} seeds (line), the interquartile range (band) and every seed (thin lines), scored from the runs’ journals exactly as hwnas compare scores them.`,
    ], curves.normalisation ? [
      qualityChart({ id: 'hv', title: `Hypervolume ratio vs the exact front (${where})`, subtitle: `median and IQR over ${seeds} seeds`, yLabel: 'HV(found) / HV(exact front)', sets: curves.hvRatio, notes }),
      qualityChart({ id: 'igd', title: `IGD+ vs the exact front (${where})`, subtitle: `median and IQR over ${seeds} seeds`, yLabel: 'IGD+ (normalised)', sets: curves.igdPlus, notes: ['IGD+ (Ishibuchi et al. 2015) against the exact front in the same normalisation; 0 = the exact front is covered.'] }),
    ] : [], summaryTable));
  } else {
    sections.push(section('quality', 'Best architecture over evaluations', [
      'Single objective (accuracy): the test accuracy of the best-by-validation architecture so far (as NAS-Bench-201 reports), median and IQR over seeds. No hypervolume.',
    ], [
      qualityChart({ id: 'best', title: `Test accuracy of the best-by-validation architecture (${where})`, subtitle: `median and IQR over ${seeds} seeds`, yLabel: 'test accuracy (%)', sets: curves.testAccuracy }),
      qualityChart({ id: 'valid', title: 'Best validation accuracy so far', subtitle: `median and IQR over ${seeds} seeds`, yLabel: 'validation accuracy (%)', sets: curves.bestValidAccuracy }),
    ], summaryTable));
  }

  // Parallel coordinates of the distinct architectures.
  const ok = rows.map((r) => ({ arch: r.arch, values: r.metrics, highlight: r.paretoRank === 1 }));
  const axes = [...new Set([...c.objectives.map((o) => o.metric), 'latencyMs', 'paramCount', 'flops', 'testAccuracy'])].filter((a) => ok.some((r) => r.values[a] !== undefined));
  for (const e of extraAxes(ok.map((r) => r.values))) if (!axes.includes(e)) axes.push(e);
  sections.push(section('parallel', 'Parallel coordinates', ['One line per distinct architecture evaluated by any run.'], ok.length ? [parallelChart('parallel', 'All objectives', axes, ok, refs.ref)] : []));

  sections.push(section('cross-device', 'Across devices', [`A comparison runs on one device${c.device ? ` (${c.device})` : ''}: nothing to place across devices.`]));
  sections.push(section('latency', 'Latency: measured vs predicted, spread', [`Latencies come from ${c.device ? `the published table of ${c.device}` : 'no device'}: nothing measured or predicted to compare.`]));
  sections.push(timelineSection(c.runs.flatMap((r) => r.journal.records.map((x) => ({ ...x, source: `${r.strategy}/seed-${r.seed}` }))), refs.ref));
  sections.push(section('settings', 'Settings and latency protocol', [], [], [
    settingsTable('Comparison settings (config.json)', c.config),
    ...(truth ? [settingsTable(`Exact front (${truth.file.split('/').pop()})`, { space: truth.space, device: truth.device, objectives: truth.objectives.map((o) => `${o.metric}:${o.direction}`).join(', '), constraints: truth.constraints.map((k) => `${k.metric}${k.op}${k.value}`).join(', ') || 'none', enumerated: truth.enumerated, feasible: truth.feasible, frontSize: truth.front.length, ideal: truth.ideal, nadir: truth.nadir, referencePoint: truth.reference, hypervolume: truth.hypervolume, note: truth.note })] : []),
    { title: 'Latency protocol', columns: PROTOCOL_COLUMNS, rows: c.device ? [protocolRow(c.device, { kind: 'table' }, c.runs[0]?.journal.records ?? [])] : [] },
  ]));

  return {
    id, path: c.dir, kind: 'compare', title, summary, sections, archs: refs.list,
    trials: trialsTable(c.runs.map((r) => ({ labels: { strategy: r.strategy, seed: r.seed }, records: r.journal.records }))),
  };
}
