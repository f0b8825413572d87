import { baseOption, valueAxis } from './chart-base.ts';
import { INFEASIBLE, PALETTE } from './palette.ts';
import type { ChartSpec } from './report-model.ts';
import { archItself, type ArchRef } from './arch-refs.ts';
import type { JournalRecord } from './read-journal.ts';

/** Bar colour of a successful evaluation in the timeline. */
const OK = PALETTE[2];

/** Records that say which worker ran them and when. */
export function timedRecords(records: readonly JournalRecord[]): JournalRecord[] {
  return records.filter((r) => typeof r.worker === 'string' && Number.isFinite(Date.parse(r.startedAt ?? '')) && Number.isFinite(Date.parse(r.finishedAt ?? '')));
}

/**
 * What each worker did: one bar per evaluation from `startedAt` to `finishedAt`, a row per worker,
 * failed evaluations in red. The page draws the bars (a custom series, `hwnasRender: 'interval'`).
 */
export function timelineChart(id: string, title: string, records: readonly (JournalRecord & { source?: string })[], ref: ArchRef = archItself): ChartSpec {
  const timed = timedRecords(records);
  const workers = [...new Set(timed.map((r) => r.worker!))].sort();
  const t0 = Math.min(...timed.map((r) => Date.parse(r.startedAt!)));
  const item = (r: JournalRecord & { source?: string }) => [workers.indexOf(r.worker!), (Date.parse(r.startedAt!) - t0) / 1000, (Date.parse(r.finishedAt!) - t0) / 1000, ref(r.arch), r.n, r.source ?? ''];
  const dims = ['worker', 'start (s)', 'end (s)', { name: 'arch', type: 'ordinal' }, 'n', { name: 'run', type: 'ordinal' }];
  const mk = (name: string, color: string, rs: typeof timed) => ({ name: `${name} (${rs.length})`, type: 'custom', hwnasRender: 'interval', dimensions: dims, encode: { x: [1, 2], y: 0, tooltip: [3, 1, 2, 4, 5] }, itemStyle: { color }, data: rs.map(item) });
  const ok = timed.filter((r) => r.outcome.status === 'ok');
  const failed = timed.filter((r) => r.outcome.status !== 'ok');
  const spanS = timed.length ? (Math.max(...timed.map((r) => Date.parse(r.finishedAt!))) - t0) / 1000 : 0;
  return {
    id, title, kind: 'timeline', points: timed.length, markColors: [OK, INFEASIBLE], height: Math.max(220, 110 + 26 * workers.length),
    notes: [`${timed.length} evaluations on ${workers.length} worker(s) over ${spanS.toFixed(1)} s, from ${new Date(t0).toISOString()}.`],
    option: {
      ...baseOption(title, 'seconds since the first evaluation started', { interactive: true }),
      xAxis: valueAxis('seconds since start', { scale: false }),
      yAxis: { type: 'category', data: workers, name: 'worker', axisLabel: { fontSize: 10 } },
      series: [mk('ok', OK, ok), ...(failed.length > 0 ? [mk('failed', INFEASIBLE, failed)] : [])],
    },
  };
}
