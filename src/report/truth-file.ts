import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { normalizePoints } from '../pareto/normalize.ts';
import { constraintText, type Constraint, type Objective } from '../record/metric-registry.ts';
import { csvNumber, parseCsv } from './read-csv.ts';

/**
 * An exact Pareto front as `hwnas truth` and `hwnas compare` write it (`truth-<space>-<device>.json`
 * and `.csv`): the front's architectures, the fixed normalisation (ideal ↦ 0, nadir ↦ 1 of the
 * minimisation values) and the reference point in which runs are scored.
 */
export interface TruthData {
  file: string;
  space: string;
  device: string | null;
  objectives: Objective[];
  /** The front is that of the architectures meeting these (none: unconstrained). */
  constraints: Constraint[];
  ideal: number[];
  nadir: number[];
  reference: number[];
  /** Hypervolume of the exact front in the normalised space. */
  hypervolume: number;
  /** Architectures enumerated. */
  enumerated: number;
  /** Of those, the ones meeting the constraints (NaN when the file does not say). */
  feasible: number;
  front: { arch: string; metrics: Record<string, number> }[];
  /** Normalised minimisation vectors of `front`, same order. */
  normalizedFront: number[][];
  /** How the normalisation was chosen, as the JSON states it. */
  note: string;
}

/** `latencyMs<=5` → constraint; undefined when it is not one. */
export function parseConstraintText(text: string): Constraint | undefined {
  const m = /^\s*([^<>=\s]+)\s*(<=|>=)\s*(-?[0-9.]+(?:e-?\d+)?)\s*$/.exec(text);
  return m ? { metric: m[1]!, op: m[2] as '<=' | '>=', value: Number(m[3]) } : undefined;
}

/** Whether two lists hold the same constraints, in any order. */
export function sameConstraints(a: readonly Constraint[], b: readonly Constraint[]): boolean {
  const key = (cs: readonly Constraint[]) => cs.map(constraintText).sort().join('&');
  return key(a) === key(b);
}

/** `accuracy:max` → objective. */
export function parseObjectiveText(text: string): Objective {
  const [metric = '', dir = 'min'] = text.split(':');
  return { metric, direction: dir === 'max' ? 'max' : 'min' };
}

/** Minimisation vector (maximised metrics negated); undefined when a metric is missing or not finite. */
export function minimisationVector(objectives: readonly Objective[], metrics: Readonly<Record<string, number>>): number[] | undefined {
  const out: number[] = [];
  for (const o of objectives) {
    const v = metrics[o.metric];
    if (v === undefined || !Number.isFinite(v)) return undefined;
    out.push(o.direction === 'max' ? -v : v);
  }
  return out;
}

/** Read `truth-*.json` (+ its `.csv`) from a file path. Malformed files are an {@link InputError}. */
export function readTruthFile(jsonFile: string): TruthData {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(readFileSync(jsonFile, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new InputError('bad-json', `cannot read the exact front (${(e as Error).message.split('\n')[0]})`, { file: jsonFile });
  }
  const norm = (j.normalisation ?? {}) as { ideal?: number[]; nadir?: number[]; note?: string };
  if (!Array.isArray(j.objectives) || !Array.isArray(norm.ideal) || !Array.isArray(norm.nadir) || !Array.isArray(j.referencePoint)) {
    throw new InputError('schema', 'not an exact-front summary', { file: jsonFile, expected: 'objectives, normalisation.ideal/nadir and referencePoint' });
  }
  const objectives = (j.objectives as unknown[]).map((o) => (typeof o === 'string' ? parseObjectiveText(o) : { metric: String((o as Objective).metric), direction: (o as Objective).direction === 'max' ? 'max' as const : 'min' as const }));
  const csvFile = jsonFile.replace(/\.json$/, '.csv');
  if (!existsSync(csvFile)) throw new InputError('io', 'missing the front of the exact-front summary', { file: csvFile, expected: `the CSV beside ${jsonFile}` });
  const t = parseCsv(readFileSync(csvFile, 'utf8'));
  const ai = t.columns.indexOf('arch');
  const front = t.rows.map((r) => {
    const metrics: Record<string, number> = {};
    t.columns.forEach((c, k) => {
      const v = k === ai ? undefined : csvNumber(r[k]);
      if (v !== undefined) metrics[c] = v;
    });
    return { arch: r[ai] ?? '', metrics };
  });
  const vectors = front.map((p) => minimisationVector(objectives, p.metrics)).filter((v): v is number[] => v !== undefined);
  return {
    file: jsonFile,
    space: String(j.space ?? ''),
    device: typeof j.device === 'string' ? j.device : null,
    objectives,
    constraints: Array.isArray(j.constraints) ? (j.constraints as unknown[]).flatMap((c) => (typeof c === 'string' && parseConstraintText(c) ? [parseConstraintText(c)!] : [])) : [],
    ideal: norm.ideal,
    nadir: norm.nadir,
    reference: j.referencePoint as number[],
    hypervolume: Number(j.hypervolume),
    enumerated: Number(j.enumerated ?? NaN),
    feasible: Number(j.feasible ?? j.enumerated ?? NaN),
    front,
    normalizedFront: normalizePoints(vectors, { ideal: norm.ideal, nadir: norm.nadir }),
    note: norm.note ?? '',
  };
}

/** Every `truth-*.json` in a folder. */
export function readTruthFiles(dir: string): TruthData[] {
  return readdirSync(dir).filter((f) => /^truth-.*\.json$/.test(f)).sort().map((f) => readTruthFile(join(dir, f)));
}
