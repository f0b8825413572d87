import { quartiles } from '../util/stats.ts';

/** Median and quartiles across runs at one x. */
export interface BandPoint {
  x: number;
  median: number;
  q1: number;
  q3: number;
  runs: number;
}

/**
 * Median and interquartile range (Hyndman & Fan type 7 quantiles) across runs at every x that all of
 * them reached with a finite value, x ascending.
 */
export function medianBand(runs: readonly (readonly (readonly [number, number])[])[]): BandPoint[] {
  const byX = new Map<number, number[]>();
  for (const run of runs) {
    for (const [x, y] of run) {
      if (!Number.isFinite(y)) continue;
      const list = byX.get(x) ?? [];
      list.push(y);
      byX.set(x, list);
    }
  }
  return [...byX.entries()]
    .filter(([, ys]) => ys.length === runs.length)
    .sort((a, b) => a[0] - b[0])
    .map(([x, ys]) => {
      const q = quartiles(ys);
      return { x, median: q.median, q1: q.q1, q3: q.q3, runs: ys.length };
    });
}
