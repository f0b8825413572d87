import { hypervolume } from '../../pareto/hypervolume.ts';
import { normalizePoints } from '../../pareto/normalize.ts';
import { AnytimeFront, type TruthFront } from '../../record/exact-front.ts';
import type { JournalEntry } from '../../record/journal.ts';
import { constraintViolation, objectiveValues } from '../../record/metric-registry.ts';
import { studyConstraints, studyObjectives } from './problem-metrics.ts';
import type { SuiteProblem } from './suite-file.ts';

/**
 * A released problem as the exact front that runs are scored against, in the names a study of the
 * problem produces: the file's bounds turned into minimisation bounds (accuracy `[lo, hi]` → ideal
 * −hi, nadir −lo, so −acc normalises to (hi − acc)/(hi − lo) exactly), its reference point and its
 * `frontHypervolume` (never recomputed from points a run sees).
 */
export function problemTruth(p: SuiteProblem): TruthFront {
  const objectives = studyObjectives(p);
  const ideal = p.bounds.map(([lo, hi], j) => (objectives[j]!.direction === 'max' ? -hi : lo));
  const nadir = p.bounds.map(([lo, hi], j) => (objectives[j]!.direction === 'max' ? -lo : hi));
  const bounds = { ideal, nadir };
  const front = p.front.map((pt) => ({ arch: pt.arch, metrics: Object.fromEntries(objectives.map((o, j) => [o.metric, pt.values[j]!])) }));
  return {
    space: p.space,
    device: p.devices.length > 0 ? p.devices.join('+') : undefined,
    objectives,
    bounds,
    reference: [...p.referencePoint],
    enumerated: p.enumerated,
    feasible: p.feasible,
    front,
    normalizedFront: normalizePoints(front.map((pt) => objectiveValues(objectives, pt.metrics)), bounds),
    hypervolume: p.frontHypervolume,
  };
}

/** The hypervolume of a problem's front recomputed from the file's points, bounds and reference point. */
export function frontHypervolumeFromFile(p: SuiteProblem): number {
  const t = problemTruth(p);
  return hypervolume(t.normalizedFront, t.reference);
}

/** A run's score after some evaluations. */
export interface RunScore {
  /** Evaluations made (the checkpoint, or fewer when the run ended before it). */
  evaluations: number;
  /** Hypervolume of the feasible non-dominated successful evaluations, normalised space. */
  hypervolume: number;
  /** hypervolume / the problem's frontHypervolume (1 = the exact front found). */
  hvRatio: number;
  /** IGD+ (Ishibuchi et al. 2015) against the exact front, normalised space; Infinity with no feasible point. */
  igdPlus: number;
}

/**
 * Score a run's evaluations (in evaluation order) at each checkpoint: the feasible successful ones
 * up to it, against the problem's exact front with its fixed bounds and reference point. Failed and
 * infeasible evaluations count against the budget but add no point. A checkpoint beyond the run's
 * evaluations scores the whole run (once).
 */
export function scoreRun(p: SuiteProblem, records: readonly JournalEntry[], checkpoints: readonly number[]): RunScore[] {
  const truth = problemTruth(p);
  const constraints = studyConstraints(p);
  const front = new AnytimeFront(truth);
  const counts = [...new Set(checkpoints.map((c) => Math.min(c, records.length)))].filter((c) => c > 0).sort((a, b) => a - b);
  const out: RunScore[] = [];
  let k = 0;
  for (const c of counts) {
    for (; k < c; k++) {
      const o = records[k]!.outcome;
      if (o.status !== 'ok') continue;
      if (constraints.length > 0 && constraintViolation(constraints, o.metrics) > 0) continue;
      front.add(o.metrics);
    }
    const q = front.quality();
    out.push({ evaluations: c, hypervolume: q.hypervolume, hvRatio: q.hvRatio, igdPlus: q.igdPlus });
  }
  return out;
}
