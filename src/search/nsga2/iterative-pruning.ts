import type { Point } from '../../pareto/dominance.ts';

/**
 * Iterative crowding-distance pruning (Kukkonen & Deb 2006, "Improved pruning of non-dominated
 * solutions based on crowding distance for bi-objective optimization problems", CEC 2006): instead
 * of cutting a front by one-shot crowding distance (Deb et al. 2002), remove its most crowded member
 * one at a time and update the crowding distance of that member's neighbours before the next removal.
 * Each objective keeps its sorted order as a doubly linked list, so a removal touches at most 2M
 * neighbours; a binary heap with stale-entry skipping finds the most crowded member:
 * O((k + removed · M) log k) for a front of k points. Normalising ranges are those of the whole front
 * (its boundary points, distance ∞, are never removed while more than 2 are kept per objective).
 *
 * @param points all objective vectors
 * @param front indices of the front to prune
 * @param keep how many to keep
 * @returns the kept indices (in front order) and their final crowding distances
 */
export function pruneByCrowding(points: readonly Point[], front: readonly number[], keep: number): { kept: number[]; crowding: number[] } {
  const k = front.length;
  const m = k > 0 ? points[front[0]!]!.length : 0;
  const prev = new Int32Array(k * m);
  const next = new Int32Array(k * m);
  const value = (i: number, j: number) => points[front[i]!]![j]!;
  const range = new Float64Array(m);
  const dist = new Float64Array(k);
  for (let j = 0; j < m; j++) {
    const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => value(a, j) - value(b, j) || a - b);
    for (let r = 0; r < k; r++) {
      const i = order[r]!;
      prev[i * m + j] = r > 0 ? order[r - 1]! : -1;
      next[i * m + j] = r < k - 1 ? order[r + 1]! : -1;
    }
    range[j] = k > 0 ? value(order[k - 1]!, j) - value(order[0]!, j) : 0;
  }
  const removed = new Uint8Array(k);
  const compute = (i: number): number => {
    let d = 0;
    for (let j = 0; j < m; j++) {
      const p = prev[i * m + j]!;
      const q = next[i * m + j]!;
      if (p < 0 || q < 0) return Infinity;
      const r = range[j]!;
      if (r > 0 && Number.isFinite(r)) d += (value(q, j) - value(p, j)) / r;
    }
    return d;
  };
  for (let i = 0; i < k; i++) dist[i] = compute(i);
  // Min-heap of [distance, index]; ties go to the larger index so the earlier member survives.
  const heapD: number[] = [];
  const heapI: number[] = [];
  const less = (a: number, b: number) => heapD[a]! < heapD[b]! || (heapD[a]! === heapD[b]! && heapI[a]! > heapI[b]!);
  const swap = (a: number, b: number) => {
    [heapD[a], heapD[b]] = [heapD[b]!, heapD[a]!];
    [heapI[a], heapI[b]] = [heapI[b]!, heapI[a]!];
  };
  const push = (d: number, i: number) => {
    heapD.push(d);
    heapI.push(i);
    let c = heapD.length - 1;
    while (c > 0) {
      const p = (c - 1) >> 1;
      if (!less(c, p)) break;
      swap(c, p);
      c = p;
    }
  };
  const pop = (): number => {
    const top = heapI[0]!;
    const lastD = heapD.pop()!;
    const lastI = heapI.pop()!;
    if (heapD.length > 0) {
      heapD[0] = lastD;
      heapI[0] = lastI;
      let c = 0;
      for (;;) {
        const l = 2 * c + 1;
        const r = l + 1;
        let s = c;
        if (l < heapD.length && less(l, s)) s = l;
        if (r < heapD.length && less(r, s)) s = r;
        if (s === c) break;
        swap(c, s);
        c = s;
      }
    }
    return top;
  };
  for (let i = 0; i < k; i++) push(dist[i]!, i);
  let alive = k;
  while (alive > keep && heapD.length > 0) {
    const d = heapD[0]!;
    const i = pop();
    if (removed[i] || d !== dist[i]) continue; // stale entry
    removed[i] = 1;
    alive--;
    const touched: number[] = [];
    for (let j = 0; j < m; j++) {
      const p = prev[i * m + j]!;
      const q = next[i * m + j]!;
      if (p >= 0) next[p * m + j] = q;
      if (q >= 0) prev[q * m + j] = p;
      if (p >= 0) touched.push(p);
      if (q >= 0) touched.push(q);
    }
    for (const t of touched) {
      const nd = compute(t);
      if (nd !== dist[t]) {
        dist[t] = nd;
        push(nd, t);
      }
    }
  }
  const kept: number[] = [];
  const crowding: number[] = [];
  for (let i = 0; i < k; i++) {
    if (removed[i]) continue;
    kept.push(front[i]!);
    crowding.push(dist[i]!);
  }
  return { kept, crowding };
}
