import type { Point } from '../../pareto/dominance.ts';

/** Settings of {@link pruneByNearestNeighbours}. */
export interface NearestNeighbourPruningSettings {
  /** How many nearest neighbours enter the vicinity distance. @defaultValue the number of objectives M */
  readonly neighbours?: number;
  /**
   * Never remove the member with the smallest value of each objective (the first in front order on a
   * tie), so the front keeps its extent like Deb's boundary points (crowding ∞). @defaultValue true
   */
  readonly keepExtremes?: boolean;
}

/**
 * Iterative pruning by nearest-neighbour crowding (Kukkonen & Deb 2006, "A fast and effective method
 * for pruning of non-dominated solutions in many-objective problems", PPSN IX, LNCS 4193, §3): the
 * objectives are normalised by the front's range, f̃_j = (f_j − min_j) / (max_j − min_j) (a constant
 * objective adds nothing), and each member i gets the vicinity distance
 *   V(i) = ∏_{l=1..k} ‖f̃(i) − f̃(NN_l(i))‖₂,
 * the product of Euclidean distances to its k nearest remaining neighbours, k = M by default (as in
 * the paper). The member with the smallest V is removed, V is recomputed only for the members that had
 * it among their k nearest neighbours, and this repeats until `keep` are left. Unlike the crowding
 * distance of Deb et al. 2002 (a sum of per-objective gaps, which with M ≥ 3 objectives ignores how
 * close two points are in the other objectives), V measures real closeness on the front, and the
 * removal order lets a point's density change as its neighbours go. Objective-space duplicates have
 * V = 0 and go first (as Fortin & Parizeau 2013 argue for unique fitnesses). Ties go to the larger
 * position in `front`, so the result is deterministic. With `keepExtremes` (our addition, mirroring
 * the ∞ crowding of boundary points in Deb et al. 2002, §III-B) each objective's minimiser is kept
 * and reported with V = ∞.
 *
 * Cost: O(n²) distance evaluations up front for a front of n points (each member keeps a short list
 * of its nearest members, rebuilt when it runs out), then O(n · k) per removal.
 *
 * @param points all objective vectors
 * @param front indices of the front to prune
 * @param keep how many to keep (the whole front when keep ≥ front.length: then this only scores it)
 * @returns the kept indices (in front order) and their final vicinity distances (aligned)
 */
export function pruneByNearestNeighbours(points: readonly Point[], front: readonly number[], keep: number, settings: NearestNeighbourPruningSettings = {}): { kept: number[]; crowding: number[] } {
  const n = front.length;
  if (n === 0) return { kept: [], crowding: [] };
  const m = points[front[0]!]!.length;
  const kNn = Math.max(1, settings.neighbours ?? m);
  const keepExtremes = settings.keepExtremes ?? true;
  // normalised coordinates
  const x = new Float64Array(n * m);
  const protectedMember = new Uint8Array(n);
  for (let j = 0; j < m; j++) {
    let lo = Infinity;
    let hi = -Infinity;
    let argLo = 0;
    for (let i = 0; i < n; i++) {
      const v = points[front[i]!]![j]!;
      if (v < lo) {
        lo = v;
        argLo = i;
      }
      if (v > hi) hi = v;
    }
    const range = hi - lo;
    const scale = range > 0 && Number.isFinite(range) ? 1 / range : 0;
    for (let i = 0; i < n; i++) x[i * m + j] = (points[front[i]!]![j]! - lo) * scale;
    if (keepExtremes) protectedMember[argLo] = 1;
  }
  // Each member keeps a short list of its nearest members (squared distance, then position), of
  // length L; when fewer than k of them remain, the list is rebuilt from the remaining members. This
  // replaces a full sorted n×n neighbour table (O(n² log n)) by a sweep per member.
  const L = Math.min(n - 1, Math.max(2 * kNn + 2, 8));
  const nl = new NeighbourLists(x, n, m, L);
  const { listIdx, listD, listLen, removed } = nl;
  const rebuild = (a: number): void => nl.rebuild(a);
  const vicinity = new Float64Array(n);
  /** Position in a's list of its k-th nearest remaining neighbour. */
  const reach = new Int32Array(n);
  /** watchers[b]: members that had b among their k nearest when last scored (may hold stale entries). */
  const watchers: number[][] = Array.from({ length: n }, () => []);
  // Binary min-heap of (vicinity, member) with lazy deletion: an entry is stale once its member was
  // removed or rescored (version changed). Order: smaller V first, then the larger position.
  const version = new Int32Array(n);
  const heapV: number[] = [];
  const heapA: number[] = [];
  const heapS: number[] = [];
  const before = (i: number, j: number): boolean => heapV[i]! < heapV[j]! || (heapV[i] === heapV[j] && heapA[i]! > heapA[j]!);
  const swap = (i: number, j: number): void => {
    [heapV[i], heapV[j]] = [heapV[j]!, heapV[i]!];
    [heapA[i], heapA[j]] = [heapA[j]!, heapA[i]!];
    [heapS[i], heapS[j]] = [heapS[j]!, heapS[i]!];
  };
  const push = (a: number): void => {
    heapV.push(vicinity[a]!);
    heapA.push(a);
    heapS.push(version[a]!);
    for (let i = heapV.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(i, parent)) break;
      swap(i, parent);
      i = parent;
    }
  };
  const popTop = (): void => {
    const last = heapV.length - 1;
    swap(0, last);
    heapV.pop();
    heapA.pop();
    heapS.pop();
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < heapV.length && before(l, best)) best = l;
      if (r < heapV.length && before(r, best)) best = r;
      if (best === i) break;
      swap(i, best);
      i = best;
    }
  };
  const compute = (a: number): void => {
    const base = a * L;
    let v = 1;
    let found = 0;
    let last = -1;
    for (let r = 0; r < listLen[a]! && found < kNn; r++) {
      if (removed[listIdx[base + r]!]) continue;
      v *= Math.sqrt(listD[base + r]!);
      found++;
      last = r;
    }
    if (found < kNn && listLen[a] === L && alive - 1 > L) {
      // the short list ran out while more members remain: rebuild it and score again
      rebuild(a);
      compute(a);
      return;
    }
    reach[a] = last;
    vicinity[a] = found === 0 ? Infinity : v;
    version[a]!++;
    for (let r = 0; r <= last; r++) {
      const b = listIdx[base + r]!;
      if (!removed[b]) watchers[b]!.push(a);
    }
    if (!protectedMember[a]) push(a);
  };
  let alive = n;
  for (let a = 0; a < n; a++) {
    rebuild(a);
    compute(a);
  }
  const touched = new Int32Array(n).fill(-1);
  while (alive > keep) {
    while (heapV.length > 0 && (removed[heapA[0]!] || heapS[0] !== version[heapA[0]!])) popTop();
    if (heapV.length === 0) break; // only protected members left
    const worst = heapA[0]!;
    popTop();
    removed[worst] = 1;
    alive--;
    // rescore the members that had `worst` among their k nearest remaining neighbours
    for (const a of watchers[worst]!) {
      if (removed[a] || touched[a] === worst) continue;
      const base = a * L;
      for (let r = 0; r <= reach[a]!; r++) {
        if (listIdx[base + r] === worst) {
          touched[a] = worst;
          compute(a);
          break;
        }
      }
    }
    watchers[worst] = [];
  }
  const kept: number[] = [];
  const crowding: number[] = [];
  for (let a = 0; a < n; a++) {
    if (removed[a]) continue;
    kept.push(front[a]!);
    crowding.push(protectedMember[a] ? Infinity : vicinity[a]!);
  }
  return { kept, crowding };
}

