import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Genotype } from '../space/search-space.ts';
import type { Outcome } from './outcome.ts';

/** One line of a journal: an evaluation, written before the strategy hears of it. */
export interface JournalEntry {
  /** 1-based evaluation number within the run. */
  n: number;
  arch: string;
  genotype: Genotype;
  outcome: Outcome;
  /** Wall time of the evaluation. */
  evalMs: number;
}

/**
 * Append-only JSON-lines record of every evaluation (`journal-<device>.jsonl`). Each entry is written
 * before it is used, so a crashed or interrupted run loses nothing: `--resume` replays the journal
 * (the seeded strategy asks the same architectures again and gets the journaled outcomes back).
 */
export class Journal {
  private readonly byArch = new Map<string, JournalEntry>();
  /** Entries read from an existing file at open. */
  readonly replayed: number;

  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    if (existsSync(file)) {
      const lines = readFileSync(file, 'utf8').split('\n');
      for (const line of lines) {
        if (line.trim() === '') continue;
        try {
          const e = JSON.parse(line) as JournalEntry;
          if (typeof e.arch === 'string' && e.outcome) this.byArch.set(e.arch, e);
        } catch {
          // A line cut short by a crash: that evaluation is simply done again.
        }
      }
    }
    this.replayed = this.byArch.size;
  }

  /** Journaled outcome of an architecture, if any. */
  lookup(arch: string): JournalEntry | undefined {
    return this.byArch.get(arch);
  }

  /** Append an entry (synchronously, before the result is used). */
  append(entry: JournalEntry): void {
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
    this.byArch.set(entry.arch, entry);
  }
}
