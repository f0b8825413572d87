/**
 * A continuous multi-objective benchmark problem (minimisation) with a known Pareto front, for
 * checking search strategies against analytic answers.
 */
export interface MooProblem {
  readonly id: string;
  readonly summary: string;
  /** Lower bound of each decision variable. */
  readonly lower: readonly number[];
  /** Upper bound of each decision variable. */
  readonly upper: readonly number[];
  readonly objectiveCount: number;
  /** Objective vector of a decision vector. */
  evaluate(x: readonly number[]): number[];
  /** Reference point for hypervolume: 1.1 in every objective. */
  readonly hypervolumeReference: readonly number[];
  /** Exact hypervolume of the whole analytic Pareto front w.r.t. {@link hypervolumeReference}. */
  readonly frontHypervolume: number;
  /** A dense sample of the analytic Pareto front (the IGD+ reference set); computed once. */
  referenceFront(): readonly (readonly number[])[];
}

/** Cache a lazily computed value. */
export function once<T>(make: () => T): () => T {
  let v: T | undefined;
  return () => (v ??= make());
}
