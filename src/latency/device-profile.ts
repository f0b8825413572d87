import { existsSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../errors.ts';
import { MAX_ROUNDS, MAX_THREADS, MAX_TIMED_RUNS, MAX_TIMING_MS } from '../limits.ts';
import { parseJson, readTextFile, validateAgainst } from '../util/json-file.ts';

/**
 * Timing settings of a measured device (docs/latency-protocol.md). A batch of candidates is timed in
 * interleaved rounds; each candidate keeps being timed until the 95 % confidence interval of its
 * median is within ±`ciTolerancePct` % or its timed runs reach `maxTimeMs`, and never before the
 * minimums (`iterations`, `minTimeMs`, `minRounds`) are met.
 */
export interface TimingOptions {
  /** Untimed runs of a fresh session before its first timed round; the phase stops at `MAX_TIMING_MS` whatever the count. @defaultValue 5 */
  warmupRuns: number;
  /** Keep warming up at least this long. @defaultValue 100 */
  warmupMs: number;
  /** Timed runs of a candidate over all its rounds, at least — unless its timing reaches `MAX_TIMING_MS` first (the `samples` metric says how many ran). @defaultValue 30 */
  iterations: number;
  /** Time a candidate at least this long over all its rounds. @defaultValue 300 */
  minTimeMs: number;
  /**
   * Rounds at least; each round times every unfinished candidate of the batch once, for
   * `iterations / minRounds` runs and `minTimeMs / minRounds` ms. The confidence interval is taken
   * over the rounds' medians, and 6 is the fewest values that give a 95 % one. @defaultValue 6
   */
  minRounds: number;
  /** Stop timing a candidate once the 95 % CI of its median lies within ± this % of it. @defaultValue 2 */
  ciTolerancePct: number;
  /** Stop timing a candidate after this much timed time even when the tolerance is not reached (the row is flagged). @defaultValue 1000 */
  maxTimeMs: number;
}

interface Common {
  id: string;
  description?: string;
}

/** A device measured live on a runtime of this machine. */
export interface MeasuredDevice extends Common {
  kind: 'measured';
  /** Registered runtime id (`ort-cpu`, `ort-webgpu`, `tfjs-webgpu`...). */
  runtime: string;
  /** Intra-op threads, 0 = all cores. @defaultValue 0 */
  threads: number;
  timing: TimingOptions;
  /**
   * Cores the measuring process is pinned to while it measures (Linux, `taskset`); elsewhere the
   * device is unavailable (exit 3). @defaultValue unset: the OS schedules freely
   */
  cpus?: number[];
}

/** A device whose latency comes from a vendored table of published measurements. */
export interface TableDevice extends Common {
  kind: 'table';
  /** Table id in `data/` (e.g. `nb201`, `fbnet`). */
  table: string;
  /** Column of the table (device key in the source data). */
  key: string;
  /** Spaces the table covers; any other space is an error. */
  spaces: string[];
}

/** A device whose latency is predicted from a per-op lookup table. */
export interface LutDevice extends Common {
  kind: 'lut';
  /** LUT id (file under `data/luts/` or `devices/luts/`). */
  lut: string;
  spaces: string[];
}

export type DeviceProfile = MeasuredDevice | TableDevice | LutDevice;

const timing = {
  type: 'object', additionalProperties: false,
  properties: {
    warmupRuns: { type: 'integer', minimum: 0, maximum: MAX_TIMED_RUNS }, warmupMs: { type: 'number', minimum: 0, maximum: MAX_TIMING_MS },
    iterations: { type: 'integer', minimum: 1, maximum: MAX_TIMED_RUNS }, minTimeMs: { type: 'number', minimum: 0, maximum: MAX_TIMING_MS },
    minRounds: { type: 'integer', minimum: 6, maximum: MAX_ROUNDS }, ciTolerancePct: { type: 'number', exclusiveMinimum: 0, maximum: 100 },
    maxTimeMs: { type: 'number', minimum: 0, maximum: MAX_TIMING_MS },
  },
};
const cpus = { type: 'array', items: { type: 'integer', minimum: 0, maximum: MAX_THREADS - 1 }, minItems: 1, maxItems: MAX_THREADS, uniqueItems: true };
const id = { type: 'string', pattern: '^[a-z0-9][a-z0-9_.-]*$', maxLength: 64 };
const name = { type: 'string', minLength: 1, maxLength: 256 };
const description = { type: 'string', maxLength: 10_000 };
const spaces = { type: 'array', items: name, minItems: 1, maxItems: 256 };

/** JSON Schema of `devices/<id>.json`. */
export const deviceSchema = {
  type: 'object',
  required: ['id', 'kind'],
  properties: { kind: { enum: ['measured', 'table', 'lut'] } },
  allOf: [
    {
      if: { properties: { kind: { const: 'measured' } } },
      then: {
        additionalProperties: false, required: ['id', 'kind', 'runtime'],
        properties: { $schema: { type: 'string' }, id, kind: true, description, runtime: name, threads: { type: 'integer', minimum: 0, maximum: MAX_THREADS }, timing, cpus },
      },
    },
    {
      if: { properties: { kind: { const: 'table' } } },
      then: {
        additionalProperties: false, required: ['id', 'kind', 'table', 'key', 'spaces'],
        properties: { $schema: { type: 'string' }, id, kind: true, description, table: name, key: name, spaces },
      },
    },
    {
      if: { properties: { kind: { const: 'lut' } } },
      then: {
        additionalProperties: false, required: ['id', 'kind', 'lut', 'spaces'],
        properties: { $schema: { type: 'string' }, id, kind: true, description, lut: name, spaces },
      },
    },
  ],
} as const;

/** Default timing of measured devices. */
export const DEFAULT_TIMING: TimingOptions = { warmupRuns: 5, warmupMs: 100, iterations: 30, minTimeMs: 300, minRounds: 6, ciTolerancePct: 2, maxTimeMs: 1000 };

/** Folder of the built-in device profiles (`devices/` at the package root). */
export const DEVICES_DIR = fileURLToPath(new URL('../../devices/', import.meta.url));

/** Ids of the built-in device profiles. */
export function builtinDeviceIds(): string[] {
  return readdirSync(DEVICES_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'schema.json')
    .map((f) => basename(f, '.json'))
    .sort();
}

/** Loaded profiles by file, with the text they were read from (an edited file is loaded again). */
const cache = new Map<string, { text: string; device: DeviceProfile }>();
const files = new WeakMap<DeviceProfile, string>();

/** The file a loaded device profile came from (for messages that name it). */
export function deviceFile(dev: DeviceProfile): string | undefined {
  return files.get(dev);
}

/** Load a device profile by built-in id or path; any problem is an {@link InputError}. */
export function loadDevice(idOrPath: string): DeviceProfile {
  if (typeof idOrPath !== 'string' || idOrPath.trim() === '') {
    throw new InputError('bad-argument', 'not a device id or path', { path: 'loadDevice(idOrPath)', expected: `a built-in device id (${builtinDeviceIds().join(', ')}) or a path to a .json file`, actual: typeof idOrPath === 'string' ? '""' : `${typeof idOrPath} ${String(JSON.stringify(idOrPath) ?? idOrPath).slice(0, 80)}` });
  }
  const isPath = idOrPath.endsWith('.json') || idOrPath.includes('/');
  const file = isPath ? resolve(idOrPath) : join(DEVICES_DIR, `${idOrPath}.json`);
  if (!existsSync(file)) {
    if (isPath) throw new InputError('io', 'no such device file', { file });
    throw new InputError('unknown-id', `unknown device "${idOrPath}"`, { path: 'loadDevice(idOrPath)', expected: `one of ${builtinDeviceIds().join(', ')} or a path to a .json file` });
  }
  const text = readTextFile(file);
  const hit = cache.get(file);
  if (hit?.text === text) return hit.device;
  const raw = validateAgainst<DeviceProfile>(deviceSchema, parseJson(text, file), file);
  const dev: DeviceProfile = raw.kind === 'measured' ? { ...raw, threads: raw.threads ?? 0, timing: { ...DEFAULT_TIMING, ...raw.timing } } : raw;
  if (!isPath && dev.id !== idOrPath) {
    throw new InputError('schema', 'device id differs from its file name', { file, path: '/id', expected: JSON.stringify(idOrPath), actual: JSON.stringify(dev.id) });
  }
  cache.set(file, { text, device: dev });
  files.set(dev, file);
  return dev;
}

/** The error for a measured device whose `runtime` is not one of `known`: names the device file and `/runtime`. */
export function unknownRuntimeError(dev: MeasuredDevice, known: readonly string[]): InputError {
  const file = files.get(dev);
  return new InputError('unknown-id', `device "${dev.id}" names an unknown runtime`, { ...(file !== undefined && { file }), path: '/runtime', expected: `one of ${known.join(', ')}`, actual: JSON.stringify(dev.runtime) });
}

/** Throws unless the device can give latency for the space (table and LUT devices cover few spaces). */
export function checkDeviceForSpace(dev: DeviceProfile, spaceId: string): void {
  if (dev.kind !== 'measured' && !dev.spaces.includes(spaceId)) {
    throw new InputError('incompatible', `device "${dev.id}" has latency only for ${dev.spaces.join(', ')}`, { path: '--device', expected: `a device for space "${spaceId}"`, actual: JSON.stringify(dev.id) });
  }
}
