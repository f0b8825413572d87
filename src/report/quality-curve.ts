import { dominates, type Point } from '../pareto/dominance.ts';
import { hypervolume } from '../pareto/hypervolume.ts';
import { igdPlus } from '../pareto/igd-plus.ts';
import { constraintText, constraintViolation, type Constraint, type Objective } from '../record/metric-registry.ts';
import type { JournalRecord } from './read-journal.ts';
import { minimisationVector, type TruthData } from './truth-file.ts';

/**
 * Anytime quality of a run: hypervolume and IGD+ (Ishibuchi et al. 2015) of the non-dominated set of
 * its first k evaluations, for k on a grid — in a fixed normalisation (minimisation values, ideal ↦ 0,
 * nadir ↦ 1) with a fixed reference point, so that curves of different runs can be compared.
 */

/** The space in which a curve is measured. */
export interface Normalisation {
  objectives: Objective[];
  /** Evaluations that miss one of these add nothing (a constrained search's score). */
  constraints: Constraint[];
  ideal: number[];
  nadir: number[];
  /** Reference point of the hypervolume, in normalised coordinates. */
  reference: number[];
  /** Normalised front IGD+ is measured against. */
  referenceFront: number[][];
  /** Hypervolume of the reference front (for the HV ratio). */
  referenceHypervolume: number;
  /** `truth`: the exact front and its fixed bounds; `run`: bounds and front from the evaluations shown. */
  source: 'truth' | 'run';
  /** One sentence saying how the bounds, the reference point and the IGD+ front were chosen. */
  text: string;
}

/** Reference point coordinate per normalised objective, as `hwnas truth` uses. */
export const REFERENCE_VALUE = 1.1;

function fmt(v: number): string {
  return String(Number(v.toPrecision(6)));
}

/** Whether a record's metrics meet every constraint (a metric it lacks counts as a miss). */
function feasible(constraints: readonly Constraint[], metrics: Readonly<Record<string, number>>): boolean {
  if (constraints.length === 0) return true;
  try {
    return constraintViolation(constraints, metrics) === 0;
  } catch {
    return false;
  }
}

/** The normalisation of an exact front (the one `hwnas compare` scores in). */
export function truthNormalisation(t: TruthData): Normalisation {
  const names = t.objectives.map((o) => `${o.metric} (${o.direction})`);
  const all = Number.isFinite(t.enumerated) ? t.enumerated : 'all';
  const which = t.constraints.length > 0
    ? `the exact front of the architectures meeting ${t.constraints.map(constraintText).join(', ')} (${Number.isFinite(t.feasible) ? `${t.feasible} of ${all}` : `of ${all}`}; ${t.front.length} on the front)`
    : `the exact front (${t.front.length} architectures of ${all})`;
  return {
    objectives: t.objectives, constraints: t.constraints, ideal: t.ideal, nadir: t.nadir, reference: t.reference,
    referenceFront: t.normalizedFront, referenceHypervolume: t.hypervolume, source: 'truth',
    text: `Normalised against ${which}: ` +
      `${names.map((n, j) => `${n} ideal ${fmt(t.ideal[j]!)} ↦ 0, nadir ${fmt(t.nadir[j]!)} ↦ 1`).join('; ')} (minimisation values, maximised metrics negated). ` +
      `Reference point (${t.reference.join(', ')}). HV ratio = HV(found) / HV(exact front) = HV / ${fmt(t.hypervolume)}; IGD+ against the exact front.`,
  };
}

/** Whether a metric is a percentage (normalised over [0, 100] like `hwnas truth` does). */
export function isPercentMetric(metric: string): boolean {
  return /accuracy|acc$|Acc$/i.test(metric) && !metric.includes(':');
}

/**
 * A normalisation from the evaluations themselves, where no exact front is known: % metrics over
 * [0, 100], others over their minimum and maximum among `records`; IGD+ against the non-dominated set
 * of all of them (so the final IGD+ of the run that found that set is 0). With constraints, only the
 * evaluations meeting them.
 */
