import { InputError } from '../errors.ts';
import { metricInfo, type Constraint, type Objective } from '../record/metric-registry.ts';

/** `accuracy,latencyMs` (or `accuracy,latencyMs@fpga` in a joint search) → objectives in their registered directions. */
export function parseObjectives(text: string, flag = '--objectives'): Objective[] {
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new InputError('bad-flag', 'no objectives given', { path: flag, expected: 'a comma-separated list like accuracy,latencyMs' });
  if (new Set(names).size !== names.length) throw new InputError('bad-flag', 'an objective is repeated', { path: flag, actual: JSON.stringify(text) });
  return names.map((n) => ({ metric: n, direction: metricInfo(n, flag).direction }));
}

/** `latencyMs<=5` (also `>=`, and `latencyMs@fpga<=3` in a joint search). */
export function parseConstraint(text: string, flag = '--constraint'): Constraint {
  const m = /^\s*([A-Za-z][A-Za-z0-9_]*(?:@[a-z0-9][a-z0-9_.-]*)?)\s*(<=|>=)\s*(-?[0-9.]+(?:e[-+]?\d+)?)\s*$/i.exec(text);
  if (!m) throw new InputError('bad-flag', 'malformed constraint', { path: flag, expected: 'METRIC<=VALUE or METRIC>=VALUE, e.g. latencyMs<=5', actual: JSON.stringify(text) });
  metricInfo(m[1]!, flag);
  const value = Number(m[3]);
  if (!Number.isFinite(value)) throw new InputError('bad-flag', 'constraint value is not a number', { path: flag, actual: JSON.stringify(text) });
  return { metric: m[1]!, op: m[2] as '<=' | '>=', value };
}

/** `KEY=VALUE` of `--option`: `true`/`false` become booleans, numbers numbers, anything else a string. */
export function parseOptionValue(kv: string, flag = '--option'): [string, number | string | boolean] {
  const eq = kv.indexOf('=');
  if (eq <= 0) throw new InputError('bad-flag', 'malformed option', { path: flag, expected: 'KEY=VALUE', actual: JSON.stringify(kv) });
  const k = kv.slice(0, eq);
  const v = kv.slice(eq + 1);
  if (v === 'true' || v === 'false') return [k, v === 'true'];
  const n = Number(v);
  return [k, v.trim() !== '' && Number.isFinite(n) ? n : v];
}
