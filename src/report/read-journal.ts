import { readFileSync } from 'node:fs';
import { InputError } from '../errors.ts';
import { MAX_JSON_DEPTH } from '../limits.ts';
import type { JournalEntry } from '../record/journal.ts';
import { jsonDepth } from '../util/json-file.ts';

/**
 * One journal record as the report reads it: the {@link JournalEntry} fields, and the optional fields
 * of distributed runs (`worker`, `startedAt`, `finishedAt`) when a record carries them.
 */
export interface JournalRecord extends JournalEntry {
  worker?: string;
  startedAt?: string;
  finishedAt?: string;
}

/** Records of a journal file, in file order, and how many lines could not be read. */
export interface JournalRead {
  file: string;
  records: JournalRecord[];
  /** Lines that are not a journal record (a last line torn by a crash or still being written). */
  skippedLines: number;
}

function isRecord(v: unknown): v is JournalRecord {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Partial<JournalRecord>;
  if (typeof e.arch !== 'string' || typeof e.outcome !== 'object' || e.outcome === null) return false;
  const o = e.outcome as { status?: unknown; metrics?: unknown };
  return o.status === 'failed' || (o.status === 'ok' && typeof o.metrics === 'object' && o.metrics !== null);
}

/**
 * Read a JSON-lines journal without changing it. A line that does not parse (a torn last line) is
 * counted and skipped, never fatal: a report of a running or crashed search still renders. Records
 * without `n` get their 1-based position. A file of lines none of which is a record (random bytes,
 * not a journal) is an {@link InputError}.
 */
export function readJournal(file: string): JournalRead {
  const text = readFileSync(file, 'utf8');
  const records: JournalRecord[] = [];
  let skippedLines = 0;
  let firstBad: number | undefined;
  let start = 0;
  let lineNo = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    const torn = end === text.length; // a last line without its newline: still being written, or cut by a crash
    start = end + 1;
    lineNo++;
    if (line.trim() === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      skippedLines++;
      if (!torn) firstBad ??= lineNo;
      continue;
    }
    if (!isRecord(v) || jsonDepth(v, MAX_JSON_DEPTH + 1) > MAX_JSON_DEPTH) {
      skippedLines++;
      if (!torn) firstBad ??= lineNo;
      continue;
    }
    if (typeof v.n !== 'number') v.n = records.length + 1;
    records.push(v);
  }
  // Lines, and not one of them a record (random bytes, another file): not a journal, rather than a run of 0 evaluations.
  if (records.length === 0 && firstBad !== undefined) {
    throw new InputError('schema', `not a journal: none of its ${skippedLines} line(s) is a journal record`, { file, path: `line ${firstBad}`, expected: 'JSON lines of { n, arch, genotype, outcome } written by hwnas' });
  }
  return { file, records, skippedLines };
}
