import type { Objective } from '../record/metric-registry.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import type { LeaderboardRow } from '../record/leaderboard.ts';
import { renderPlot } from './svg-plot.ts';

/**
 * Plot of a search: with two or more objectives, every evaluated architecture in the plane of the
 * first two objectives with the Pareto front as a step line; with one, the objective against the
 * evaluation number with the running best.
 */
export function frontSvg(rows: readonly LeaderboardRow[], objectives: readonly Objective[], title: string): string {
  const [a, b] = objectives;
  if (!a) return renderPlot({ title, xLabel: '', yLabel: '', series: [] });
  if (!b) {
    const byEval = [...rows].sort((p, q) => p.evaluation - q.evaluation);
    let best = a.direction === 'max' ? -Infinity : Infinity;
    const running: [number, number][] = [];
    for (const r of byEval) {
      const v = r.metrics[a.metric]!;
      best = a.direction === 'max' ? Math.max(best, v) : Math.min(best, v);
      running.push([r.evaluation, best]);
    }
    return renderPlot({
      title, xLabel: 'evaluation', yLabel: a.metric,
      series: [
        { label: 'evaluated', color: '#9aa', points: byEval.map((r) => [r.evaluation, r.metrics[a.metric]!]) },
        { label: 'best so far', color: '#c0392b', style: 'line', points: running },
      ],
    });
  }
  // x = second objective (usually latency), y = first (usually accuracy): the familiar trade-off view.
  const pt = (r: LeaderboardRow): [number, number] => [r.metrics[b.metric]!, r.metrics[a.metric]!];
  const front = rows.filter((r) => r.paretoRank === 1 && r.feasible).map(pt).sort((p, q) => p[0] - q[0]);
  return renderPlot({
    title, xLabel: `${b.metric} (${b.direction})`, yLabel: `${a.metric} (${a.direction})`,
    series: [
      { label: 'evaluated', color: '#9aa', points: rows.filter((r) => !(r.paretoRank === 1 && r.feasible)).map(pt) },
      { label: `Pareto front (${front.length})`, color: '#c0392b', style: 'step', radius: 4, points: front },
    ],
  });
}

/** Write {@link frontSvg} to a file atomically. */
export function writeFrontSvg(file: string, rows: readonly LeaderboardRow[], objectives: readonly Objective[], title: string): void {
  writeFileAtomic(file, frontSvg(rows, objectives, title));
}
