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
 * Cost: O(k² log k) for a front of k points to sort every member's neighbours once, then
 * O(removed · k · (k_nn + removed)) for the removals.
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
  const dist = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      let s = 0;
      for (let j = 0; j < m; j++) {
        const d = x[a * m + j]! - x[b * m + j]!;
        s += d * d;
      }
      const d = Math.sqrt(s);
      dist[a * n + b] = d;
      dist[b * n + a] = d;
    }
  }
  // every member's other members by increasing distance (ties by position), and the inverse map
  const nbr = new Int32Array(n * (n - 1));
  const posOf = new Int32Array(n * n);
  const order: number[] = [];
  for (let a = 0; a < n; a++) {
    order.length = 0;
    for (let b = 0; b < n; b++) if (b !== a) order.push(b);
    order.sort((p, q) => dist[a * n + p]! - dist[a * n + q]! || p - q);
    for (let r = 0; r < n - 1; r++) {
      nbr[a * (n - 1) + r] = order[r]!;
      posOf[a * n + order[r]!] = r;
    }
  }
  const removed = new Uint8Array(n);
  const vicinity = new Float64Array(n);
  /** Position in a's neighbour list of its k-th nearest remaining neighbour. */
  const reach = new Int32Array(n);
  const compute = (a: number): void => {
    let v = 1;
    let found = 0;
    let r = 0;
    let last = -1;
    for (; r < n - 1 && found < kNn; r++) {
      const b = nbr[a * (n - 1) + r]!;
      if (removed[b]) continue;
      v *= dist[a * n + b]!;
      found++;
      last = r;
    }
    reach[a] = last;
    vicinity[a] = found === 0 ? Infinity : v;
  };
  for (let a = 0; a < n; a++) compute(a);
  let alive = n;
  while (alive > keep) {
    let worst = -1;
    for (let a = 0; a < n; a++) {
      if (removed[a] || protectedMember[a]) continue;
      if (worst < 0 || vicinity[a]! <= vicinity[worst]!) worst = a;
    }
    if (worst < 0) break; // only protected members left
    removed[worst] = 1;
    alive--;
    for (let a = 0; a < n; a++) {
      if (!removed[a] && posOf[a * n + worst]! <= reach[a]!) compute(a);
    }
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
