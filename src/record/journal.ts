import { closeSync, constants, existsSync, fstatSync, fsyncSync, ftruncateSync, lstatSync, openSync, readFileSync, writeSync } from 'node:fs';
import { InputError } from '../errors.ts';
import { dirname } from 'node:path';
import type { Genotype } from '../space/search-space.ts';
import { MAX_JSON_DEPTH } from '../limits.ts';
import { jsonDepth } from '../util/json-file.ts';
import { ensureWritableDir } from '../util/writable-dir.ts';
import { outcomeProblem, type MetricFilter, type Outcome } from './outcome.ts';

/** One line of a journal: an evaluation, written before the strategy hears of it. */
export interface JournalEntry {
  /** 1-based evaluation number within the run. */
  n: number;
  arch: string;
  genotype: Genotype;
  outcome: Outcome;
  /** Wall time of the evaluation, in ms. */
  evalMs: number;
  /** Who evaluated it (`host/pid` of a worker); absent for the coordinator's own process. */
  worker?: string;
  /** When the evaluation started and finished (ISO 8601). */
  startedAt?: string;
  finishedAt?: string;
  /**
   * What it was measured for: the device id, `a+b` for a joint study of devices `a` and `b`, the
   * space id without a device. A resume refuses a journal whose records name another target.
   */
  target?: string;
}

/** A journal line that was not used, and why. */
export interface JournalProblem {
  /** 1-based line number in the file. */
  line: number;
  reason: string;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Why `x` is not a valid {@link JournalEntry}, or undefined when it is. The outcome is checked by
 * {@link outcomeProblem}, as a worker's result is when it arrives; with `allowed`, only those metrics.
 */
export function journalEntryProblem(x: unknown, allowed?: MetricFilter): string | undefined {
  if (!isRecord(x)) return 'not a JSON object';
  if (!Number.isSafeInteger(x.n) || (x.n as number) < 1) return `n is ${JSON.stringify(x.n)}, expected a positive integer`;
  if (typeof x.arch !== 'string' || x.arch === '') return `arch is ${JSON.stringify(x.arch)}, expected an arch string`;
  if (!Array.isArray(x.genotype) || !x.genotype.every((v) => Number.isSafeInteger(v) && v >= 0)) return 'genotype is not an array of choice indices';
  if (typeof x.evalMs !== 'number' || !Number.isFinite(x.evalMs) || x.evalMs < 0) return `evalMs is ${JSON.stringify(x.evalMs)}, expected a duration ≥ 0`;
  for (const k of ['worker', 'startedAt', 'finishedAt', 'target'] as const) {
    if (x[k] !== undefined && typeof x[k] !== 'string') return `${k} is ${JSON.stringify(x[k])}, expected a string`;
  }
  return outcomeProblem(x.outcome, allowed);
}

/** The valid entries of a journal file (first entry of each arch, in file order) and the lines left out. */
export interface JournalContent {
  entries: JournalEntry[];
  problems: JournalProblem[];
  /** Bytes of a torn last line (a write cut short), 0 when the file ends with a newline. */
  tornBytes: number;
}

/**
 * Throws an {@link InputError} when `file` exists and is not a regular file: a symbolic link (it
 * would send reads and appends outside the results folder), a folder, a device.
 */
export function checkJournalFile(file: string): void {
  let st;
  try {
    st = lstatSync(file);
  } catch {
    return; // missing: a new journal
  }
  if (st.isSymbolicLink()) throw new InputError('io', 'the journal is a symbolic link; hwnas reads and appends journals only as regular files inside the results folder', { file, expected: 'a regular file (copy the journal in, or remove the link)' });
  if (!st.isFile()) throw new InputError('io', 'the journal is not a regular file', { file, expected: 'a regular file' });
}

/** Read and validate a journal file without changing it; a missing file is an empty journal. */
export function readJournalFile(file: string): JournalContent {
  const entries: JournalEntry[] = [];
  const problems: JournalProblem[] = [];
  checkJournalFile(file);
  if (!existsSync(file)) return { entries, problems, tornBytes: 0 };
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const torn = lines.pop() ?? '';
  const seen = new Set<string>();
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      problems.push({ line: i + 1, reason: 'not valid JSON' });
      return;
    }
    if (jsonDepth(entry, MAX_JSON_DEPTH + 1) > MAX_JSON_DEPTH) {
      problems.push({ line: i + 1, reason: `JSON nested more than ${MAX_JSON_DEPTH} deep` });
      return;
    }
    const p = journalEntryProblem(entry);
    if (p) problems.push({ line: i + 1, reason: p });
    else if (!seen.has((entry as JournalEntry).arch)) {
      seen.add((entry as JournalEntry).arch);
      entries.push(entry as JournalEntry);
    }
  });
  const tornBytes = Buffer.byteLength(torn);
  if (tornBytes > 0) problems.push({ line: lines.length + 1, reason: `torn last line (${tornBytes} bytes of an interrupted write)` });
  return { entries, problems, tornBytes };
}

/**
 * Append-only JSON-lines record of every evaluation (`journal-<device>.jsonl`). Each entry is written
 * before it is used and reaches the disk at every {@link Journal.sync} (the Study syncs once per
 * batch), so a crashed or interrupted run loses nothing: `--resume` replays the journal.
 *
 * Opening an existing journal validates every line ({@link journalEntryProblem}); a bad line is
 * skipped and listed in {@link Journal.problems} with its line number. A torn last line (a write cut
 * short by a crash or a full disk) is cut off the file, so the next record starts on a line of its own.
 */
export class Journal {
  private readonly byArch = new Map<string, JournalEntry>();
  /** Valid entries read from an existing file at open, in file order. */
  readonly replayed: readonly JournalEntry[];
  /** Lines of an existing file that were not used, and why. */
  readonly problems: readonly JournalProblem[];
  private fd: number | undefined;

  constructor(readonly file: string) {
    ensureWritableDir(dirname(file));
    const content = readJournalFile(file);
    if (content.tornBytes > 0) {
      // Cut the fragment: a record appended after it would otherwise share its line and be lost.
      const fd = openSync(file, constants.O_RDWR | constants.O_NOFOLLOW);
      try {
        ftruncateSync(fd, fstatSync(fd).size - content.tornBytes);
      } finally {
        closeSync(fd);
      }
    }
    for (const e of content.entries) this.byArch.set(e.arch, e);
    this.replayed = content.entries;
    this.problems = content.problems.map((p) => (p.reason.startsWith('torn last line') ? { ...p, reason: `${p.reason} removed` } : p));
  }

  /** Journaled outcome of an architecture, if any (the first one written). */
  lookup(arch: string): JournalEntry | undefined {
    return this.byArch.get(arch);
  }

  /** Append an entry synchronously, before the result is used. */
  append(entry: JournalEntry): void {
    // O_NOFOLLOW: a link put in place after the journal was opened is refused, never written through.
    this.fd ??= openSync(this.file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o666);
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    this.byArch.set(entry.arch, entry);
  }

  /** Flush appended entries to the disk (fsync). */
  sync(): void {
    if (this.fd !== undefined) fsyncSync(this.fd);
  }

  /** Sync and close the file; appending again reopens it. */
  close(): void {
    if (this.fd === undefined) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
  }
}
