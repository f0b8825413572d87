import { constrainedDominates, type Point } from './dominance.ts';

/** One member of a {@link ParetoArchive}. */
export interface ArchiveEntry<T> {
  readonly values: Point;
  /** Total constraint violation, 0 = feasible. */
  readonly violation: number;
  readonly payload: T;
}

/**
 * The non-dominated set of everything added, with payloads, under Deb et al. 2002 constrained
 * domination (minimisation): while any feasible point has been added, the archive holds the feasible
 * Pareto front; before that, the points of least violation. Points with equal values and equal
 * violation are all kept (two architectures can tie). Insertion is O(archive size).
 */
export class ParetoArchive<T> {
  private members: ArchiveEntry<T>[] = [];

  /** Number of members. */
  get size(): number {
    return this.members.length;
  }

  /**
   * Offer a point. Returns true when it joins the archive (removing the members it dominates), false
   * when a member dominates it.
   */
  add(values: Point, payload: T, violation = 0): boolean {
    if (values.some((v) => Number.isNaN(v))) throw new Error('ParetoArchive.add: NaN objective');
    for (const e of this.members) if (constrainedDominates(e.values, e.violation, values, violation)) return false;
    this.members = this.members.filter((e) => !constrainedDominates(values, violation, e.values, e.violation));
    this.members.push({ values: values.slice(), violation, payload });
    return true;
  }

  /** Whether some member dominates `values` (it would be rejected). */
  isDominated(values: Point, violation = 0): boolean {
    return this.members.some((e) => constrainedDominates(e.values, e.violation, values, violation));
  }

  /** Members in insertion order. */
  entries(): readonly ArchiveEntry<T>[] {
    return this.members;
  }

  /** Objective vectors of the members. */
  points(): Point[] {
    return this.members.map((e) => e.values);
  }

  /** Remove every member. */
  clear(): void {
    this.members = [];
  }
}
