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
 * the 2-D case O(N log N); for three, each front keeps a 2-D staircase of its (f2, f3) projections so the
 * check is one binary search (O(N log² N) plus array insertions). Equal points never dominate each
 * other and share a front.
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
  const stairs: Staircase[] = [];
  for (let t = 0; t < order.length; t++) {
    const p = order[t]!;
    let lo = 0;
    let hi = fronts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const dominated = m === 3 ? stairs[mid]!.dominates(flat, p) : frontDominates(flat, m, fronts[mid]!, p);
      if (dominated) lo = mid + 1;
      else hi = mid;
    }
    if (lo === fronts.length) {
      fronts.push([p]);
      if (m === 3) stairs.push(new Staircase());
    } else {
      fronts[lo]!.push(p);
    }
    if (m === 3) stairs[lo]!.insert(flat, p);
  }
  return fronts;
}

/**
 * For three objectives: the 2-D minimal set of a front's (f2, f3) projections, sorted by f2 with f3
 * strictly decreasing, each with the smallest f1 seen for that projection. Since every member precedes
 * p lexicographically (f1 ≤ p's), "some member dominates p" is a 2-D dominance query, answered by one
 * binary search: the last entry with f2 ≤ p2 has the least f3 among them. This keeps ENS-BS
 * O(N log² N) plus the cost of array insertions even when all points share one front.
 */
class Staircase {
  private f1: number[] = [];
  private f2: number[] = [];
  private f3: number[] = [];

  /** Last index with f2 ≤ y, or −1. */
  private find(y: number): number {
    let lo = 0;
    let hi = this.f2.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.f2[mid]! <= y) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  dominates(flat: Float64Array, p: number): boolean {
    const o = p * 3;
    const y = flat[o + 1]!;
    const z = flat[o + 2]!;
    const k = this.find(y);
    if (k < 0 || this.f3[k]! > z) return false;
    // An entry with a different projection dominates strictly; an equal projection needs a smaller f1.
    return this.f2[k]! < y || this.f3[k]! < z || this.f1[k]! < flat[o]!;
  }

  insert(flat: Float64Array, p: number): void {
    const o = p * 3;
    const x = flat[o]!;
    const y = flat[o + 1]!;
    const z = flat[o + 2]!;
    const k = this.find(y);
    if (k >= 0 && this.f3[k]! <= z) return; // weakly dominated in 2-D (equal keeps the earlier, smaller f1)
    // Remove entries with f2 ≥ y and f3 ≥ z (an entry with f2 = y is at k, the rest follow k).
    let start = k + 1;
    if (k >= 0 && this.f2[k] === y) start = k;
    let end = k + 1;
    while (end < this.f2.length && this.f3[end]! >= z) end++;
    this.f1.splice(start, end - start, x);
    this.f2.splice(start, end - start, y);
    this.f3.splice(start, end - start, z);
  }
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
