import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { TruthFront } from './exact-front.ts';
import { constraintText } from './metric-registry.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';

/** Files written by {@link writeTruthFront}. */
export interface TruthFiles {
  /** `truth-<space>-<device>.csv`: the front, one architecture per row. */
  csv: string;
  /** `truth-<space>-<device>.json`: normalisation, reference point, hypervolume, front size. */
  json: string;
}

/** Columns of the truth CSV: arch, the objectives, then `testAccuracy` when it is not an objective. */
export function truthColumns(truth: TruthFront): string[] {
  const cols = ['arch', ...truth.objectives.map((o) => o.metric)];
  for (const extra of ['accuracy', 'latencyMs', 'testAccuracy']) {
    if (!cols.includes(extra) && truth.front.some((p) => p.metrics[extra] !== undefined)) cols.push(extra);
  }
  return cols;
}

/**
 * Base name `truth-<space>[-<device>]`, then one `-<metric>-le-<value>` (or `-ge-`) per constraint,
 * so that the fronts of a problem with and without constraints sit side by side.
 */
export function truthBaseName(truth: Pick<TruthFront, 'space' | 'device' | 'constraints'>): string {
  const cons = (truth.constraints ?? []).map((c) => `-${c.metric}-${c.op === '<=' ? 'le' : 'ge'}-${c.value}`).join('');
  return `truth-${truth.space}${truth.device !== undefined ? `-${truth.device}` : ''}${cons}`;
}

/** Write the true front (CSV) and its summary (JSON) into `dir`. Values are written unrounded. */
export function writeTruthFront(dir: string, truth: TruthFront): TruthFiles {
  const base = truthBaseName(truth);
  const cols = truthColumns(truth);
  const csv = join(dir, `${base}.csv`);
  const json = join(dir, `${base}.json`);
  const rows = truth.front.map((p) => cols.map((c) => (c === 'arch' ? p.arch : p.metrics[c] ?? '')));
  writeFileAtomic(csv, stringify(rows, { header: true, columns: cols }));
  const summary = {
    space: truth.space,
    device: truth.device ?? null,
    objectives: truth.objectives.map((o) => `${o.metric}:${o.direction}`),
    constraints: (truth.constraints ?? []).map(constraintText),
    enumerated: truth.enumerated,
    feasible: truth.feasible,
    frontSize: truth.front.length,
    normalisation: {
      note: "minimisation values (maximised metrics negated) mapped so that the exact front's ideal point -> 0 and its nadir point -> 1 in every objective",
      ideal: truth.bounds.ideal,
      nadir: truth.bounds.nadir,
    },
    referencePoint: truth.reference,
    hypervolume: truth.hypervolume,
  };
  writeFileAtomic(json, `${JSON.stringify(summary, null, 2)}\n`);
  return { csv, json };
}
