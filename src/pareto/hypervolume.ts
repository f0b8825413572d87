import type { Point } from './dominance.ts';

/**
 * Exact hypervolume (minimisation): the Lebesgue measure of the region dominated by `points` and
 * bounded by the reference point `ref` (Zitzler & Thiele 1998, "S-metric").
 *
 * Points that do not strictly dominate `ref` (some objective ≥ its reference value) add nothing and
 * are ignored; an empty set has hypervolume 0. Dominated and duplicate points are removed first.
 * Two objectives use a sort-and-sweep (O(n log n)); three use a sweep over the third objective that
 * keeps a sorted 2-D staircase (O(n²) worst case, fine for a few thousand points); more use WFG
 * (While, Bradstreet & Barone 2012, IEEE TEC 16(1), "exclusive hypervolume" recursion) with its
 * dimension reduction, down to the 3-D sweep.
 *
 * @param points objective vectors to minimise, all of length `ref.length`
 * @param ref reference point, worse than every point that should count
 */
export function hypervolume(points: readonly Point[], ref: Point): number {
  const d = ref.length;
  if (d === 0) throw new Error('hypervolume: empty reference point');
  for (let j = 0; j < d; j++) if (Number.isNaN(ref[j])) throw new Error(`hypervolume: reference objective ${j} is NaN`);
  const kept: number[][] = [];
  points.forEach((p, i) => {
    if (p.length !== d) throw new Error(`hypervolume: point ${i} has ${p.length} objectives, reference has ${d}`);
    for (let j = 0; j < d; j++) {
      if (Number.isNaN(p[j])) throw new Error(`hypervolume: point ${i} objective ${j} is NaN`);
      if (!(p[j]! < ref[j]!)) return;
    }
    kept.push(p.slice());
  });
  if (kept.length === 0) return 0;
  if (d === 1) return ref[0]! - Math.min(...kept.map((p) => p[0]!));
  if (d === 2) return hypervolume2d(kept, ref);
  if (d === 3) return hypervolume3d(kept, ref);
  return hypervolumeWfg(kept, ref);
}

/**
 * 2-D hypervolume by sweep: sort by f1, walk the staircase keeping the best f2 so far.
 * Precondition: every point strictly dominates `ref` (the public {@link hypervolume} ensures it).
 */
export function hypervolume2d(points: readonly Point[], ref: Point): number {
  const sorted = points.slice().sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let volume = 0;
  let bestY = ref[1]!;
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i]!;
    if (p[1]! >= bestY) continue;
    // The strip from this point's f1 to the next improving point's f1 is covered down to this f2;
    // summing (ref1 − f1) · (bestY − f2) slabs over improving points is the same area.
    volume += (ref[0]! - p[0]!) * (bestY - p[1]!);
    bestY = p[1]!;
  }
  return volume;
}

/**
 * 3-D hypervolume by a sweep along f3: points sorted by f3 are inserted into a 2-D non-dominated
 * staircase (sorted by f1, so f2 decreasing); between consecutive f3 levels the covered slab is the
 * staircase's 2-D area times the f3 gap. Precondition as in {@link hypervolume2d}.
 */
