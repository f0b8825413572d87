import type { Point } from './dominance.ts';

/**
 * Crowding distance of the points of one front (Deb et al. 2002, §III-B, "crowding-distance-
 * assignment"): for each objective m the front is sorted by f_m, the two boundary points get ∞, and
 * every interior point i adds (f_m(i+1) − f_m(i−1)) / (f_m^max − f_m^min). An objective on which the
 * whole front is constant (max = min) adds nothing. Fronts of one or two points are all ∞. Ties in an
 * objective are ordered by position in `indices`, so the result is deterministic.
 *
 * @param points all objective vectors
 * @param indices the front, as indices into `points`; omitted = every point
 * @returns distances aligned with `indices` (or with `points` when `indices` is omitted)
 */
export function crowdingDistance(points: readonly Point[], indices?: readonly number[]): Float64Array {
  const idx = indices ?? points.map((_, i) => i);
  const n = idx.length;
  const dist = new Float64Array(n);
  if (n === 0) return dist;
  if (n <= 2) return dist.fill(Infinity);
  const m = points[idx[0]!]!.length;
  const order = new Int32Array(n);
  const values = new Float64Array(n);
  for (let j = 0; j < m; j++) {
    for (let k = 0; k < n; k++) {
      order[k] = k;
      values[k] = points[idx[k]!]![j]!;
    }
    order.sort((a, b) => values[a]! - values[b]! || a - b);
    const lo = values[order[0]!]!;
    const hi = values[order[n - 1]!]!;
    dist[order[0]!] = Infinity;
    dist[order[n - 1]!] = Infinity;
    const range = hi - lo;
    if (!(range > 0) || !Number.isFinite(range)) continue;
    for (let k = 1; k < n - 1; k++) {
      const o = order[k]!;
      dist[o] = dist[o]! + (values[order[k + 1]!]! - values[order[k - 1]!]!) / range;
    }
  }
  return dist;
}
