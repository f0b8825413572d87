import type { nonDominatedSort } from './non-dominated-sort.ts';
import { constrainedDominates } from './dominance.ts';

/**
 * Deb et al. 2002 "fast-non-dominated-sort" (§III-A), O(MN²) with constrained domination: the plain
 * reference that {@link nonDominatedSort} is tested and benchmarked against. Use `nonDominatedSort`.
 */
export function naiveNonDominatedSort(points: readonly (readonly number[])[], violations?: readonly number[]): number[][] {
  const n = points.length;
  const v = (i: number) => (violations ? violations[i]! : 0);
  const dominatedBy = new Array<number>(n).fill(0);
  const dominates: number[][] = points.map(() => []);
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      if (constrainedDominates(points[p]!, v(p), points[q]!, v(q))) dominates[p]!.push(q);
      else if (constrainedDominates(points[q]!, v(q), points[p]!, v(p))) dominatedBy[p]!++;
    }
  }
  const fronts: number[][] = [];
  let current = [...Array(n).keys()].filter((i) => dominatedBy[i] === 0);
  while (current.length > 0) {
    fronts.push(current);
    const next: number[] = [];
    for (const p of current) for (const q of dominates[p]!) if (--dominatedBy[q]! === 0) next.push(q);
    current = next;
  }
  return fronts;
}
