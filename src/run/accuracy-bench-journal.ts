import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';

/**
 * The journal of an accuracy benchmark (`scores.jsonl`): one JSON line per signal × architecture
 * as soon as it is scored, and one per signal whose source was set up (its one-off CPU time). Each
 * line is written the moment it is known, so a process killed at any moment keeps everything it
 * finished and a resumed run scores only what is missing; lines are fsynced at least every half
 * second and on close, so a machine that loses power loses at most that much. A torn last line (a write cut short) is cut off when the journal is
 * opened; a line that is not a valid entry is left out and reported.
 */

/** One architecture scored (or failed) by one signal. */
export interface BenchScoreEntry {
  /** Accuracy-source id of the signal (`zero-cost:synflow`, `proxy-train`, …). */
  signal: string;
  arch: string;
  /** The source's metric; absent when scoring failed. */
  score?: number;
  /** Why scoring failed. */
  error?: string;
  /**
   * CPU-seconds of the process (every thread, and ended child processes) from the previous entry
   * of this signal (or from the end of its set-up) to this one: the architecture's own CPU time
   * when one is scored at a time, and always summing to the signal's total.
   */
  cpuSeconds: number;
  /** Wall time of the scoring call, in ms. */
  wallMs: number;
}

/** The source of a signal was created: the CPU time that took (a supernet trains here). */
export interface BenchSetupEntry {
  signal: string;
  setup: true;
  cpuSeconds: number;
  wallMs: number;
  /** CPU-seconds of one-off work the source says it did, now or in a cached earlier run. */
  reportedCpuSeconds?: number;
  /** The source's own description (data, budget, seed): what its scores measure. */
  description?: string;
}

export type BenchEntry = BenchScoreEntry | BenchSetupEntry;

/** A line left out, and why. */
export interface BenchJournalProblem {
  line: number;
  reason: string;
}

const nonNegative = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** Why `x` is not a valid {@link BenchEntry}, or undefined when it is. */
export function benchEntryProblem(x: unknown): string | undefined {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return 'not a JSON object';
  const o = x as Record<string, unknown>;
  if (typeof o.signal !== 'string' || o.signal === '') return `signal is ${JSON.stringify(o.signal)}, expected a signal id`;
  if (!nonNegative(o.cpuSeconds)) return `cpuSeconds is ${JSON.stringify(o.cpuSeconds)}, expected seconds ≥ 0`;
  if (!nonNegative(o.wallMs)) return `wallMs is ${JSON.stringify(o.wallMs)}, expected ms ≥ 0`;
  if (o.setup === true) {
    if (o.description !== undefined && typeof o.description !== 'string') return 'description is not a string';
    return o.reportedCpuSeconds === undefined || nonNegative(o.reportedCpuSeconds) ? undefined : 'reportedCpuSeconds is not seconds ≥ 0';
  }
  if (typeof o.arch !== 'string' || o.arch === '') return `arch is ${JSON.stringify(o.arch)}, expected an arch string`;
  if (o.error !== undefined) return typeof o.error === 'string' && o.score === undefined ? undefined : 'a failed entry needs an error text and no score';
  if (typeof o.score !== 'number' || !Number.isFinite(o.score)) return `score is ${JSON.stringify(o.score)}, expected a finite number`;
  return undefined;
}

/** An open journal: what it held when opened, plus what was appended since. */
export class BenchJournal {
  private readonly scores = new Map<string, Map<string, BenchScoreEntry>>();
  private readonly setups = new Map<string, BenchSetupEntry[]>();
  private fd: number | undefined;
  private lastSyncMs = 0;

  private constructor(readonly file: string, readonly problems: readonly BenchJournalProblem[], readonly tornBytes: number) {}

  /** Open (creating) `file` for appending; a torn last line is cut off first. */
  static open(file: string): BenchJournal {
    const problems: BenchJournalProblem[] = [];
    const entries: BenchEntry[] = [];
    let torn = 0;
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8');
      const lines = text.split('\n');
      const last = lines.pop() ?? '';
      torn = Buffer.byteLength(last);
      lines.forEach((line, i) => {
        if (line.trim() === '') return;
        let v: unknown;
        try {
          v = JSON.parse(line);
        } catch {
          problems.push({ line: i + 1, reason: 'not valid JSON' });
          return;
        }
        const p = benchEntryProblem(v);
        if (p) problems.push({ line: i + 1, reason: p });
        else entries.push(v as BenchEntry);
      });
    }
    const j = new BenchJournal(file, problems, torn);
    for (const e of entries) j.remember(e);
    j.fd = openSync(file, 'a');
    if (torn > 0) ftruncateSync(j.fd, fstatSync(j.fd).size - torn);
    return j;
  }

  private remember(e: BenchEntry): void {
    if ('setup' in e) {
      this.setups.set(e.signal, [...(this.setups.get(e.signal) ?? []), e]);
      return;
    }
    let m = this.scores.get(e.signal);
    if (!m) this.scores.set(e.signal, (m = new Map()));
    if (!m.has(e.arch)) m.set(e.arch, e);
  }

  /** Entries of `signal` by arch (the first of each arch). */
  scoresOf(signal: string): ReadonlyMap<string, BenchScoreEntry> {
    return this.scores.get(signal) ?? new Map();
  }

  /** Set-up entries of `signal`, in journal order. */
  setupsOf(signal: string): readonly BenchSetupEntry[] {
    return this.setups.get(signal) ?? [];
  }

  /**
   * Append one entry: it survives a kill of the process from the moment this returns, and a crash
   * of the machine from the next fsync (half a second at most; a set-up entry at once).
   */
  append(e: BenchEntry): void {
    if (this.fd === undefined) throw new Error(`journal ${this.file} is closed`);
    writeSync(this.fd, `${JSON.stringify(e)}\n`);
    const now = performance.now();
    if ('setup' in e || now - this.lastSyncMs >= 500) {
      fsyncSync(this.fd);
      this.lastSyncMs = now;
    }
    this.remember(e);
  }

  close(): void {
    if (this.fd === undefined) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
  }
}
