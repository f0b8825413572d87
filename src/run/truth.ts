import { getAccuracySource, type AccuracySource } from '../accuracy/accuracy-source.ts';
import { countFlops, countParams } from '../graph/count.ts';
import { InputError } from '../errors.ts';
import { loadDevice, type TableDevice } from '../latency/device-profile.ts';
import { checkTableDevice, tableArchStrings, tableLatencyAll } from '../latency/device-table.ts';
import { dominates, type Point } from '../pareto/dominance.ts';
import { hypervolume } from '../pareto/hypervolume.ts';
import { igdPlus } from '../pareto/igd-plus.ts';
import { nonDominatedSort } from '../pareto/non-dominated-sort.ts';
import { normalizePoints, type ObjectiveBounds } from '../pareto/normalize.ts';
import { genotypeAt, spaceSize, type SearchSpace } from '../space/search-space.ts';
import { loadSpace } from '../space/space-registry.ts';
import { metricInfo, objectiveValues, parseObjectives, type Objective } from '../record/metric-registry.ts';

/**
 * Exact ("truth") Pareto fronts of small spaces with table metrics, and the fixed normalisation in
 * which runs are scored against them.
 *
 * **Normalisation (fixed per problem, never from the points a run happens to see).** Objectives are
 * first turned into minimisation values (maximised metrics negated), then mapped linearly to [0, 1]:
 * - a metric in % (`accuracy`, `testAccuracy`): over [0, 100] %, so accuracy a becomes 1 − a/100;
 * - any other metric (`latencyMs`, `paramCount`, `flops`): over its minimum and maximum across the
 *   whole space, taken from the exhaustive enumeration (for a table device: the minimum and maximum
 *   latency of the device's table, a fixed property of the device).
 *
 * **Reference point:** {@link REFERENCE_POINT_VALUE} (1.1) in every normalised objective. Hypervolumes
 * are measured in this normalised space; the HV ratio of a run is HV(run front) / HV(true front), and
 * IGD+ is measured in the same space against the true front.
 */

/** Reference point coordinate in every normalised objective. */
export const REFERENCE_POINT_VALUE = 1.1;

/** Largest space enumerated exhaustively. */
export const MAX_TRUTH_SPACE = 200_000;

/** One architecture of a true front. */
export interface TruthPoint {
  arch: string;
  /** Every metric the enumeration computed (objectives, `testAccuracy`, ...). */
  metrics: Record<string, number>;
}

/** A problem (space × device × objectives) with its fixed normalisation. */
export interface Problem {
  readonly space: string;
  /** Device id; undefined when no objective needs one. */
  readonly device: string | undefined;
  readonly objectives: readonly Objective[];
  /** Bounds of the minimisation values: `ideal` ↦ 0, `nadir` ↦ 1. */
  readonly bounds: ObjectiveBounds;
  /** Reference point in normalised space ({@link REFERENCE_POINT_VALUE} per objective). */
  readonly reference: readonly number[];
}

/** The exact non-dominated front of a problem. */
export interface TruthFront extends Problem {
  /** Architectures enumerated (the whole space). */
  readonly enumerated: number;
  /** Non-dominated architectures, best first in the first objective (ties kept). */
  readonly front: readonly TruthPoint[];
  /** Normalised minimisation vectors of {@link TruthFront.front}, same order. */
  readonly normalizedFront: readonly (readonly number[])[];
  /** Hypervolume of the front in the normalised space. */
  readonly hypervolume: number;
}

/** What {@link computeTruthFront} needs. */
export interface TruthOptions {
  /** Space id or path. @defaultValue 'nb201' */
  space?: string;
  /** Device id or path: a table device; required when an objective is `latencyMs`. */
  device?: string;
  /** Comma-separated objectives. @defaultValue 'accuracy,latencyMs' */
  objectives?: string;
  /** Accuracy source id. @defaultValue 'table' */
  accuracy?: string;
}

/** Metrics every architecture of a space gets in an exhaustive enumeration. */
export interface Enumeration {
  readonly space: SearchSpace;
  readonly device: TableDevice | undefined;
  readonly objectives: readonly Objective[];
  readonly accuracy: AccuracySource;
  readonly archs: readonly string[];
  readonly metrics: readonly Record<string, number>[];
}

/**
 * Evaluate every architecture of the space from tables: the accuracy source (a table), latency from
 * the device's table (no graph is built), and `paramCount` / `flops` from the built graph only when
 * an objective needs them. Bad settings (a measured device, a space too large, a table that does not
 * cover the space) are an {@link InputError}.
 */
