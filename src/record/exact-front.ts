import { dominates, type Point } from '../pareto/dominance.ts';
import { hypervolume } from '../pareto/hypervolume.ts';
import { igdPlus } from '../pareto/igd-plus.ts';
import { nonDominatedSort } from '../pareto/non-dominated-sort.ts';
import { normalizePoints, type ObjectiveBounds } from '../pareto/normalize.ts';
import { InputError } from '../errors.ts';
import { constraintText, constraintViolation, objectiveValues, type Constraint, type Objective } from './metric-registry.ts';

/**
 * Exact ("truth") Pareto fronts of small spaces, and the fixed normalisation in which runs are scored
 * against them.
 *
 * **Normalisation (fixed per problem, never from the points a run happens to see).** Objectives are
 * first turned into minimisation values (maximised metrics negated), then mapped linearly so that the
 * exact front's ideal point ↦ 0 and its nadir point ↦ 1 in every objective — the usual practice
 * (e.g. EvoXBench, pymoo): a gap between strategies near the front is not compressed by ranges no
 * front point reaches (accuracy over 0–100 % made random search score 0.95+).
 *
 * **Reference point:** {@link REFERENCE_POINT_VALUE} (1.1) in every normalised objective. Hypervolumes
 * are measured in this normalised space; a point beyond the reference point adds nothing. The HV
 * ratio of a run is HV(run front) / HV(exact front); IGD+ is measured in the same space against the
 * exact front.
 *
 * **Constraints.** A constrained problem (`latencyMs<=5`) has the exact front of the architectures
 * that meet every constraint, and a run's infeasible evaluations add no point to its score: a
 * constrained search is scored against the constrained front, never the unconstrained one.
 */

/** Reference point coordinate in every normalised objective. */
export const REFERENCE_POINT_VALUE = 1.1;

/** One architecture of an exact front. */
export interface TruthPoint {
  arch: string;
  /** Every metric the enumeration computed (objectives, `testAccuracy`, ...). */
  metrics: Record<string, number>;
}

/** A problem (space × device × objectives) with its fixed normalisation. */
export interface Problem {
  readonly space: string;
  /** Device id (a `+`-joined list for several devices); undefined when no objective needs one. */
  readonly device: string | undefined;
  readonly objectives: readonly Objective[];
  /** Only architectures meeting all of these are on the front or count in a score. @defaultValue none */
  readonly constraints?: readonly Constraint[];
  /** Bounds of the minimisation values: `ideal` ↦ 0, `nadir` ↦ 1. */
  readonly bounds: ObjectiveBounds;
  /** Reference point in normalised space ({@link REFERENCE_POINT_VALUE} per objective). */
  readonly reference: readonly number[];
}

/** The exact non-dominated front of a problem. */
export interface TruthFront extends Problem {
  /** Architectures enumerated (the whole space). */
  readonly enumerated: number;
  /** Of those, the architectures meeting the constraints (all of them when there are none). */
  readonly feasible: number;
  /** Non-dominated architectures, best first in the first objective (ties kept). */
  readonly front: readonly TruthPoint[];
  /** Normalised minimisation vectors of {@link TruthFront.front}, same order. */
  readonly normalizedFront: readonly (readonly number[])[];
  /** Hypervolume of the front in the normalised space. */
  readonly hypervolume: number;
}

/**
 * Bounds of a front's minimisation vectors: its ideal (best value per objective) and nadir (worst
 * value per objective over the front). An objective constant over the front gets a unit range.
 */
export function frontBounds(front: readonly (readonly number[])[]): ObjectiveBounds {
  const m = front[0]?.length ?? 0;
  const ideal: number[] = [];
  const nadir: number[] = [];
  for (let j = 0; j < m; j++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of front) {
      if (p[j]! < lo) lo = p[j]!;
      if (p[j]! > hi) hi = p[j]!;
    }
    ideal.push(lo);
    nadir.push(hi > lo ? hi : lo + 1);
  }
  return { ideal, nadir };
}

/** What {@link exactFront} needs: every architecture of a space with its metrics. */
export interface EnumeratedSpace {
  readonly space: string;
  readonly device: string | undefined;
  readonly objectives: readonly Objective[];
  /** The front is that of the architectures meeting all of these. @defaultValue none */
  readonly constraints?: readonly Constraint[];
  readonly archs: readonly string[];
  readonly metrics: readonly Readonly<Record<string, number>>[];
}

/** Whether metrics meet every constraint of a problem (always, when it has none). */
export function meetsConstraints(problem: Pick<Problem, 'constraints'>, metrics: Readonly<Record<string, number>>): boolean {
  const cs = problem.constraints ?? [];
  return cs.length === 0 || constraintViolation(cs, metrics) === 0;
}

/**
 * The exact front of an enumeration (of its feasible architectures when it has constraints), its
 * normalisation ({@link frontBounds}) and hypervolume. No feasible architecture is an {@link InputError}.
 */
