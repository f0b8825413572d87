import type { Point } from './dominance.ts';

/**
 * Non-dominated sorting (minimisation) into fronts of indices, with Deb et al. 2002 constrained
 * domination when `violations` is given (§IV-A): every feasible point (violation ≤ 0) ranks before every
 * infeasible one; infeasible points rank by total violation alone, so each distinct violation value is
 * its own front, smallest first.
 *
 * Feasible points are sorted with ENS-BS, the efficient non-dominated sort with binary search of
 * Zhang, Tian, Cheng & Jin 2015 (IEEE TEC 19(2), Alg. 1 + §III-B): points are visited in lexicographic
 * order, so a point can only be dominated by points visited before it; it is placed into the first
 * front none of whose members dominates it, found by binary search because "dominated by some member
 * of front k" is monotone in k. Members of a front are checked newest first. For two objectives the
 * check needs only the newest member (its second objective is the smallest of its front), which makes
 * the 2-D case O(N log N). Equal points never dominate each other and share a front.
 *
 * @param points objective vectors, all of the same length, no NaN
 * @param violations total constraint violation per point (0 = feasible); omitted = all feasible
 * @returns fronts of indices into `points`, best front first; within a front, lexicographic order
 */
export function nonDominatedSort(points: readonly Point[], violations?: readonly number[]): number[][] {
  const n = points.length;
  if (n === 0) return [];
  const m = points[0]!.length;
  if (violations !== undefined && violations.length !== n) {
    throw new Error(`nonDominatedSort: ${violations.length} violations for ${n} points`);
  }
  const flat = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    if (p.length !== m) throw new Error(`nonDominatedSort: point ${i} has ${p.length} objectives, expected ${m}`);
    for (let j = 0; j < m; j++) {
      const v = p[j]!;
      if (Number.isNaN(v)) throw new Error(`nonDominatedSort: point ${i} objective ${j} is NaN`);
      flat[i * m + j] = v;
    }
  }
  const feasible: number[] = [];
  const infeasible: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = violations === undefined ? 0 : violations[i]!;
    if (Number.isNaN(v)) throw new Error(`nonDominatedSort: violation ${i} is NaN`);
    (v > 0 ? infeasible : feasible).push(i);
  }
  const fronts = feasible.length > 0 ? ensBs(flat, m, feasible) : [];
  if (infeasible.length > 0) {
    const vs = violations!;
    infeasible.sort((a, b) => vs[a]! - vs[b]! || a - b);
    let current: number[] = [];
    for (let k = 0; k < infeasible.length; k++) {
      const i = infeasible[k]!;
      if (current.length > 0 && vs[i]! !== vs[current[0]!]!) {
        fronts.push(current);
        current = [];
      }
      current.push(i);
    }
    fronts.push(current);
  }
  return fronts;
}

/** ENS-BS over the indices `idx` of the flattened `n × m` matrix. */
function ensBs(flat: Float64Array, m: number, idx: number[]): number[][] {
  const order = idx.slice().sort((a, b) => {
    const oa = a * m;
    const ob = b * m;
    for (let j = 0; j < m; j++) {
      const d = flat[oa + j]! - flat[ob + j]!;
      if (d !== 0) return d < 0 ? -1 : 1;
    }
    return a - b;
  });
  const fronts: number[][] = [];
  for (let t = 0; t < order.length; t++) {
    const p = order[t]!;
    let lo = 0;
    let hi = fronts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (frontDominates(flat, m, fronts[mid]!, p)) lo = mid + 1;
      else hi = mid;
    }
    if (lo === fronts.length) fronts.push([p]);
    else fronts[lo]!.push(p);
  }
  return fronts;
}

/** Whether some member of `front` (all lexicographically ≤ p) dominates point `p`. */
function frontDominates(flat: Float64Array, m: number, front: number[], p: number): boolean {
  const op = p * m;
  if (m === 2) {
    // Members are mutually non-dominated and in lexicographic order, so their second objective is
    // non-increasing: the newest member is the only candidate dominator.
    const oq = front[front.length - 1]! * 2;
    const q1 = flat[oq + 1]!;
    const p1 = flat[op + 1]!;
    return q1 <= p1 && (q1 < p1 || flat[oq]! < flat[op]!);
  }
  for (let k = front.length - 1; k >= 0; k--) {
    const oq = front[k]! * m;
    let worse = false;
    let strictly = false;
    for (let j = 0; j < m; j++) {
      const q = flat[oq + j]!;
      const v = flat[op + j]!;
      if (q > v) {
        worse = true;
        break;
      }
      if (q < v) strictly = true;
    }
    if (!worse && strictly) return true;
  }
  return false;
}

/** Rank (0 = first front) of every point, from {@link nonDominatedSort}'s fronts. */
export function frontRanks(fronts: readonly (readonly number[])[], n: number): Int32Array {
  const rank = new Int32Array(n).fill(-1);
  fronts.forEach((f, r) => {
    for (const i of f) rank[i] = r;
  });
  return rank;
}
