import { metricValueProblem } from './metric-registry.ts';

/**
 * Result of evaluating one architecture on one device. A candidate that fails to build, export or run
 * is a value (`status: 'failed'`), never a thrown error.
 */
export type Outcome =
  | {
      status: 'ok';
      /** Numeric metrics: `accuracy`, `latencyMs`, `paramCount`, `flops`, `predictedLatencyMs`... */
      metrics: Record<string, number>;
      /** Non-numeric facts about the measurement (runtime, version, provider...). */
      info?: Record<string, string | number>;
    }
  | { status: 'failed'; error: string };

/** Which metric names are allowed (a `Set` of names, or any test of a name). */
export interface MetricFilter {
  has(name: string): boolean;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Why `x` is not a valid {@link Outcome}, or undefined when it is. The one check of an outcome that
 * enters from outside this process: a journal line replayed on resume and a worker's result as it
 * arrives from the queue go through it alike, so a number refused at resume is never published live.
 * Every metric must be in its registered range ({@link metricValueProblem}); with `allowed`, an ok
 * outcome may set only those metrics (a latency job never sets accuracy).
 */
export function outcomeProblem(x: unknown, allowed?: MetricFilter): string | undefined {
  if (!isRecord(x)) return 'outcome is missing';
  if (x.status === 'failed') return typeof x.error === 'string' ? undefined : 'failed outcome without an error text';
  if (x.status !== 'ok') return `outcome status is ${JSON.stringify(x.status)}, expected "ok" or "failed"`;
  if (!isRecord(x.metrics)) return 'outcome has no metrics';
  for (const [k, v] of Object.entries(x.metrics)) {
    const p = metricValueProblem(k, v);
    if (p) return p;
    if (allowed && !allowed.has(k)) return `metric ${k} is not one this evaluation sets${allowed instanceof Set ? ` (${[...(allowed as Set<string>)].join(', ') || 'none'})` : ''}`;
  }
  if (x.info !== undefined) {
    if (!isRecord(x.info)) return 'outcome info is not an object';
    for (const [k, v] of Object.entries(x.info)) if (typeof v !== 'string' && typeof v !== 'number') return `info ${k} is ${JSON.stringify(v)}, expected a string or number`;
  }
  return undefined;
}