export function exactFront(e: EnumeratedSpace): TruthFront {
  const constraints = e.constraints ?? [];
  const feasible = e.metrics.map((_, i) => i).filter((i) => meetsConstraints(e, e.metrics[i]!));
  if (feasible.length === 0 && constraints.length > 0) {
    throw new InputError('incompatible', `no architecture of ${e.space}${e.device ? ` on ${e.device}` : ''} meets ${constraints.map(constraintText).join(' and ')}`, { path: '--constraint', expected: `a constraint that some of the ${e.archs.length} architectures meet` });
  }
  const points = e.metrics.map((m) => (meetsConstraints(e, m) ? objectiveValues(e.objectives, m) : undefined));
  const feasiblePoints = feasible.map((i) => points[i]!);
  const first = (nonDominatedSort(feasiblePoints)[0] ?? []).map((k) => feasible[k]!);
  const order = first.slice().sort((a, b) => {
    for (let j = 0; j < e.objectives.length; j++) {
      const d = points[a]![j]! - points[b]![j]!;
      if (d !== 0) return d;
    }
    return e.archs[a]! < e.archs[b]! ? -1 : 1;
  });
  const frontPoints = order.map((i) => points[i]!);
  const bounds = frontBounds(frontPoints);
  const normalizedFront = normalizePoints(frontPoints, bounds);
  const reference = e.objectives.map(() => REFERENCE_POINT_VALUE);
  return {
    space: e.space,
    device: e.device,
    objectives: e.objectives,
    ...(constraints.length > 0 && { constraints }),
    bounds,
    reference,
    enumerated: e.archs.length,
    feasible: feasible.length,
    front: order.map((i) => ({ arch: e.archs[i]!, metrics: { ...e.metrics[i]! } })),
    normalizedFront,
    hypervolume: hypervolume(normalizedFront, reference),
  };
}

/** Quality of a found set against the true front, in the problem's normalised space. */
export interface FrontQuality {
  /** Hypervolume of the found set's non-dominated points. */
  hypervolume: number;
  /** hypervolume / hypervolume of the true front (1 = the whole true front found). */
  hvRatio: number;
  /** IGD+ against the true front (0 = covers it); Infinity for an empty set. */
  igdPlus: number;
}

/**
 * Score metric records (e.g. the successful evaluations of a run up to some point) against the true
 * front: normalise their objective vectors with the problem's fixed bounds, then hypervolume, HV ratio
 * and IGD+ (Ishibuchi et al. 2015) against {@link TruthFront.normalizedFront}. Records that miss a
 * constraint of the problem add nothing.
 */
export function frontQuality(truth: TruthFront, records: readonly Readonly<Record<string, number>>[]): FrontQuality {
  const pts = normalizePoints(records.filter((m) => meetsConstraints(truth, m)).map((m) => objectiveValues(truth.objectives, m)), truth.bounds);
  const nd = nonDominatedOnly(pts);
  const hv = hypervolume(nd, truth.reference);
  return {
    hypervolume: hv,
    hvRatio: truth.hypervolume > 0 ? hv / truth.hypervolume : NaN,
    igdPlus: nd.length > 0 ? igdPlus(nd, truth.normalizedFront) : Infinity,
  };
}

/** The first non-dominated front of `pts` (dominated points never change HV or IGD+). */
function nonDominatedOnly(pts: readonly Point[]): Point[] {
  if (pts.length <= 1) return pts.slice();
  return (nonDominatedSort(pts)[0] ?? []).map((i) => pts[i]!);
}

/**
 * Incremental non-dominated archive of normalised points, for anytime curves: add points one by one
 * and score the archive at any time.
 */
export class AnytimeFront {
  private points: Point[] = [];

  constructor(private readonly truth: TruthFront) {}

  /** Add the metrics of one successful evaluation (nothing when it misses a constraint of the problem). */
  add(metrics: Readonly<Record<string, number>>): void {
    if (!meetsConstraints(this.truth, metrics)) return;
    const p = normalizePoints([objectiveValues(this.truth.objectives, metrics)], this.truth.bounds)[0]!;
    for (const q of this.points) if (dominates(q, p) || sameVector(q, p)) return;
    this.points = this.points.filter((q) => !dominates(p, q));
    this.points.push(p);
  }

  /** Current non-dominated points (normalised). */
  get front(): readonly Point[] {
    return this.points;
  }

  /** Scores of the archive as in {@link frontQuality}. */
  quality(): FrontQuality {
    const hv = hypervolume(this.points, this.truth.reference);
    return {
      hypervolume: hv,
      hvRatio: this.truth.hypervolume > 0 ? hv / this.truth.hypervolume : NaN,
      igdPlus: this.points.length > 0 ? igdPlus(this.points, this.truth.normalizedFront) : Infinity,
    };
  }
}

function sameVector(a: Point, b: Point): boolean {
  for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return false;
  return true;
}
