import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.ts';

/**
 * The folder of `hwnas accuracy-bench`, read from its files: `accuracy-bench.json` (one row per
 * signal and the ceiling, written when the bench finishes) and `scores.jsonl` (every signal ×
 * architecture score as it was journaled). Rows are checked field by field: the report draws
 * only what it has verified.
 */

/** A bench row as the report uses it. */
export interface BenchRowRead {
  signal: string;
  scored: number;
  failed: number;
  spearman: number | null;
  kendall: number | null;
  top10Precision: number | null;
  spearmanCi: [number, number] | null;
  kendallCi: [number, number] | null;
  top10PrecisionCi: [number, number] | null;
  cpuSecondsPerArch: number | null;
  /** One-off set-up CPU-seconds included in cpuSecondsPerArch (a supernet's training), 0 if none. */
  setupCpuSeconds: number;
  settings: Record<string, unknown>;
}

/** One journal line: a signal's score (or failure) of one architecture. */
export interface BenchScoreRead {
  signal: string;
  arch: string;
  score: number | null;
  error: string | null;
  cpuSeconds: number | null;
  wallMs: number | null;
}

export interface AccuracyBenchDir {
  kind: 'accuracy-bench';
  dir: string;
  name: string;
  config: Record<string, unknown>;
  space: string;
  seed: number | null;
  samples: number | null;
  groundTruth: string;
  rows: BenchRowRead[];
  scores: BenchScoreRead[];
  /** Journal lines that were not valid entries (a torn last line included). */
  badLines: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function schema(file: string, path: string, expected: string, actual: unknown): never {
  throw new InputError('schema', 'unexpected value', { file, path, expected, actual: JSON.stringify(actual) ?? 'nothing' });
}

function numberOrNull(file: string, path: string, v: unknown): number | null {
  if (v === null || v === undefined) return null;
  return finite(v) ? v : schema(file, path, 'a finite number or null', v);
}

function intervalOrNull(file: string, path: string, v: unknown): [number, number] | null {
  if (v === null || v === undefined) return null;
  return Array.isArray(v) && v.length === 2 && finite(v[0]) && finite(v[1]) && v[0] <= v[1] ? [v[0], v[1]] : schema(file, path, 'an interval [lo, hi] or null', v);
}

function readRows(file: string, v: unknown): BenchRowRead[] {
  if (!Array.isArray(v)) schema(file, '/rows', 'an array of rows', v);
  return v.map((r, i): BenchRowRead => {
    const at = `/rows/${i}`;
    if (!isObject(r)) schema(file, at, 'a row object', r);
    if (typeof r.signal !== 'string' || r.signal === '') schema(file, `${at}/signal`, 'a signal id', r.signal);
    const count = (k: 'scored' | 'failed'): number => (Number.isSafeInteger(r[k]) && (r[k] as number) >= 0 ? (r[k] as number) : schema(file, `${at}/${k}`, 'a count ≥ 0', r[k]));
    const settings = isObject(r.settings) ? r.settings : {};
    const cpu = numberOrNull(file, `${at}/cpuSecondsPerArch`, r.cpuSecondsPerArch);
    if (cpu !== null && cpu < 0) schema(file, `${at}/cpuSecondsPerArch`, 'seconds ≥ 0', cpu);
    return {
      signal: r.signal, scored: count('scored'), failed: count('failed'),
      spearman: numberOrNull(file, `${at}/spearman`, r.spearman),
      kendall: numberOrNull(file, `${at}/kendall`, r.kendall),
      top10Precision: numberOrNull(file, `${at}/top10Precision`, r.top10Precision),
      spearmanCi: intervalOrNull(file, `${at}/spearmanCi`, r.spearmanCi),
      kendallCi: intervalOrNull(file, `${at}/kendallCi`, r.kendallCi),
      top10PrecisionCi: intervalOrNull(file, `${at}/top10PrecisionCi`, r.top10PrecisionCi),
      cpuSecondsPerArch: cpu,
      setupCpuSeconds: finite(settings.setupCpuSeconds) && settings.setupCpuSeconds >= 0 ? settings.setupCpuSeconds : 0,
      settings,
    };
  });
}

function readScores(file: string): { scores: BenchScoreRead[]; badLines: number } {
  if (!existsSync(file)) return { scores: [], badLines: 0 };
  const scores: BenchScoreRead[] = [];
  let badLines = 0;
  const lines = readFileSync(file, 'utf8').split('\n');
  const torn = lines.pop() ?? '';
  if (torn !== '') badLines++;
  for (const line of lines) {
    if (line.trim() === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      badLines++;
      continue;
    }
    if (!isObject(v) || typeof v.signal !== 'string') {
      badLines++;
      continue;
    }
    if (v.setup === true) continue;
    if (typeof v.arch !== 'string') {
      badLines++;
      continue;
    }
    scores.push({
      signal: v.signal, arch: v.arch,
      score: finite(v.score) ? v.score : null,
      error: typeof v.error === 'string' ? v.error : null,
      cpuSeconds: finite(v.cpuSeconds) ? v.cpuSeconds : null,
      wallMs: finite(v.wallMs) ? v.wallMs : null,
    });
  }
  return { scores, badLines };
}

/** Read an accuracy-bench folder whose config.json has been read; what is missing is an {@link InputError}. */
export function readAccuracyBenchDir(dir: string, name: string, config: Record<string, unknown>): AccuracyBenchDir {
  const file = join(dir, 'accuracy-bench.json');
  if (!existsSync(file)) {
    throw new InputError('io', 'not a finished accuracy-bench folder: missing accuracy-bench.json', { file: dir, expected: 'the rows the bench writes when it ends (finish the run: hwnas accuracy-bench --out DIR --resume)' });
  }
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError('bad-json', `cannot read (${(e as Error).message.split('\n')[0]})`, { file });
  }
  if (!isObject(v)) schema(file, '', 'a JSON object', v);
  const rows = readRows(file, v.rows);
  const { scores, badLines } = readScores(join(dir, 'scores.jsonl'));
  return {
    kind: 'accuracy-bench', dir, name, config,
    space: String(v.space ?? config.space ?? '?'),
    seed: finite(v.seed) ? v.seed : null,
    samples: finite(v.samples) ? v.samples : null,
    groundTruth: typeof v.groundTruth === 'string' ? v.groundTruth : String(config.groundTruth ?? ''),
    rows, scores, badLines,
  };
}