/**
 * Short nearest-neighbour lists of the members of a front (a class, not closures, so that the JIT's
 * type feedback survives from one call of {@link pruneByNearestNeighbours} to the next).
 */
class NeighbourLists {
  readonly listIdx: Int32Array;
  readonly listD: Float64Array;
  readonly listLen: Int32Array;
  readonly removed: Uint8Array;
  /** Members sorted by their first normalised objective; `place` is the inverse. */
  private readonly sorted: Int32Array;
  private readonly place: Int32Array;
  /** Coordinates in sorted order, so the sweep reads memory in sequence. */
  private readonly xs: Float64Array;

  constructor(x: Float64Array, private readonly n: number, private readonly m: number, private readonly L: number) {
    this.listIdx = new Int32Array(n * L);
    this.listD = new Float64Array(n * L);
    this.listLen = new Int32Array(n);
    this.removed = new Uint8Array(n);
    this.sorted = Int32Array.from({ length: n }, (_, i) => i).sort((p, q) => x[p * m]! - x[q * m]! || p - q);
    this.place = new Int32Array(n);
    for (let r = 0; r < n; r++) this.place[this.sorted[r]!] = r;
    this.xs = new Float64Array(n * m);
    for (let r = 0; r < n; r++) for (let j = 0; j < m; j++) this.xs[r * m + j] = x[this.sorted[r]! * m + j]!;
  }

  /** Insert (d, b) into the sorted list at `base` of length `len`; returns the new length. */
  private insert(base: number, len: number, d: number, b: number): number {
    const { listD, listIdx, L } = this;
    if (len === L && !(d < listD[base + L - 1]! || (d === listD[base + L - 1]! && b < listIdx[base + L - 1]!))) return len;
    let r = len < L ? len++ : L - 1;
    while (r > 0 && (listD[base + r - 1]! > d || (listD[base + r - 1]! === d && listIdx[base + r - 1]! > b))) {
      listD[base + r] = listD[base + r - 1]!;
      listIdx[base + r] = listIdx[base + r - 1]!;
      r--;
    }
    listD[base + r] = d;
    listIdx[base + r] = b;
    return len;
  }

  /**
   * Rebuild member a's list from the remaining members: walk outwards from its place in the sorted
   * order and stop once the gap in the first objective alone exceeds the L-th distance found.
   */
  rebuild(a: number): void {
    const { xs, sorted, removed, n, m, L } = this;
    const base = a * L;
    const pa = this.place[a]!;
    const x0 = xs[pa * m]!;
    let len = 0;
    let worstD = Infinity; // L-th smallest squared distance so far (∞ until the list is full)
    let lo = pa - 1;
    let hi = pa + 1;
    while (lo >= 0 || hi < n) {
      const gLo = lo >= 0 ? x0 - xs[lo * m]! : Infinity;
      const gHi = hi < n ? xs[hi * m]! - x0 : Infinity;
      const fromLo = gLo <= gHi;
      const g = fromLo ? gLo : gHi;
      if (g * g > worstD) break; // nothing nearer on either side
      const r = fromLo ? lo-- : hi++;
      const b = sorted[r]!;
      if (removed[b]) continue;
      // squared distance with early exit once it exceeds the current L-th
      let d = g * g;
      for (let j = 1; j < m && d <= worstD; j++) {
        const t = xs[pa * m + j]! - xs[r * m + j]!;
        d += t * t;
      }
      if (d > worstD) continue;
      len = this.insert(base, len, d, b);
      if (len === L) worstD = this.listD[base + L - 1]!;
    }
    this.listLen[a] = len;
  }
}