export function runNormalisation(objectives: readonly Objective[], records: readonly JournalRecord[], constraints: readonly Constraint[] = []): Normalisation | undefined {
  const vectors: number[][] = [];
  for (const r of records) {
    if (r.outcome.status !== 'ok' || !feasible(constraints, r.outcome.metrics)) continue;
    const v = minimisationVector(objectives, r.outcome.metrics);
    if (v) vectors.push(v);
  }
  if (vectors.length === 0) return undefined;
  const ideal: number[] = [];
  const nadir: number[] = [];
  objectives.forEach((o, j) => {
    if (isPercentMetric(o.metric)) {
      ideal.push(o.direction === 'max' ? -100 : 0);
      nadir.push(o.direction === 'max' ? 0 : 100);
      return;
    }
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of vectors) {
      lo = Math.min(lo, v[j]!);
      hi = Math.max(hi, v[j]!);
    }
    ideal.push(lo);
    nadir.push(hi > lo ? hi : lo + 1);
  });
  const norm = (v: readonly number[]) => v.map((x, j) => (x - ideal[j]!) / (nadir[j]! - ideal[j]!));
  const normalised = vectors.map(norm);
  const front = nonDominatedOnly(normalised);
  const reference = objectives.map(() => REFERENCE_VALUE);
  const names = objectives.map((o) => `${o.metric} (${o.direction})`);
  return {
    objectives: [...objectives], constraints: [...constraints], ideal, nadir, reference, referenceFront: front, referenceHypervolume: hypervolume(front, reference), source: 'run',
    text: `No exact front known: ${names.map((n, j) => `${n} ${isPercentMetric(objectives[j]!.metric) ? 'over [0, 100] %' : `over its range in these evaluations [${fmt(Math.abs(ideal[j]!))}, ${fmt(Math.abs(nadir[j]!))}]`}`).join('; ')} ↦ [0, 1] (minimisation values). ` +
      `Reference point (${reference.join(', ')}). HV ratio = HV / HV(non-dominated set of all evaluations shown); IGD+ against that set.`,
  };
}

/** The non-dominated points (duplicates once), by an archive: O(n · front size), no full sort. */
function nonDominatedOnly(pts: readonly Point[]): number[][] {
  let archive: number[][] = [];
  for (const p of pts) {
    if (archive.some((q) => dominates(q, p) || q.every((x, j) => x === p[j]))) continue;
    archive = archive.filter((q) => !dominates(p, q));
    archive.push([...p]);
  }
  return archive;
}

/** One point of an anytime curve. */
export interface QualityPoint {
  evaluations: number;
  hypervolume: number;
  hvRatio: number;
  /** Infinity while no evaluation has succeeded. */
  igdPlus: number;
}

/**
 * Evaluation counts to score a run of `length` at: about `steps` evenly spaced counts
 * (step = max(1, round(budget / steps)), as `hwnas compare` does), the checkpoints, and the end.
 */
export function evaluationGrid(length: number, budget = length, checkpoints: readonly number[] = [], steps = 100): number[] {
  const step = Math.max(1, Math.round(budget / steps));
  const grid = new Set<number>(checkpoints);
  for (let k = step; k <= budget; k += step) grid.add(k);
  grid.add(budget);
  return [...new Set([...grid].map((g) => Math.min(g, length)))].filter((g) => g > 0).sort((a, b) => a - b);
}

/**
 * Hypervolume, HV ratio and IGD+ of the first k successful evaluations (in file order) for each k in
 * `grid`; an evaluation that misses a constraint of the normalisation adds nothing.
 */
export function qualityCurve(records: readonly JournalRecord[], norm: Normalisation, grid: readonly number[]): QualityPoint[] {
  const out: QualityPoint[] = [];
  let archive: number[][] = [];
  let k = 0;
  for (const g of grid) {
    for (; k < Math.min(g, records.length); k++) {
      const o = records[k]!.outcome;
      if (o.status !== 'ok' || !feasible(norm.constraints, o.metrics)) continue;
      const v = minimisationVector(norm.objectives, o.metrics);
      if (!v) continue;
      const p = v.map((x, j) => (x - norm.ideal[j]!) / (norm.nadir[j]! - norm.ideal[j]!));
      if (archive.some((q) => dominates(q, p) || q.every((x, j) => x === p[j]))) continue;
      archive = archive.filter((q) => !dominates(p, q));
      archive.push(p);
    }
    const hv = hypervolume(archive, norm.reference);
    out.push({
      evaluations: Math.min(g, records.length),
      hypervolume: hv,
      hvRatio: norm.referenceHypervolume > 0 ? hv / norm.referenceHypervolume : NaN,
      igdPlus: archive.length > 0 && norm.referenceFront.length > 0 ? igdPlus(archive, norm.referenceFront) : Infinity,
    });
  }
  return out;
}

/** Best `accuracy` so far (earliest on a tie) and the `testAccuracy` of that architecture, for single-objective comparisons. */
export function bestSoFarCurve(records: readonly JournalRecord[], grid: readonly number[]): { evaluations: number; bestValidAccuracy: number; testAccuracy: number }[] {
  const out: { evaluations: number; bestValidAccuracy: number; testAccuracy: number }[] = [];
  let best: Record<string, number> | undefined;
  let k = 0;
  for (const g of grid) {
    for (; k < Math.min(g, records.length); k++) {
      const o = records[k]!.outcome;
      if (o.status !== 'ok') continue;
      const a = o.metrics.accuracy;
      if (a !== undefined && Number.isFinite(a) && (best === undefined || a > best.accuracy!)) best = o.metrics;
    }
    out.push({ evaluations: Math.min(g, records.length), bestValidAccuracy: best?.accuracy ?? NaN, testAccuracy: best?.testAccuracy ?? NaN });
  }
  return out;
}
