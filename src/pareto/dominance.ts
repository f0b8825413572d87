/**
 * Pareto dominance for **minimisation**, and the constrained domination of Deb et al. 2002
 * ("A fast and elitist multiobjective genetic algorithm: NSGA-II", IEEE TEC 6(2), §IV-A).
 */

/** Objective vector to minimise. */
export type Point = readonly number[];

/**
 * Whether `a` Pareto-dominates `b`: `a` is no worse in every objective and strictly better in at
 * least one (minimisation). Equal vectors do not dominate each other.
 */
export function dominates(a: Point, b: Point): boolean {
  let strictly = false;
  for (let j = 0; j < a.length; j++) {
    const x = a[j]!;
    const y = b[j]!;
    if (x > y) return false;
    if (x < y) strictly = true;
  }
  return strictly;
}

/**
 * Constrained domination (Deb et al. 2002, §IV-A, Definition 1): `a` constrained-dominates `b` when
 * (1) `a` is feasible and `b` is not, or (2) both are infeasible and `a` has the smaller total
 * violation, or (3) both are feasible and `a` Pareto-dominates `b`. A violation of 0 means feasible.
 */
export function constrainedDominates(a: Point, violationA: number, b: Point, violationB: number): boolean {
  const feasibleA = violationA <= 0;
  const feasibleB = violationB <= 0;
  if (feasibleA && feasibleB) return dominates(a, b);
  if (feasibleA) return true;
  if (feasibleB) return false;
  return violationA < violationB;
}

/**
 * Compare two points under constrained domination: `-1` when `a` dominates `b`, `1` when `b`
 * dominates `a`, `0` when neither does.
 */
export function compareDominance(a: Point, b: Point, violationA = 0, violationB = 0): -1 | 0 | 1 {
  if (constrainedDominates(a, violationA, b, violationB)) return -1;
  if (constrainedDominates(b, violationB, a, violationA)) return 1;
  return 0;
}
