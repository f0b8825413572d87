import { InputError } from '../errors.ts';
import { MAX_LATENCY_MS, MAX_MODEL_FLOPS, MAX_MODEL_PARAMS } from '../limits.ts';

/** Whether a metric is better small or large. */
export type Direction = 'min' | 'max';

export interface MetricInfo {
  readonly name: string;
  readonly direction: Direction;
  readonly unit: string;
  readonly summary: string;
  /** Smallest valid value (a journal line below it is refused). @defaultValue no bound */
  readonly min?: number;
  /** Largest valid value. @defaultValue no bound */
  readonly max?: number;
}

const metrics = new Map<string, MetricInfo>();

/** Register a metric name with its direction (used for objectives, constraints and journal checks). */
export function registerMetric(info: MetricInfo): void {
  metrics.set(info.name, info);
}

/**
 * The metrics hwnas itself produces or reads, with direction, unit and valid range. Their names are
 * {@link BuiltinMetric}; add others at run time with {@link registerMetric}.
 */
export const BUILTIN_METRICS = [
  { name: 'accuracy', direction: 'max', unit: '%', summary: 'search accuracy (validation accuracy for table spaces)', min: 0, max: 100 },
  { name: 'testAccuracy', direction: 'max', unit: '%', summary: 'test accuracy (reported, not searched on)', min: 0, max: 100 },
  { name: 'cifar100ValidAcc', direction: 'max', unit: '%', summary: 'NAS-Bench-201 CIFAR-100 validation accuracy', min: 0, max: 100 },
  { name: 'cifar100TestAcc', direction: 'max', unit: '%', summary: 'NAS-Bench-201 CIFAR-100 test accuracy', min: 0, max: 100 },
  { name: 'imagenet16ValidAcc', direction: 'max', unit: '%', summary: 'NAS-Bench-201 ImageNet16-120 validation accuracy', min: 0, max: 100 },
  { name: 'imagenet16TestAcc', direction: 'max', unit: '%', summary: 'NAS-Bench-201 ImageNet16-120 test accuracy', min: 0, max: 100 },
  { name: 'accuracyStd', direction: 'min', unit: '%', summary: 'standard deviation of the accuracy over trainings (NAS-Bench-Macro)', min: 0 },
  { name: 'trainMs', direction: 'min', unit: 'ms', summary: 'wall time of proxy training (the training loop, without the held-out evaluation)', min: 0 },
  { name: 'trainImages', direction: 'min', unit: 'images', summary: 'images passed through the training loop of proxy training (epochs × training images)', min: 0 },
  { name: 'tableAccuracy', direction: 'max', unit: '%', summary: "the space's benchmark-table accuracy, reported beside a proxy accuracy source (never searched on unless asked)", min: 0, max: 100 },
  { name: 'trainImagesPerS', direction: 'max', unit: 'images/s', summary: 'training images per second of proxy training', min: 0 },
  { name: 'latencyMs', direction: 'min', unit: 'ms', summary: 'latency on the device (measured: median over interleaved rounds of each round\'s median; or table value)', min: 0, max: MAX_LATENCY_MS },
  { name: 'predictedLatencyMs', direction: 'min', unit: 'ms', summary: 'latency predicted by a LUT or fitted predictor', min: 0, max: MAX_LATENCY_MS },
  { name: 'p90Ms', direction: 'min', unit: 'ms', summary: '90th percentile of the timed runs', min: 0, max: MAX_LATENCY_MS },
  { name: 'iqrMs', direction: 'min', unit: 'ms', summary: 'interquartile range of the timed runs', min: 0, max: MAX_LATENCY_MS },
  { name: 'cv', direction: 'min', unit: '', summary: 'coefficient of variation of the timed runs', min: 0 },
  { name: 'samples', direction: 'max', unit: '', summary: 'timed runs of the measurement', min: 0 },
  { name: 'ciHalfWidthPct', direction: 'min', unit: '%', summary: 'the 95% confidence interval of the measured median lies within ± this % of it', min: 0 },
  { name: 'rounds', direction: 'max', unit: '', summary: 'interleaved rounds the candidate was timed in', min: 0 },
  { name: 'paramCount', direction: 'min', unit: '', summary: 'trainable parameters (NAS-Bench-Macro convention)', min: 0, max: MAX_MODEL_PARAMS },
  { name: 'flops', direction: 'min', unit: 'MACs', summary: 'multiply-accumulates of convolutions and linear layers', min: 0, max: MAX_MODEL_FLOPS },
] as const satisfies readonly MetricInfo[];
for (const m of BUILTIN_METRICS) registerMetric(m);

/** Name of a built-in metric (`accuracy`, `latencyMs`, `paramCount`, `flops`…): a typo in a literal is a type error. */
export type BuiltinMetric = (typeof BUILTIN_METRICS)[number]['name'];

declare const customMetricBrand: unique symbol;

/** A metric name of your own (a loss, an energy reading), made with {@link customMetric}. */
export type CustomMetric<N extends string = string> = N & { readonly [customMetricBrand]: N };

/**
 * A metric name as the library's typed settings take it: a built-in name, a built-in name on a device
 * of a joint search (`latencyMs@pixel3`), or a {@link customMetric}.
 */
export type MetricName = BuiltinMetric | `${BuiltinMetric}@${string}` | CustomMetric;

/**
 * The explicit escape for a metric hwnas does not know: `customMetric('energyMj')`. Without it a
 * string literal that is not a built-in metric name fails type-checking. (A plain `string` — read
 * from a file or a flag — is not checked by the compiler; the study checks it at run time.)
 */
export function customMetric<const N extends string>(name: N): CustomMetric<N> {
  return name as CustomMetric<N>;
}

