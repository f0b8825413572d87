import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/**
 * Access to the benchmark tables vendored under `data/` (see `data/README.md` for provenance,
 * licences and the script that made them). Each file is gunzipped and parsed at most once per
 * process, on first use; nothing here reads outside the package.
 */

/** Folder of the vendored tables (`data/` at the package root). */
export const DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));

/** Absolute path of a vendored file, e.g. `dataPath('nb201/latency.json.gz')`. */
export function dataPath(rel: string): string {
  return fileURLToPath(new URL(`../../data/${rel}`, import.meta.url));
}

const parsed = new Map<string, unknown>();

/** Gunzip and parse a vendored `.json.gz` once per process. A missing file is a broken install. */
export function readGzJson<T>(rel: string): T {
  let hit = parsed.get(rel);
  if (hit === undefined) {
    hit = JSON.parse(gunzipSync(readFileSync(dataPath(rel))).toString('utf8')) as unknown;
    parsed.set(rel, hit);
  }
  return hit as T;
}

/** Number of cells of the NAS-Bench-201 topology space (5 ops on 6 edges). */
export const NB201_SIZE = 15_625;

/** `data/nb201/accuracy.json.gz`: arrays indexed by the official NAS-Bench-201 API index. */
export interface Nb201AccuracyFile {
  description: string;
  ops: string[];
  archStrings: string[];
  cifar10TestAcc: number[];
  cifar100TestAcc: number[];
  imagenet16TestAcc: number[];
  cifar10ValidAcc: number[];
  cifar100ValidAcc: number[];
  imagenet16ValidAcc: number[];
}

/** `data/nb201/latency.json.gz` and `data/fbnet/latency.json.gz`: per device key, ms per arch index. */
export interface LatencyFile {
  description: string;
  latencyMs: Record<string, number[]>;
}

/** `data/fbnet/latency.json.gz`: 5,000 sampled FBNet archs, 22 op indices each into `ops`. */
export interface FbnetLatencyFile extends LatencyFile {
  ops: string[];
  dataset: string;
  numClasses: number;
  archs: number[][];
}

/** `data/macro/accuracy.json.gz`: NAS-Bench-Macro results keyed by the 8-digit arch string. */
export interface MacroAccuracyFile {
  description: string;
  accuracy: Record<string, { testAcc: number[]; meanAcc: number; std: number }>;
}

function broken(file: string, what: string): never {
  throw new Error(`vendored table data/${file} is broken: ${what}`);
}

/** The NAS-Bench-201 accuracy file, checked for shape on first load. */
export function nb201Accuracy(): Nb201AccuracyFile {
  const rel = 'nb201/accuracy.json.gz';
  const fresh = !parsed.has(rel);
  const f = readGzJson<Nb201AccuracyFile>(rel);
  if (fresh) {
    for (const k of ['archStrings', 'cifar10TestAcc', 'cifar100TestAcc', 'imagenet16TestAcc', 'cifar10ValidAcc', 'cifar100ValidAcc', 'imagenet16ValidAcc'] as const) {
      if (f[k]?.length !== NB201_SIZE) broken(rel, `${k} must have ${NB201_SIZE} entries`);
    }
  }
  return f;
}

let nb201Index: Map<string, number> | undefined;

/** Official NAS-Bench-201 API index of an arch string (`|op~0|+|op~0|op~1|+...`), if it is one. */
export function nb201IndexOf(arch: string): number | undefined {
  if (!nb201Index) {
    const strings = nb201Accuracy().archStrings;
    nb201Index = new Map(strings.map((s, i) => [s, i]));
    if (nb201Index.size !== NB201_SIZE) broken('nb201/accuracy.json.gz', 'duplicate arch strings');
  }
  return nb201Index.get(arch);
}

/** The NAS-Bench-Macro accuracy table, keyed by arch string. */
export function macroAccuracy(): MacroAccuracyFile['accuracy'] {
  return readGzJson<MacroAccuracyFile>('macro/accuracy.json.gz').accuracy;
}

