import { InputError } from '../errors.ts';
import { findMetric, type PlainMetric } from '../record/metric-registry.ts';
import type { Outcome } from '../record/outcome.ts';

/**
 * What your code tells of a trial: a finite number for each of the study's told metrics (the keys
 * typed from `toldMetrics`), or `{ failed: reason }` when the candidate could not be evaluated.
 */
export type ToldValues<T extends string = string> = { readonly [K in T as PlainMetric<K>]: number } | { readonly failed: string };

const isPlainObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

const shown = (v: unknown): string => (typeof v === 'number' ? String(v) : typeof v === 'string' ? JSON.stringify(v) : v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

/**
 * The outcome of told `values`, checked at the library boundary: every key a told metric, every told
 * metric present, each a finite number in its registered range; or `{ failed: reason }` alone. Bad
 * values are an {@link InputError} naming the field (`values.accuracy`), expected and actual.
 */
export function toldOutcome(values: unknown, told: readonly string[], measured: Outcome & { status: 'ok' }): Outcome {
  if (!isPlainObject(values)) throw new InputError('bad-metric', 'told values are not an object', { path: 'values', expected: told.length > 0 ? `{ ${told.map((m) => `${m}: number`).join(', ')} } or { failed: reason }` : '{} or { failed: reason }', actual: shown(values) });
  if ('failed' in values) {
    const reason = values.failed;
    if (typeof reason !== 'string' || reason.trim() === '') throw new InputError('bad-metric', 'a failed trial needs a reason', { path: 'values.failed', expected: 'a non-empty string', actual: shown(reason) });
    const extra = Object.keys(values).filter((k) => k !== 'failed');
    if (extra.length > 0) throw new InputError('bad-metric', 'a failed trial has no metric values', { path: `values.${extra[0]}`, expected: '{ failed: reason } alone', actual: extra.join(', ') });
    return { status: 'failed', error: reason };
  }
  const metrics: Record<string, number> = { ...measured.metrics };
  for (const [k, v] of Object.entries(values)) {
    if (!told.includes(k)) {
      const hint = measured.metrics[k] !== undefined ? ` (${k} is measured by the study itself)` : '';
      throw new InputError('bad-metric', `unknown metric "${k}"${hint}`, { path: `values.${k}`, expected: told.length > 0 ? `one of the study's toldMetrics: ${told.join(', ')}` : 'no metric: the study has no toldMetrics', actual: k });
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError('bad-metric', `${k} is not a finite number`, { path: `values.${k}`, expected: 'a finite number', actual: shown(v) });
    const info = findMetric(k);
    if ((info?.min !== undefined && v < info.min) || (info?.max !== undefined && v > info.max)) {
      const range = info.max === undefined ? `≥ ${info.min}` : info.min === undefined ? `≤ ${info.max}` : `in [${info.min}, ${info.max}]${info.unit ? ` ${info.unit}` : ''}`;
      throw new InputError('bad-metric', `${k} is out of range`, { path: `values.${k}`, expected: `a value ${range}`, actual: String(v) });
    }
    metrics[k] = v;
  }
  const missing = told.filter((m) => !(m in values));
  if (missing.length > 0) throw new InputError('bad-metric', `metric "${missing[0]}" is missing`, { path: `values.${missing[0]}`, expected: `a finite number for each of ${told.join(', ')}`, actual: 'nothing' });
  return measured.info ? { status: 'ok', metrics, info: measured.info } : { status: 'ok', metrics };
}
