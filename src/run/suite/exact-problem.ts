import { InputError } from '../../errors.ts';
import { loadDevice } from '../../latency/device-profile.ts';
import { exactFront } from '../../record/exact-front.ts';
import { constraintViolation, type Objective } from '../../record/metric-registry.ts';
import { loadSpace } from '../../space/space-registry.ts';
import type { StudyEvent } from '../study.ts';
import { enumerateSpace, type Enumeration } from '../truth.ts';
import { problemDevices, studyConstraints, studyObjectives, type ProblemNames } from './problem-metrics.ts';
import type { SuiteProblem, SuiteProblemSpec } from './suite-file.ts';

/**
 * Exact fronts of suite problems by enumeration. Every problem on a space is solved from one
 * enumeration of that space (a `grid` study over the union of the problems' devices, params and
 * FLOPs counted when a problem needs them), so a suite of many problems costs one pass per space.
 */

/** One space enumerated for several problems. */
export interface SpaceEnumeration {
  readonly enumeration: Enumeration;
  /** Whether latency metrics carry `@device` (the union has several devices). */
  readonly joint: boolean;
}

/** Enumerate every space the problems use, once each. */
export async function enumerateForProblems(problems: readonly ProblemNames[], onEvent?: (e: StudyEvent) => void): Promise<Map<string, SpaceEnumeration>> {
  const out = new Map<string, SpaceEnumeration>();
  for (const space of [...new Set(problems.map((p) => p.space))]) {
    const mine = problems.filter((p) => p.space === space);
    const devices = [...new Set(mine.flatMap((p) => problemDevices(p)))];
    const joint = devices.length > 1;
    const metrics = new Map<string, Objective>();
    for (const p of mine) {
      for (const o of studyObjectives(p, joint)) metrics.set(o.metric, o);
      for (const c of studyConstraints(p, joint)) if (!metrics.has(c.metric)) metrics.set(c.metric, { metric: c.metric, direction: 'min' });
    }
    const enumeration = await enumerateSpace({
      space: loadSpace(space),
      devices: devices.map((d) => loadDevice(d)),
      objectives: [...metrics.values()],
      ...(onEvent && { onEvent }),
    });
    out.set(space, { enumeration, joint });
  }
  return out;
}

/**
 * Solve one problem from its space's enumeration: the exact front over the architectures meeting
 * every constraint, its bounds (the front's worst and best value per objective, in the objective's
 * own units), the reference point and the front's exact hypervolume in the normalised space
 * ({@link exactFront}: ideal ↦ 0, nadir ↦ 1, reference 1.1 per objective).
 */
export function solveProblem(spec: SuiteProblemSpec, e: SpaceEnumeration): SuiteProblem {
  const objectives = studyObjectives(spec, e.joint);
  const constraints = studyConstraints(spec, e.joint);
  const archs: string[] = [];
  const metrics: Record<string, number>[] = [];
  e.enumeration.metrics.forEach((m, i) => {
    if (constraints.length > 0 && constraintViolation(constraints, m) > 0) return;
    archs.push(e.enumeration.archs[i]!);
    metrics.push(m);
  });
  if (archs.length === 0) throw new InputError('incompatible', `problem ${spec.id}: no architecture of ${spec.space} meets its constraints`, { expected: 'constraints that some architecture meets', actual: (spec.constraints ?? []).map((c) => `${c.metric}${c.op}${c.value}`).join(', ') });
  const truth = exactFront({ space: spec.space, device: undefined, objectives, archs, metrics });
  const bounds = objectives.map((o, j): [number, number] => {
    const ideal = truth.bounds.ideal[j]!;
    const nadir = truth.bounds.nadir[j]!;
    // Minimisation form negates maximised metrics: back to their own units, [worst, best].
    return o.direction === 'max' ? [-nadir, -ideal] : [ideal, nadir];
  });
  return {
    id: spec.id,
    description: spec.description,
    space: spec.space,
    accuracyKey: spec.accuracyKey,
    objectives: [...spec.objectives],
    devices: problemDevices(spec),
    ...(spec.constraints && spec.constraints.length > 0 && { constraints: spec.constraints.map((c) => ({ metric: c.metric, op: c.op, value: c.value })) }),
    bounds,
    referencePoint: [...truth.reference],
    frontHypervolume: truth.hypervolume,
    frontSize: truth.front.length,
    enumerated: e.enumeration.archs.length,
    feasible: archs.length,
    front: truth.front.map((pt) => ({ arch: pt.arch, values: objectives.map((o) => pt.metrics[o.metric]!) })),
  };
}

/** Solve every problem (one enumeration per space). */
export async function solveProblems(specs: readonly SuiteProblemSpec[], onEvent?: (e: StudyEvent) => void): Promise<SuiteProblem[]> {
  const spaces = await enumerateForProblems(specs, onEvent);
  return specs.map((s) => solveProblem(s, spaces.get(s.space)!));
}

/** How a released problem differs from its recomputation (empty when it does not). */
export function problemDifferences(released: SuiteProblem, recomputed: SuiteProblem, relTol = 1e-12): string[] {
  const out: string[] = [];
  const near = (a: number, b: number) => a === b || Math.abs(a - b) <= relTol * Math.max(Math.abs(a), Math.abs(b));
  released.bounds.forEach(([lo, hi], j) => {
    const [rlo, rhi] = recomputed.bounds[j] ?? [NaN, NaN];
    if (!near(lo, rlo) || !near(hi, rhi)) out.push(`bounds of ${released.objectives[j]}: file [${lo}, ${hi}], recomputed [${rlo}, ${rhi}]`);
  });
  if (!near(released.frontHypervolume, recomputed.frontHypervolume)) out.push(`frontHypervolume: file ${released.frontHypervolume}, recomputed ${recomputed.frontHypervolume}`);
  for (const k of ['frontSize', 'enumerated', 'feasible'] as const) {
    if (released[k] !== recomputed[k]) out.push(`${k}: file ${released[k]}, recomputed ${recomputed[k]}`);
  }
  if (released.referencePoint.join(',') !== recomputed.referencePoint.join(',')) out.push(`referencePoint: file ${released.referencePoint.join(',')}, recomputed ${recomputed.referencePoint.join(',')}`);
  if (released.devices.join(',') !== recomputed.devices.join(',')) out.push(`devices: file ${released.devices.join(',')}, recomputed ${recomputed.devices.join(',')}`);
  const a = released.front.map((p) => `${p.arch} ${p.values.join(' ')}`);
  const b = recomputed.front.map((p) => `${p.arch} ${p.values.join(' ')}`);
  const missing = b.filter((x) => !a.includes(x));
  const extra = a.filter((x) => !b.includes(x));
  if (missing.length > 0 || extra.length > 0) out.push(`front: ${missing.length} recomputed points not in the file, ${extra.length} file points not recomputed${missing[0] ? ` (e.g. ${missing[0]})` : extra[0] ? ` (e.g. ${extra[0]})` : ''}`);
  return out;
}