/**
 * A latency table of published end-to-end measurements: one column per device key, one row per
 * architecture of the spaces it covers. Only the listed architectures have a value.
 */
export interface LatencyTable {
  /** Table id, the `table` field of a table device (`nb201`, `fbnet`). */
  readonly id: string;
  /** Space ids whose arch strings the table is keyed by. */
  readonly spaces: readonly string[];
  /** Device keys (columns). Loads the table. */
  keys(): string[];
  /** Latencies (ms) of a device key by row, or `undefined` for an unknown key. Loads the table. */
  column(key: string): Float64Array | undefined;
  /** Canonical arch string of every row, in row order. Loads the table. */
  archStrings(): readonly string[];
  /** Row of an arch string, or `undefined` if the table has no entry for it. */
  rowOf(arch: string): number | undefined;
}

class JsonLatencyTable implements LatencyTable {
  private columns = new Map<string, Float64Array>();
  private index: Map<string, number> | undefined;

  constructor(
    readonly id: string,
    readonly spaces: readonly string[],
    private readonly file: string,
    private readonly rows: number,
    private readonly strings: () => readonly string[],
  ) {}

  private data(): LatencyFile {
    const fresh = !parsed.has(this.file);
    const f = readGzJson<LatencyFile>(this.file);
    if (fresh) {
      for (const [key, col] of Object.entries(f.latencyMs)) {
        if (col.length !== this.rows) broken(this.file, `column ${key} must have ${this.rows} entries`);
      }
    }
    return f;
  }

  keys(): string[] {
    return Object.keys(this.data().latencyMs).sort();
  }

  column(key: string): Float64Array | undefined {
    let col = this.columns.get(key);
    if (!col) {
      const raw = Object.hasOwn(this.data().latencyMs, key) ? this.data().latencyMs[key] : undefined;
      if (!raw) return undefined;
      col = Float64Array.from(raw);
      this.columns.set(key, col);
    }
    return col;
  }

  archStrings(): readonly string[] {
    return this.strings();
  }

  rowOf(arch: string): number | undefined {
    if (!this.index) this.index = new Map(this.strings().map((s, i) => [s, i]));
    return this.index.get(arch);
  }
}

let fbnetStrings: string[] | undefined;

/**
 * Arch strings of the 5,000 FBNet rows: the 22 op names joined by `-` (e.g. `k5_e6-skip-k3_e1-...`),
 * the encoding the `fbnet-cifar100` space uses.
 */
export function fbnetArchStrings(): readonly string[] {
  if (!fbnetStrings) {
    const f = readGzJson<FbnetLatencyFile>('fbnet/latency.json.gz');
    fbnetStrings = f.archs.map((a, k) => {
      if (a.length !== 22) broken('fbnet/latency.json.gz', `archs[${k}] must have 22 ops`);
      return a.map((i) => f.ops[i] ?? broken('fbnet/latency.json.gz', `archs[${k}] has op index ${i}`)).join('-');
    });
  }
  return fbnetStrings;
}

const tables = new Map<string, LatencyTable>();

/** Register a latency table under its id. */
export function registerLatencyTable(t: LatencyTable): void {
  tables.set(t.id, t);
}

/** Ids of the registered latency tables. */
export function latencyTableIds(): string[] {
  return [...tables.keys()].sort();
}

/** The latency table with this id, or `undefined`. */
export function getLatencyTable(id: string): LatencyTable | undefined {
  return tables.get(id);
}

registerLatencyTable(new JsonLatencyTable('nb201', ['nb201'], 'nb201/latency.json.gz', NB201_SIZE, () => nb201Accuracy().archStrings));
registerLatencyTable(new JsonLatencyTable('fbnet', ['fbnet-cifar100'], 'fbnet/latency.json.gz', 5_000, fbnetArchStrings));