/**
 * `M` when it is a {@link MetricName} or a plain `string` (checked at run time), else `MetricName`,
 * so that a misspelt literal is a type error ("Did you mean 'accuracy'?"). Parameters typed
 * `CheckedMetric<M>` infer `M` from the argument.
 */
export type CheckedMetric<M extends string> = string extends M ? M : M extends MetricName ? M : MetricName;

/**
 * A typed setting's list of objectives, constraints or metric names with each literal name checked
 * ({@link CheckedMetric}). Inferring the whole list lets built-in and custom names mix in one list.
 */
export type CheckedMetrics<X> = {
  readonly [K in keyof X]: X[K] extends { readonly metric: infer M extends string }
    ? Omit<X[K], 'metric'> & { readonly metric: CheckedMetric<M> }
    : X[K] extends string ? CheckedMetric<X[K]> : X[K];
};

/** The plain name of a metric name type (`CustomMetric<'energyMj'>` → `'energyMj'`), for object keys. */
export type PlainMetric<M extends string> = M extends { readonly [customMetricBrand]: infer N extends string } ? N : M;

/** Metrics a latency measurement or lookup may set (a device's job never sets accuracy or counts). */
export const LATENCY_METRICS: readonly string[] = ['latencyMs', 'predictedLatencyMs', 'p90Ms', 'iqrMs', 'cv', 'samples', 'ciHalfWidthPct', 'rounds'];

/** Metrics counted on the model graph. */
export const COUNT_METRICS: readonly string[] = ['paramCount', 'flops'];

/**
 * A per-device metric of a joint multi-device search is `<metric>@<device>` (e.g. `latencyMs@fpga`):
 * it has the direction and unit of `<metric>`.
 */
export function deviceMetric(metric: string, deviceId: string): string {
  return `${metric}@${deviceId}`;
}

/** `latencyMs@fpga` → `{ base: 'latencyMs', device: 'fpga' }`; a plain name has no device. */
export function splitDeviceMetric(name: string): { base: string; device: string | undefined } {
  const at = name.indexOf('@');
  return at < 0 ? { base: name, device: undefined } : { base: name.slice(0, at), device: name.slice(at + 1) };
}

/** Info of a registered metric (or of `<metric>@<device>`), or undefined. */
export function findMetric(name: string): MetricInfo | undefined {
  const direct = metrics.get(name);
  if (direct) return direct;
  const { base, device } = splitDeviceMetric(name);
  const info = device !== undefined && device !== '' ? metrics.get(base) : undefined;
  return info && { ...info, name };
}

/** Info of a registered metric; an unknown name is an {@link InputError} naming `flag`. */
export function metricInfo(name: string, flag = '--objectives'): MetricInfo {
  const m = findMetric(name);
  if (!m) throw new InputError('bad-metric', `unknown metric "${name}"`, { path: flag, expected: `one of ${[...metrics.keys()].join(', ')} (or METRIC@DEVICE in a joint search)` });
  return m;
}

/**
 * An objective of the search: a metric and its direction. `M` narrows the metric names in typed
 * settings ({@link MetricName}); a plain `Objective` takes any name, checked at run time.
 */
export interface Objective<M extends string = string> {
  readonly metric: M;
  readonly direction: Direction;
}

/** A constraint such as `latencyMs<=5`. */
export interface Constraint<M extends string = string> {
  readonly metric: M;
  readonly op: '<=' | '>=';
  readonly value: number;
}

/** The objective of a registered metric, in its registered direction (`objective('latencyMs')`). */
export function objective<M extends string>(metric: CheckedMetric<M>, flag = 'objective(metric)'): Objective<M> {
  return { metric: metric as M, direction: metricInfo(metric, flag).direction };
}

/** Minimisation vector of metrics for the given objectives (maximised metrics negated). */
export function objectiveValues(objectives: readonly Objective[], values: Readonly<Record<string, number>>): number[] {
  return objectives.map((o) => {
    const v = values[o.metric];
    if (v === undefined || !Number.isFinite(v)) throw new Error(`metric ${o.metric} is ${v === undefined ? 'missing' : v}`);
    return o.direction === 'max' ? -v : v;
  });
}

/**
 * Total constraint violation (Deb et al. 2002, §IV): Σ max(0, excess) with each excess relative to
 * |bound| (or absolute when the bound is 0), so constraints in different units add up fairly.
 */
export function constraintViolation(constraints: readonly Constraint[], values: Readonly<Record<string, number>>): number {
  let total = 0;
  for (const c of constraints) {
    const v = values[c.metric];
    if (v === undefined || !Number.isFinite(v)) throw new Error(`constraint metric ${c.metric} is ${v === undefined ? 'missing' : v}`);
    if (c.op !== '<=' && c.op !== '>=') throw new Error(`constraint ${c.metric}: unknown op ${JSON.stringify(c.op)}`);
    const excess = c.op === '<=' ? v - c.value : c.value - v;
    if (excess > 0) total += excess / (c.value === 0 ? 1 : Math.abs(c.value));
  }
  return total;
}

/** Text form of a constraint (`latencyMs<=5`). */
export function constraintText(c: Constraint): string {
  return `${c.metric}${c.op}${c.value}`;
}

/**
 * Why a metric value cannot be right (NaN, infinite, below or above its registered range), or
 * undefined when it is valid. Unknown metric names only need to be finite.
 */
export function metricValueProblem(name: string, v: unknown): string | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v)) return `${name} is ${JSON.stringify(v) ?? 'missing'}, expected a finite number`;
  const m = findMetric(name);
  if (m?.min !== undefined && v < m.min) return `${name} is ${v}, below its minimum ${m.min}`;
  if (m?.max !== undefined && v > m.max) return `${name} is ${v}, above its maximum ${m.max}`;
  return undefined;
}
