import type { JournalRecord } from './read-journal.ts';
import type { TrialsTable } from './report-model.ts';

/** Records of one journal with the values that say where they came from (device, strategy, seed…). */
export interface TrialSource {
  labels: Readonly<Record<string, string | number>>;
  records: readonly JournalRecord[];
  /** Pareto rank and feasibility by arch, where a leaderboard ranks this journal. */
  ranks?: ReadonlyMap<string, { paretoRank: number; feasible: boolean }>;
}

const LEADING_METRICS = ['accuracy', 'latencyMs', 'paramCount', 'flops'];

/**
 * The trials table: one row per journal record — where it came from, evaluation number, arch,
 * status, Pareto rank and feasibility, every metric (the usual four first, then any other, so new
 * metrics such as `latencyMs@<device>` become columns), the measurement facts, evaluation time,
 * worker and timestamps when present, and the error of a failed evaluation.
 */
export function trialsTable(sources: readonly TrialSource[]): TrialsTable {
  const labelKeys: string[] = [];
  const metricKeys = new Set<string>();
  const infoKeys = new Set<string>();
  let ranked = false;
  let timed = false;
  for (const s of sources) {
    for (const k of Object.keys(s.labels)) if (!labelKeys.includes(k)) labelKeys.push(k);
    if (s.ranks) ranked = true;
    for (const r of s.records) {
      if (r.outcome.status === 'ok') {
        for (const k of Object.keys(r.outcome.metrics)) metricKeys.add(k);
        for (const k of Object.keys(r.outcome.info ?? {})) infoKeys.add(k);
      }
      if (r.worker !== undefined || r.startedAt !== undefined) timed = true;
    }
  }
  const metrics = [...LEADING_METRICS.filter((m) => metricKeys.has(m)), ...[...metricKeys].filter((m) => !LEADING_METRICS.includes(m)).sort()];
  const infos = [...infoKeys].filter((k) => !metricKeys.has(k)).sort();
  const columns = [
    ...labelKeys.map((key) => ({ key, numeric: sources.every((s) => s.labels[key] === undefined || typeof s.labels[key] === 'number') })),
    { key: 'n', numeric: true }, { key: 'arch', numeric: false }, { key: 'status', numeric: false },
    ...(ranked ? [{ key: 'paretoRank', numeric: true }, { key: 'feasible', numeric: false }] : []),
    ...metrics.map((key) => ({ key, numeric: true })),
    ...infos.map((key) => ({ key, numeric: false })),
    { key: 'evalMs', numeric: true },
    ...(timed ? [{ key: 'worker', numeric: false }, { key: 'startedAt', numeric: false }, { key: 'finishedAt', numeric: false }] : []),
    { key: 'error', numeric: false },
  ];
  const rows: (string | number | null)[][] = [];
  for (const s of sources) {
    for (const r of s.records) {
      const o = r.outcome;
      const rank = s.ranks?.get(r.arch);
      const m = o.status === 'ok' ? o.metrics : {};
      const info = o.status === 'ok' ? o.info ?? {} : {};
      rows.push([
        ...labelKeys.map((k) => s.labels[k] ?? null),
        r.n, r.arch, o.status,
        ...(ranked ? [rank?.paretoRank ?? null, rank ? String(rank.feasible) : null] : []),
        ...metrics.map((k) => (m[k] === undefined ? null : Number.isFinite(m[k]) ? m[k]! : String(m[k]))),
        ...infos.map((k) => (info[k] === undefined ? null : String(info[k]))),
        typeof r.evalMs === 'number' ? r.evalMs : null,
        ...(timed ? [r.worker ?? null, r.startedAt ?? null, r.finishedAt ?? null] : []),
        o.status === 'failed' ? o.error : null,
      ]);
    }
  }
  return { columns, rows, archColumn: columns.findIndex((c) => c.key === 'arch') };
}