export function hypervolume3d(points: readonly Point[], ref: Point): number {
  const sorted = points.slice().sort((a, b) => a[2]! - b[2]!);
  // Staircase: xs strictly increasing, ys strictly decreasing (mutually non-dominated in (f1, f2)).
  const xs: number[] = [];
  const ys: number[] = [];
  let area = 0;
  let volume = 0;
  const rx = ref[0]!;
  const ry = ref[1]!;
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i]!;
    const x = p[0]!;
    const y = p[1]!;
    const pos = upperBound(xs, x); // first entry with xs > x; entry pos − 1 (if any) has xs ≤ x
    const h0 = pos > 0 ? ys[pos - 1]! : ry; // old staircase height at x
    if (h0 > y) {
      // Entries from pos on with ys ≥ y are dominated by p; so is an entry with xs = x (it is pos − 1).
      let end = pos;
      while (end < xs.length && ys[end]! >= y) end++;
      const next = end < xs.length ? xs[end]! : rx;
      // Only [x, next) changes: the old cover there is h0 up to xs[pos], then each removed step.
      let oldArea = ((pos < end ? xs[pos]! : next) - x) * (ry - h0);
      for (let k = pos; k < end; k++) oldArea += ((k + 1 < end ? xs[k + 1]! : next) - xs[k]!) * (ry - ys[k]!);
      area += (next - x) * (ry - y) - oldArea;
      const start = pos > 0 && xs[pos - 1] === x ? pos - 1 : pos;
      xs.splice(start, end - start, x);
      ys.splice(start, end - start, y);
    }
    const nextZ = i + 1 < sorted.length ? sorted[i + 1]![2]! : ref[2]!;
    volume += area * (nextZ - p[2]!);
  }
  return volume;
}

function upperBound(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Hypervolume in any dimension by WFG (While, Bradstreet & Barone 2012, Eq. 3–5):
 * HV(S) = Σ_k [ inclhv(s_k) − HV(nds(limit(S_{>k}, s_k))) ], with limit taking the componentwise
 * worse of s_k and each later point. Points are sorted worst first in the last objective, so every
 * point limited by s_k has s_k's last objective: the limit set's hypervolume is
 * (ref_d − s_k,d) · HV_{d−1} of its first d − 1 objectives (the dimension reduction of While et al.
 * 2012, §IV.B), computed by WFG again down to 4 objectives, then by the 3-D sweep (or, with
 * `independent`, by WFG down to the 2-D sweep, so tests can cross-check it against
 * {@link hypervolume3d}). Precondition as in {@link hypervolume2d}.
 */
export function hypervolumeWfg(points: readonly Point[], ref: Point, opts: { independent?: boolean } = {}): number {
  const pts = nonDominated(points.map((p) => p.slice()));
  return wfg(pts, ref.slice(), opts.independent ?? false);
}

/** HV of mutually non-dominated points (any order) in `ref.length` objectives. */
function wfg(pts: number[][], ref: number[], independent: boolean): number {
  const d = ref.length;
  if (pts.length === 0) return 0;
  if (d === 2) return hypervolume2d(pts, ref);
  if (d === 3 && !independent) return hypervolume3d(pts, ref);
  if (pts.length === 1) {
    let v = 1;
    for (let j = 0; j < d; j++) v *= ref[j]! - pts[0]![j]!;
    return v;
  }
  const last = d - 1;
  pts.sort((a, b) => b[last]! - a[last]!);
  const subRef = ref.slice(0, last);
  let volume = 0;
  for (let k = 0; k < pts.length; k++) {
    const p = pts[k]!;
    let incl = 1;
    for (let j = 0; j < d; j++) incl *= ref[j]! - p[j]!;
    // Later points are no worse in the last objective, so limiting there gives p's own value.
    const limited: number[][] = [];
    for (let i = k + 1; i < pts.length; i++) {
      const q = pts[i]!;
      const w = new Array<number>(last);
      for (let j = 0; j < last; j++) w[j] = Math.max(p[j]!, q[j]!);
      limited.push(w);
    }
    volume += incl - (ref[last]! - p[last]!) * wfg(nonDominated(limited), subRef, independent);
  }
  return volume;
}

/** The non-dominated, duplicate-free subset (O(n²), for WFG's small limit sets). */
function nonDominated(pts: number[][]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i]!;
    let keep = true;
    for (let k = 0; k < pts.length && keep; k++) {
      if (k === i) continue;
      const q = pts[k]!;
      let le = true;
      let lt = false;
      for (let j = 0; j < p.length; j++) {
        if (q[j]! > p[j]!) { le = false; break; }
        if (q[j]! < p[j]!) lt = true;
      }
      // q dominates p, or q equals p and comes first (keep one copy of duplicates)
      if (le && (lt || k < i)) keep = false;
    }
    if (keep) out.push(p);
  }
  return out;
}