export async function enumerateSpace(opts: TruthOptions = {}): Promise<Enumeration> {
  const space = loadSpace(opts.space ?? 'nb201');
  const objectives = parseObjectives(opts.objectives ?? 'accuracy,latencyMs');
  const accuracy = getAccuracySource(opts.accuracy ?? 'table', space);
  const size = spaceSize(space);
  if (size > MAX_TRUTH_SPACE) {
    throw new InputError('incompatible', `space "${space.id}" has ${size} architectures, too many to enumerate`, { path: '--space', expected: `at most ${MAX_TRUTH_SPACE}` });
  }
  const needsLatency = objectives.some((o) => o.metric === 'latencyMs');
  const needsCounts = objectives.some((o) => o.metric === 'paramCount' || o.metric === 'flops');
  for (const o of objectives) {
    if (!['accuracy', 'testAccuracy', 'latencyMs', 'paramCount', 'flops'].includes(o.metric)) {
      throw new InputError('bad-metric', `objective "${o.metric}" cannot be enumerated exactly`, { path: '--objectives', expected: 'accuracy, testAccuracy, latencyMs, paramCount, flops' });
    }
  }
  let device: TableDevice | undefined;
  let latency: Float64Array | undefined;
  let rowOf: Map<string, number> | undefined;
  if (opts.device !== undefined) {
    const d = loadDevice(opts.device);
    if (d.kind !== 'table') {
      throw new InputError('incompatible', `device "${d.id}" is ${d.kind}; an exact front needs a table device`, { path: '--device', expected: 'a table device (hwnas devices lists them)', actual: JSON.stringify(d.id) });
    }
    checkTableDevice(d, space);
    device = d;
    latency = tableLatencyAll(d);
    const strings = tableArchStrings(d);
    rowOf = new Map(strings.map((s, i) => [s, i]));
  } else if (needsLatency) {
    throw new InputError('bad-flag', 'missing flag', { path: '--device', expected: 'a table device (the objectives include latencyMs)', actual: 'nothing' });
  }
  const archs: string[] = [];
  const metrics: Record<string, number>[] = [];
  for (let i = 0; i < size; i++) {
    const g = genotypeAt(space, i);
    const arch = space.encode(g);
    const m: Record<string, number> = {};
    Object.assign(m, await accuracy.metrics(space, g));
    if (latency && rowOf) {
      const row = rowOf.get(arch);
      if (row === undefined) {
        throw new InputError('incompatible', `latency table of device "${device!.id}" has no entry for ${arch}`, { path: '--device', expected: `a table covering all ${size} architectures of ${space.id}` });
      }
      m.latencyMs = latency[row]!;
    }
    if (needsCounts) {
      const graph = space.build(g);
      m.paramCount = countParams(graph);
      m.flops = countFlops(graph);
    }
    archs.push(arch);
    metrics.push(m);
  }
  return { space, device, objectives, accuracy, archs, metrics };
}

/**
 * Fixed bounds of a problem (see the module comment): % metrics over [0, 100], every other metric
 * over its minimum and maximum in the exhaustive enumeration.
 */
export function problemBounds(objectives: readonly Objective[], all: readonly Record<string, number>[]): ObjectiveBounds {
  const ideal: number[] = [];
  const nadir: number[] = [];
  for (const o of objectives) {
    const sign = o.direction === 'max' ? -1 : 1;
    if (metricInfo(o.metric).unit === '%') {
      ideal.push(sign < 0 ? -100 : 0);
      nadir.push(sign < 0 ? 0 : 100);
      continue;
    }
    let lo = Infinity;
    let hi = -Infinity;
    for (const m of all) {
      const v = sign * m[o.metric]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (!(hi > lo)) hi = lo + 1; // a constant metric: any unit scale, every point maps to 0
    ideal.push(lo);
    nadir.push(hi);
  }
  return { ideal, nadir };
}

/** The exact front of an enumeration, its normalisation and hypervolume. */
export function truthFrontOf(e: Enumeration): TruthFront {
  const points = e.metrics.map((m) => objectiveValues(e.objectives, m));
  const bounds = problemBounds(e.objectives, e.metrics);
  const first = nonDominatedSort(points)[0] ?? [];
  const order = first.slice().sort((a, b) => {
    for (let j = 0; j < e.objectives.length; j++) {
      const d = points[a]![j]! - points[b]![j]!;
      if (d !== 0) return d;
    }
    return e.archs[a]! < e.archs[b]! ? -1 : 1;
  });
  const front = order.map((i) => ({ arch: e.archs[i]!, metrics: e.metrics[i]! }));
  const normalizedFront = normalizePoints(order.map((i) => points[i]!), bounds);
  const reference = e.objectives.map(() => REFERENCE_POINT_VALUE);
  return {
    space: e.space.id,
    device: e.device?.id,
    objectives: e.objectives,
    bounds,
    reference,
    enumerated: e.archs.length,
    front,
    normalizedFront,
    hypervolume: hypervolume(normalizedFront, reference),
  };
}

/** Enumerate the space and return its exact front ({@link enumerateSpace} + {@link truthFrontOf}). */
export async function computeTruthFront(opts: TruthOptions = {}): Promise<TruthFront> {
  return truthFrontOf(await enumerateSpace(opts));
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
 * and IGD+ (Ishibuchi et al. 2015) against {@link TruthFront.normalizedFront}.
 */
export function frontQuality(truth: TruthFront, records: readonly Readonly<Record<string, number>>[]): FrontQuality {
  const pts = normalizePoints(records.map((m) => objectiveValues(truth.objectives, m)), truth.bounds);
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

  /** Add the metrics of one successful evaluation. */
  add(metrics: Readonly<Record<string, number>>): void {
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
