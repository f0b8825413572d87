import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { MAX_FIDELITY_EPOCHS, MAX_JSON_DEPTH } from '../limits.ts';
import type { Genotype } from '../space/search-space.ts';
import { jsonDepth } from '../util/json-file.ts';
import { ensureWritableDir } from '../util/writable-dir.ts';
import { journalEntryProblem, type JournalProblem } from './journal.ts';
import type { Outcome } from './outcome.ts';

/**
 * One rung of a multi-fidelity evaluation: an architecture trained for `epochs`. The rung a
 * candidate enters at holds its whole evaluation (counts, latency, accuracy); a rung it was promoted
 * to holds what that longer training gave (the accuracy source's metrics).
 */
export interface RungRecord {
  arch: string;
  genotype: Genotype;
  epochs: number;
  outcome: Outcome;
  /** Wall time of this rung's evaluation, in ms. */
  evalMs: number;
  worker?: string;
  startedAt?: string;
  finishedAt?: string;
}

/** Why `x` is not a valid {@link RungRecord}, or undefined when it is. */
export function rungRecordProblem(x: unknown): string | undefined {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return 'not a JSON object';
  const e = (x as { epochs?: unknown }).epochs;
  if (!Number.isSafeInteger(e) || (e as number) < 1 || (e as number) > MAX_FIDELITY_EPOCHS) return `epochs is ${JSON.stringify(e)}, expected an integer in [1, ${MAX_FIDELITY_EPOCHS}]`;
  return journalEntryProblem({ ...x, n: 1 });
}

const key = (arch: string, epochs: number) => `${epochs}\0${arch}`;

/** Where the rungs of a multi-fidelity run are kept: a {@link RungLog} file, or memory. */
export interface RungStore {
  /** Valid records of an earlier run, in the order they were written. */
  readonly replayed: readonly RungRecord[];
  lookup(arch: string, epochs: number): RungRecord | undefined;
  /** Append a record, durably (each rung is a training: worth an fsync). */
  append(r: RungRecord): void;
  close(): void;
}

/** Rungs kept in memory only. */
export class MemoryRungStore implements RungStore {
  readonly replayed: readonly RungRecord[] = [];
  private readonly byKey = new Map<string, RungRecord>();
  lookup(arch: string, epochs: number): RungRecord | undefined {
    return this.byKey.get(key(arch, epochs));
  }
  append(r: RungRecord): void {
    this.byKey.set(key(r.arch, r.epochs), r);
  }
  close(): void {}
}

/**
 * `rungs-<target>.jsonl`: every rung result of a multi-fidelity run, one JSON line each, appended and
 * fsynced the moment it is known, so a run killed in the middle of a batch keeps every finished
 * training for `--resume`. Opening it validates each line (a bad line is skipped and listed in
 * {@link RungLog.problems}); a torn last line is cut off.
 */
export class RungLog implements RungStore {
  readonly replayed: readonly RungRecord[];
  readonly problems: readonly JournalProblem[];
  private readonly byKey = new Map<string, RungRecord>();
  private fd: number | undefined;

  constructor(readonly file: string) {
    ensureWritableDir(dirname(file));
    const entries: RungRecord[] = [];
    const problems: JournalProblem[] = [];
    if (existsSync(file)) {
      const lines = readFileSync(file, 'utf8').split('\n');
      const torn = lines.pop() ?? '';
      lines.forEach((line, i) => {
        if (line.trim() === '') return;
        let x: unknown;
        try {
          x = JSON.parse(line);
        } catch {
          problems.push({ line: i + 1, reason: 'not valid JSON' });
          return;
        }
        const p = jsonDepth(x, MAX_JSON_DEPTH + 1) > MAX_JSON_DEPTH ? `JSON nested more than ${MAX_JSON_DEPTH} deep` : rungRecordProblem(x);
        if (p) problems.push({ line: i + 1, reason: p });
        else {
          const r = x as RungRecord;
          if (!this.byKey.has(key(r.arch, r.epochs))) {
            this.byKey.set(key(r.arch, r.epochs), r);
            entries.push(r);
          }
        }
      });
      const tornBytes = Buffer.byteLength(torn);
      if (tornBytes > 0) {
        const fd = openSync(file, 'r+');
        try {
          ftruncateSync(fd, fstatSync(fd).size - tornBytes);
        } finally {
          closeSync(fd);
        }
        problems.push({ line: lines.length + 1, reason: `torn last line (${tornBytes} bytes of an interrupted write) removed` });
      }
    }
    this.replayed = entries;
    this.problems = problems;
  }

  lookup(arch: string, epochs: number): RungRecord | undefined {
    return this.byKey.get(key(arch, epochs));
  }

  append(r: RungRecord): void {
    this.fd ??= openSync(this.file, 'a');
    writeSync(this.fd, `${JSON.stringify(r)}\n`);
    fsyncSync(this.fd);
    this.byKey.set(key(r.arch, r.epochs), r);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
