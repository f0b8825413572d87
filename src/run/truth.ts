import type { AccuracySource, TrainingBudget } from '../accuracy/accuracy-source.ts';
import { InputError } from '../errors.ts';
import type { DeviceProfile } from '../latency/device-profile.ts';
import { exactFront, type TruthFront } from '../record/exact-front.ts';
import type { Constraint, Objective } from '../record/metric-registry.ts';
import { spaceSize, type SearchSpace } from '../space/search-space.ts';
import { Study, type StudyEvent } from './study.ts';

/** Largest space enumerated exhaustively. */
export const MAX_TRUTH_SPACE = 200_000;

/** Metrics an exact front can be computed on: looked up in tables or counted, never measured. */
const EXACT_METRICS = ['accuracy', 'testAccuracy', 'cifar100ValidAcc', 'cifar100TestAcc', 'imagenet16ValidAcc', 'imagenet16TestAcc', 'latencyMs', 'paramCount', 'flops'];

/** What {@link enumerateSpace} needs. */
export interface TruthOptions {
  readonly space: SearchSpace;
  /** Table devices; one, or several for a joint problem (objectives `latencyMs@<device>`). @defaultValue none (no latency objective) */
  readonly devices?: readonly DeviceProfile[];
  readonly objectives: readonly Objective[];
  /**
   * The front is that of the architectures meeting all of these (`latencyMs<=5`; without `@device`,
   * on every device of a joint problem). @defaultValue none
   */
  readonly constraints?: readonly Constraint[];
  /** Accuracy source or its id. @defaultValue 'table' */
  readonly accuracy?: AccuracySource | string;
  /** Image data of a registered data-dependent source. @defaultValue the vendored CIFAR-10 subset */
  readonly data?: string;
  /** Training budget of a registered training source. @defaultValue the source's defaults */
  readonly training?: TrainingBudget;
  /** Progress. */
  readonly onEvent?: (e: StudyEvent) => void;
}

/** Every architecture of a space with its table metrics. */
export interface Enumeration {
  readonly space: SearchSpace;
  readonly devices: readonly DeviceProfile[];
  readonly objectives: readonly Objective[];
  /** The constraints as the study names them (a joint problem's expanded per device). */
  readonly constraints: readonly Constraint[];
  readonly accuracy: AccuracySource;
  readonly archs: readonly string[];
  readonly metrics: readonly Record<string, number>[];
}

/**
 * Evaluate every architecture of a small space from tables: a study of the `grid` strategy (every
 * architecture once, in index order) in memory, on table devices only, params and FLOPs counted only
 * when an objective needs them. Bad settings (a measured device, a space too large, an objective
 * that is not a table metric) are an {@link InputError}; an architecture a table does not list is one
 * too (an exact front must cover the whole space).
 */
export async function enumerateSpace(o: TruthOptions): Promise<Enumeration> {
  const size = spaceSize(o.space);
  if (size > MAX_TRUTH_SPACE) {
    throw new InputError('incompatible', `space "${o.space.id}" has ${size} architectures, too many to enumerate`, { path: '--space', expected: `at most ${MAX_TRUTH_SPACE}` });
  }
  const devices = o.devices ?? [];
  for (const d of devices) {
    if (d.kind !== 'table') {
      throw new InputError('incompatible', `device "${d.id}" is ${d.kind}; an exact front needs a table device`, { path: '--device', expected: 'a table device (hwnas devices lists them)', actual: JSON.stringify(d.id) });
    }
  }
  for (const x of o.objectives) {
    if (!EXACT_METRICS.includes(x.metric.split('@')[0]!)) {
      throw new InputError('bad-metric', `objective "${x.metric}" cannot be enumerated exactly`, { path: '--objectives', expected: EXACT_METRICS.join(', ') });
    }
  }
  for (const c of o.constraints ?? []) {
    if (!EXACT_METRICS.includes(c.metric.split('@')[0]!)) {
      throw new InputError('bad-metric', `constraint on "${c.metric}" cannot be enumerated exactly`, { path: '--constraint', expected: EXACT_METRICS.join(', ') });
    }
  }
  if (devices.length === 0 && [...o.objectives, ...(o.constraints ?? [])].some((x) => x.metric.startsWith('latencyMs'))) {
    throw new InputError('bad-flag', 'missing flag', { path: '--device', expected: 'a table device (the objectives include latencyMs)', actual: 'nothing' });
  }
  const counts = [...o.objectives, ...(o.constraints ?? [])].some((x) => x.metric === 'paramCount' || x.metric === 'flops');
  const study = await Study.create({
    space: o.space,
    devices,
    joint: devices.length > 1,
    objectives: o.objectives,
    ...(o.constraints && { constraints: o.constraints }),
    strategy: 'grid',
    accuracy: o.accuracy ?? 'table',
    ...(o.data !== undefined && { data: o.data }),
    ...(o.training !== undefined && { training: o.training }),
    budget: size,
    seed: 0,
    counts,
    batchSize: 1000,
  }, { ...(o.onEvent && { onEvent: o.onEvent }) });
  const r = await study.run();
  const t = r.targets[0]!;
  const archs: string[] = [];
  const metrics: Record<string, number>[] = [];
  for (const rec of t.records) {
    if (rec.outcome.status !== 'ok') {
      throw new InputError('incompatible', `no table entry for ${rec.arch}: ${rec.outcome.error}`, { path: '--device', expected: `tables covering all ${size} architectures of ${o.space.id}` });
    }
    archs.push(rec.arch);
    metrics.push(rec.outcome.metrics);
  }
  return { space: o.space, devices, objectives: t.objectives, constraints: t.constraints, accuracy: study.accuracySource!, archs, metrics };
}

/**
 * Enumerate the space and return its exact front ({@link enumerateSpace} + {@link exactFront}): the
 * front of the architectures meeting the constraints, when there are any.
 */
export async function computeTruthFront(o: TruthOptions): Promise<TruthFront> {
  const e = await enumerateSpace(o);
  return exactFront({ space: e.space.id, device: e.devices.length > 0 ? e.devices.map((d) => d.id).join('+') : undefined, objectives: e.objectives, constraints: e.constraints, archs: e.archs, metrics: e.metrics });
}
