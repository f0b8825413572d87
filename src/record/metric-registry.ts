import { InputError } from '../errors.ts';

/** Whether a metric is better small or large. */
export type Direction = 'min' | 'max';

export interface MetricInfo {
  readonly name: string;
  readonly direction: Direction;
  readonly unit: string;
  readonly summary: string;
}

const metrics = new Map<string, MetricInfo>();

/** Register a metric name with its direction (used for objectives and constraints). */
export function registerMetric(info: MetricInfo): void {
  metrics.set(info.name, info);
}

for (const m of [
  { name: 'accuracy', direction: 'max', unit: '%', summary: 'search accuracy (validation accuracy for table spaces)' },
  { name: 'testAccuracy', direction: 'max', unit: '%', summary: 'test accuracy (reported, not searched on)' },
  { name: 'latencyMs', direction: 'min', unit: 'ms', summary: 'latency on the device (measured median, or table value)' },
  { name: 'predictedLatencyMs', direction: 'min', unit: 'ms', summary: 'latency predicted by a LUT or fitted predictor' },
  { name: 'paramCount', direction: 'min', unit: '', summary: 'trainable parameters (NAS-Bench-Macro convention)' },
  { name: 'flops', direction: 'min', unit: 'MACs', summary: 'multiply-accumulates of convolutions and linear layers' },
  { name: 'trainMs', direction: 'min', unit: 'ms', summary: 'wall time of proxy training (the training loop, without the held-out evaluation)' },
  { name: 'trainImagesPerS', direction: 'max', unit: 'images/s', summary: 'training images per second of proxy training' },
] as const) registerMetric(m);

/** Info of a registered metric; unknown names are an {@link InputError}. */
export function metricInfo(name: string, flag = '--objectives'): MetricInfo {
  const m = metrics.get(name);
  if (!m) throw new InputError('bad-metric', `unknown metric "${name}"`, { path: flag, expected: `one of ${[...metrics.keys()].join(', ')}` });
  return m;
}

/** An objective of the search: a metric and its direction. */
export interface Objective {
  readonly metric: string;
  readonly direction: Direction;
}

/** A constraint such as `latencyMs<=5`. */
export interface Constraint {
  readonly metric: string;
  readonly op: '<=' | '>=';
  readonly value: number;
}

/** Parse `accuracy,latencyMs` into objectives with their registered directions. */
export function parseObjectives(text: string): Objective[] {
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new InputError('bad-flag', 'no objectives given', { path: '--objectives', expected: 'a comma-separated list like accuracy,latencyMs' });
  if (new Set(names).size !== names.length) throw new InputError('bad-flag', 'an objective is repeated', { path: '--objectives', actual: JSON.stringify(text) });
  return names.map((n) => ({ metric: n, direction: metricInfo(n).direction }));
}

/** Parse `latencyMs<=5` (also `>=`). */
export function parseConstraint(text: string): Constraint {
  const m = /^\s*([A-Za-z][A-Za-z0-9_]*)\s*(<=|>=)\s*(-?[0-9.]+(?:e-?\d+)?)\s*$/.exec(text);
  if (!m) throw new InputError('bad-flag', 'malformed constraint', { path: '--constraint', expected: 'METRIC<=VALUE or METRIC>=VALUE, e.g. latencyMs<=5', actual: JSON.stringify(text) });
  metricInfo(m[1]!, '--constraint');
  const value = Number(m[3]);
  if (!Number.isFinite(value)) throw new InputError('bad-flag', 'constraint value is not a number', { path: '--constraint', actual: JSON.stringify(text) });
  return { metric: m[1]!, op: m[2] as '<=' | '>=', value };
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
    const excess = c.op === '<=' ? v - c.value : c.value - v;
    if (excess > 0) total += excess / (c.value === 0 ? 1 : Math.abs(c.value));
  }
  return total;
}
