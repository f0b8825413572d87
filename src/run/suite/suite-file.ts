import { existsSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../errors.ts';
import { builtinDeviceIds } from '../../latency/device-profile.ts';
import type { Constraint } from '../../record/metric-registry.ts';
import { builtinSpaceIds } from '../../space/space-registry.ts';
import { contentHash } from '../../util/content-hash.ts';
import { parseJson, readJsonFile, readTextFile, validateAgainst } from '../../util/json-file.ts';
import { accuracyKeys, problemDevices } from './problem-metrics.ts';

/** Folder of the built-in suite files (`suites/` at the package root) and their JSON Schema. */
export const SUITES_DIR = fileURLToPath(new URL('../../../suites/', import.meta.url));

/**
 * What defines a problem before it is solved: a space × accuracy key × objectives (× constraints).
 * Objective and constraint names follow the suite contract: `accuracy` (maximised; the table field
 * `accuracyKey`), `paramCount`, `flops` and `latencyMs@<device>` (minimised).
 */
export interface SuiteProblemSpec {
  readonly id: string;
  readonly description: string;
  readonly space: string;
  readonly accuracyKey: string;
  readonly objectives: readonly string[];
  /** @defaultValue none */
  readonly constraints?: readonly Constraint[];
}

/** One exact front point: the architecture and its objective values in their own units. */
export interface SuiteFrontPoint {
  readonly arch: string;
  readonly values: readonly number[];
}

/** A released problem: its definition, fixed normalisation, reference point and exact front. */
export interface SuiteProblem extends SuiteProblemSpec {
  /** Table devices named in objectives and constraints, in order of first mention. */
  readonly devices: readonly string[];
  /** `[lo, hi]` per objective in its own units (the exact front's worst and best values). */
  readonly bounds: readonly (readonly [number, number])[];
  /** Reference point in the normalised space. */
  readonly referencePoint: readonly number[];
  /** Exact hypervolume of {@link SuiteProblem.front} in the normalised space. */
  readonly frontHypervolume: number;
  readonly frontSize: number;
  /** Architectures enumerated (the whole space). */
  readonly enumerated: number;
  /** Architectures meeting every constraint. */
  readonly feasible: number;
  /** The exact Pareto front over the feasible architectures, best accuracy first. */
  readonly front: readonly SuiteFrontPoint[];
}

/** A suite file (`suites/<id>.json`). */
export interface Suite {
  readonly id: string;
  readonly version: string;
  readonly status: 'released';
  readonly description: string;
  readonly normalisation: string;
  readonly provenance: { readonly generator: string; readonly tables: Readonly<Record<string, string>>; readonly hypervolume: string };
  readonly problems: readonly SuiteProblem[];
}

/** A loaded suite with where it came from. */
export interface LoadedSuite extends Suite {
  /** Absolute path of the file. */
  readonly file: string;
  /** SHA-256 of the file's canonical JSON (its identity in results folders). */
  readonly contentHash: string;
}

/**
 * Released suites by id: the version and the content hash (`contentHash` of the file's JSON) they
 * were released with. A released suite never changes; a changed one is a new id. A file that claims
 * a released id with other content is refused by `suite run`.
 */
export const RELEASED_SUITES: Readonly<Record<string, { readonly version: string; readonly contentHash: string }>> = {
  'hwnas-v1': { version: '1.0.0', contentHash: '372e943d78708cf8a15a45b20b7c9aefbf4fe0fbcd7d509c8547113191741c12' },
};

/** Ids of the built-in suites. */
export function builtinSuiteIds(): string[] {
  return readdirSync(SUITES_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'schema.json')
    .map((f) => basename(f, '.json'))
    .sort();
}

let schema: object | undefined;

/** The JSON Schema of suite files (`suites/schema.json`). */
export function suiteSchema(): object {
  schema ??= readJsonFile(join(SUITES_DIR, 'schema.json')) as object;
  return schema;
}

/**
 * Load a suite by built-in id (`hwnas-v1`) or by path to a `.json` file: parsed, validated against
 * `suites/schema.json`, then checked for what a schema cannot say (unique problem ids, one bound, one
 * reference coordinate and one front value per objective, `devices` = the devices the objectives
 * and constraints name, a known space and accuracy key). Any problem is an {@link InputError}.
 */
export function loadSuite(idOrPath: string, flag = '--suite'): LoadedSuite {
  const isPath = idOrPath.endsWith('.json') || idOrPath.includes('/');
  const file = isPath ? resolve(idOrPath) : join(SUITES_DIR, `${idOrPath}.json`);
  if (!existsSync(file)) {
    if (isPath) throw new InputError('io', 'no such suite file', { file });
    throw new InputError('unknown-id', `unknown suite "${idOrPath}"`, { path: flag, expected: `one of ${builtinSuiteIds().join(', ')} or a path to a .json file` });
  }
  const data = parseJson(readTextFile(file), file);
  const suite = validateAgainst<Suite>(suiteSchema(), data, file);
  if (!isPath && suite.id !== idOrPath) {
    throw new InputError('schema', 'suite id differs from its file name', { file, path: '/id', expected: JSON.stringify(idOrPath), actual: JSON.stringify(suite.id) });
  }
  checkSuite(suite, file);
  return { ...suite, file, contentHash: contentHash(data) };
}

/**
 * A suite handed to the library as an object (`runSuite({ suite })`): checked as a file would be
 * (schema, contract), its content hash computed again; problems are named under `field`.
 */
export function suiteFromObject(v: unknown, field = 'options.suite'): LoadedSuite {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InputError('bad-argument', 'not a suite', { path: field, expected: 'a suite from loadSuite(id or path), or its id or path', actual: JSON.stringify(v)?.slice(0, 80) ?? typeof v });
  const { file, contentHash: _claimed, ...content } = v as Record<string, unknown>;
  const where = typeof file === 'string' && file !== '' ? file : field;
  const suite = validateAgainst<Suite>(suiteSchema(), content, where);
  checkSuite(suite, where);
  return { ...suite, file: where, contentHash: contentHash(content) };
}

function checkSuite(suite: Suite, file: string): void {
  const seen = new Set<string>();
  const spaces = builtinSpaceIds();
  const devices = new Set(builtinDeviceIds());
  const bad = (i: number, path: string, expected: string, actual: unknown): never => {
    throw new InputError('schema', 'does not match the suite contract', { file, path: `/problems/${i}${path}`, expected, actual: JSON.stringify(actual) });
  };
  suite.problems.forEach((p, i) => {
    if (seen.has(p.id)) bad(i, '/id', 'a problem id used once', p.id);
    seen.add(p.id);
    if (!spaces.includes(p.space)) bad(i, '/space', `a built-in space (${spaces.join(', ')})`, p.space);
    const keys = accuracyKeys(p.space);
    if (!keys.includes(p.accuracyKey)) bad(i, '/accuracyKey', `an accuracy field of ${p.space}: ${keys.join(', ') || 'none'}`, p.accuracyKey);
    if (!p.objectives.includes('accuracy')) bad(i, '/objectives', 'a list including accuracy', p.objectives);
    const m = p.objectives.length;
    if (p.bounds.length !== m) bad(i, '/bounds', `${m} [lo, hi] pairs, one per objective`, p.bounds.length);
    p.bounds.forEach(([lo, hi], j) => {
      if (!(hi > lo)) bad(i, `/bounds/${j}`, 'lo < hi', [lo, hi]);
    });
    if (p.referencePoint.length !== m) bad(i, '/referencePoint', `${m} coordinates`, p.referencePoint.length);
    const named = problemDevices(p);
    if (named.join(',') !== p.devices.join(',')) bad(i, '/devices', `the devices named in objectives and constraints: ${JSON.stringify(named)}`, p.devices);
    for (const d of named) if (!devices.has(d)) bad(i, '/devices', 'built-in table devices', d);
    if (p.front.length !== p.frontSize) bad(i, '/frontSize', `the number of front points (${p.front.length})`, p.frontSize);
    if (p.feasible > p.enumerated) bad(i, '/feasible', `at most enumerated (${p.enumerated})`, p.feasible);
    p.front.forEach((pt, k) => {
      if (pt.values.length !== m) bad(i, `/front/${k}/values`, `${m} values`, pt.values.length);
    });
  });
}

/**
 * The suite as JSON text: two-space indentation, with arrays of numbers (bounds, reference point,
 * front values) and front points on one line each, so the file stays readable and diffs by point.
 */
export function formatSuiteJson(suite: Suite): string {
  const inline = (v: unknown): boolean =>
    Array.isArray(v) ? v.every((x) => typeof x !== 'object' || x === null || (Array.isArray(x) && x.every((y) => typeof y !== 'object'))) : false;
  const write = (v: unknown, indent: string, key: string | undefined): string => {
    if (v === null || typeof v !== 'object') return JSON.stringify(v);
    const inner = `${indent}  `;
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      if (inline(v)) return JSON.stringify(v);
      if (key === 'front' || key === 'constraints') return `[\n${v.map((x) => `${inner}${JSON.stringify(x)}`).join(',\n')}\n${indent}]`;
      return `[\n${v.map((x) => `${inner}${write(x, inner, undefined)}`).join(',\n')}\n${indent}]`;
    }
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${write(x, inner, k)}`).join(',\n')}\n${indent}}`;
  };
  return `${write(suite, '', undefined)}\n`;
}
