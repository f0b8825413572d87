import { deviceMetric, splitDeviceMetric, type Constraint, type Objective } from '../../record/metric-registry.ts';

/**
 * The one place where a suite problem's metric names (the file contract: `accuracy`, `paramCount`,
 * `flops`, `latencyMs@<device>`) meet the names a {@link Study} produces. A study on one device calls
 * its latency `latencyMs`; a joint study over several devices calls them `latencyMs@<device>`, as the
 * file does. `accuracy` stands for the problem's `accuracyKey`, which the space's table source
 * produces under its own metric name.
 */

/** Accuracy table fields a problem may name, per space, and the metric the `table` source gives them under. */
const ACCURACY_KEYS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  // NAS-Bench-201 validation accuracies (data/nb201/accuracy.json.gz fields); test accuracies are
  // reported, never searched on.
  nb201: { cifar10ValidAcc: 'accuracy', cifar100ValidAcc: 'cifar100ValidAcc', imagenet16ValidAcc: 'imagenet16ValidAcc' },
  // NAS-Bench-Macro: mean CIFAR-10 test accuracy of three trainings (data/macro field `meanAcc`).
  'nasbench-macro': { meanAcc: 'accuracy' },
};

/** Accuracy keys a problem on `space` may use. */
export function accuracyKeys(space: string): string[] {
  return Object.keys(ACCURACY_KEYS[space] ?? {});
}

/** What names a problem needs: its space, accuracy key, objectives and constraints. */
export interface ProblemNames {
  readonly space: string;
  readonly accuracyKey: string;
  readonly objectives: readonly string[];
  readonly constraints?: readonly Constraint[];
}

/** Devices named by a problem's objectives, then constraints, in order of first mention. */
export function problemDevices(p: Pick<ProblemNames, 'objectives' | 'constraints'>): string[] {
  const out: string[] = [];
  for (const name of [...p.objectives, ...(p.constraints ?? []).map((c) => c.metric)]) {
    const d = splitDeviceMetric(name).device;
    if (d !== undefined && !out.includes(d)) out.push(d);
  }
  return out;
}

/** Whether the problem is solved by one joint study over several devices. */
export function isJoint(p: Pick<ProblemNames, 'objectives' | 'constraints'>): boolean {
  return problemDevices(p).length > 1;
}

/**
 * A file metric name as a study of this problem names it. With `joint` (a study over several
 * devices, or an enumeration over the union of several problems' devices) latency keeps its
 * `@device`; otherwise it is the study's plain `latencyMs`.
 */
export function studyMetric(p: ProblemNames, name: string, joint = isJoint(p)): string {
  if (name === 'accuracy') {
    const m = ACCURACY_KEYS[p.space]?.[p.accuracyKey];
    if (m === undefined) throw new Error(`no accuracy key ${p.accuracyKey} for space ${p.space}`);
    return m;
  }
  const { base, device } = splitDeviceMetric(name);
  return device !== undefined && !joint ? base : name;
}

/** The inverse of {@link studyMetric}: a study's metric name as the file names it. */
export function fileMetric(p: ProblemNames, name: string, joint = isJoint(p)): string {
  if (name === studyMetric(p, 'accuracy', joint)) return 'accuracy';
  const devices = problemDevices(p);
  if (!joint && splitDeviceMetric(name).device === undefined && name === 'latencyMs' && devices.length === 1) return deviceMetric(name, devices[0]!);
  return name;
}

/** The problem's objectives as a study names them: accuracy maximised, the rest minimised. */
export function studyObjectives(p: ProblemNames, joint = isJoint(p)): Objective[] {
  return p.objectives.map((o) => ({ metric: studyMetric(p, o, joint), direction: o === 'accuracy' ? 'max' : 'min' }));
}

/** The problem's constraints as a study names them. */
export function studyConstraints(p: ProblemNames, joint = isJoint(p)): Constraint[] {
  return (p.constraints ?? []).map((c) => ({ ...c, metric: studyMetric(p, c.metric, joint) }));
}
