import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { crowdingDistance } from '../pareto/crowding-distance.ts';
import { nonDominatedSort } from '../pareto/non-dominated-sort.ts';
import type { JournalEntry } from './journal.ts';
import { constraintViolation, objectiveValues, type Constraint, type Objective } from './metric-registry.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';

/** One leaderboard row: an evaluated architecture with its Pareto rank and crowding. */
export interface LeaderboardRow {
  rank: number;
  arch: string;
  paretoRank: number;
  crowding: number;
  feasible: boolean;
  /** Evaluation number within the run. */
  evaluation: number;
  metrics: Record<string, number>;
  info: Record<string, string | number>;
}

/** Columns every leaderboard starts with, in this order (a contract other tools read). */
export const LEADING_COLUMNS = ['rank', 'arch', 'paretoRank', 'crowding', 'accuracy', 'latencyMs', 'paramCount', 'flops'] as const;

/**
 * Rank evaluated architectures: constrained non-dominated sorting (Deb et al. 2002) on the objectives,
 * crowding distance within each front; rows sorted by Pareto rank, then crowding (larger first), then
 * objective values, then arch string, so the order is fully determined by the data.
 */
export function buildLeaderboard(records: readonly JournalEntry[], objectives: readonly Objective[], constraints: readonly Constraint[]): LeaderboardRow[] {
  const ok = records.filter((r): r is JournalEntry & { outcome: { status: 'ok' } } => r.outcome.status === 'ok');
  const usable = ok.filter((r) => objectives.every((o) => Number.isFinite(r.outcome.metrics[o.metric])));
  if (usable.length === 0) return [];
  const points = usable.map((r) => objectiveValues(objectives, r.outcome.metrics));
  const violations = usable.map((r) => constraintViolation(constraints, r.outcome.metrics));
  const fronts = nonDominatedSort(points, violations);
  const paretoRank = new Array<number>(usable.length).fill(0);
  const crowding = new Array<number>(usable.length).fill(0);
  fronts.forEach((front, f) => {
    const d = crowdingDistance(front.map((i) => points[i]!));
    front.forEach((i, k) => {
      paretoRank[i] = f + 1;
      crowding[i] = d[k]!;
    });
  });
  const order = usable.map((_, i) => i).sort((a, b) => {
    if (paretoRank[a] !== paretoRank[b]) return paretoRank[a]! - paretoRank[b]!;
    if (crowding[a] !== crowding[b]) return crowding[b]! - crowding[a]!;
    for (let k = 0; k < objectives.length; k++) {
      const d = points[a]![k]! - points[b]![k]!;
      if (d !== 0) return d;
    }
    return usable[a]!.arch < usable[b]!.arch ? -1 : usable[a]!.arch > usable[b]!.arch ? 1 : 0;
  });
  return order.map((i, k) => {
    const r = usable[i]!;
    return {
      rank: k + 1,
      arch: r.arch,
      paretoRank: paretoRank[i]!,
      crowding: crowding[i]!,
      feasible: violations[i] === 0,
      evaluation: r.n,
      metrics: r.outcome.metrics,
      info: r.outcome.info ?? {},
    };
  });
}

/** The non-dominated, feasible rows (Pareto rank 1), in leaderboard order. */
export function paretoFront(rows: readonly LeaderboardRow[]): LeaderboardRow[] {
  return rows.filter((r) => r.paretoRank === 1 && r.feasible);
}

/** Column list: the leading contract columns, then every other metric and info key, sorted. */
export function leaderboardColumns(rows: readonly LeaderboardRow[]): string[] {
  const lead = new Set<string>(LEADING_COLUMNS);
  const metricKeys = new Set<string>();
  const infoKeys = new Set<string>();
  for (const r of rows) {
    for (const k of Object.keys(r.metrics)) if (!lead.has(k)) metricKeys.add(k);
    for (const k of Object.keys(r.info)) infoKeys.add(k);
  }
  return [...LEADING_COLUMNS, ...[...metricKeys].sort(), 'feasible', 'evaluation', ...[...infoKeys].sort().filter((k) => !metricKeys.has(k))];
}

function cell(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? 'inf' : v < 0 ? '-inf' : 'nan';
  return String(v);
}

/** Leaderboard rows as CSV text (csv-stringify), columns from {@link leaderboardColumns}. */
export function leaderboardCsv(rows: readonly LeaderboardRow[], columns = leaderboardColumns(rows)): string {
  const data = rows.map((r) => {
    const flat: Record<string, unknown> = { ...r.info, ...r.metrics, rank: r.rank, arch: r.arch, paretoRank: r.paretoRank, crowding: r.crowding, feasible: r.feasible, evaluation: r.evaluation };
    return columns.map((c) => cell(flat[c]));
  });
  return stringify(data, { header: true, columns });
}

/** Write `leaderboard-<device>.csv` and `front-<device>.csv` atomically. */
export function writeLeaderboard(dir: string, deviceId: string, rows: readonly LeaderboardRow[]): { leaderboard: string; front: string } {
  const columns = leaderboardColumns(rows);
  const leaderboard = join(dir, `leaderboard-${deviceId}.csv`);
  const front = join(dir, `front-${deviceId}.csv`);
  writeFileAtomic(leaderboard, leaderboardCsv(rows, columns));
  writeFileAtomic(front, leaderboardCsv(paretoFront(rows), columns));
  return { leaderboard, front };
}
