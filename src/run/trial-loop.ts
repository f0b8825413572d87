import type { Genotype } from '../space/search-space.ts';
import type { Strategy, Trial } from '../search/strategy.ts';
import type { JournalEntry } from '../record/journal.ts';
import { constraintViolation, objectiveValues, type Constraint, type Objective } from '../record/metric-registry.ts';
import type { Outcome } from '../record/outcome.ts';

/** An architecture to evaluate: its genotype and canonical key (the arch string). */
export interface Candidate {
  readonly genotype: Genotype;
  readonly arch: string;
}

/** What an evaluation gives back besides the outcome. */
export interface Evaluated {
  outcome: Outcome;
  /** Wall time of the evaluation, in ms. */
  evalMs: number;
  /** `host/pid` of the worker that evaluated it; absent in-process. */
  worker?: string;
  startedAt?: string;
  finishedAt?: string;
}

/**
 * Turns a batch of candidates into outcomes: one promise per candidate, in the batch's order, so that
 * each result is journaled as soon as it is known. In-process or through a queue of workers.
 */
export type BatchEvaluate = (batch: readonly Candidate[]) => Promise<Evaluated>[];

/** Where the loop keeps its records: a {@link Journal} file, or memory. */
export interface TrialStore {
  /** Valid records of an earlier run, in the order they were written. */
  readonly replayed: readonly JournalEntry[];
  lookup(arch: string): JournalEntry | undefined;
  append(entry: JournalEntry): void;
  /** Make appended records durable (once per batch). */
  sync(): void;
}

/** A store that keeps records in memory only (moo problems, enumerations). */
export class MemoryStore implements TrialStore {
  readonly replayed: readonly JournalEntry[] = [];
  private readonly byArch = new Map<string, JournalEntry>();
  lookup(arch: string): JournalEntry | undefined {
    return this.byArch.get(arch);
  }
  append(e: JournalEntry): void {
    this.byArch.set(e.arch, e);
  }
  sync(): void {}
}

export interface TrialLoopOptions {
  strategy: Strategy;
  evaluate: BatchEvaluate;
  /** Canonical key of a genotype (the space's arch string). */
  key(g: Genotype): string;
  /** Distinct architectures to evaluate (journaled ones from an earlier run count). */
  budget: number;
  objectives: readonly Objective[];
  constraints: readonly Constraint[];
  store: TrialStore;
  /** Architectures asked per round. @defaultValue 10 */
  batchSize?: number;
  /** Called for every distinct record, in order of evaluation number. */
  onRecord?: (record: JournalEntry, done: number, fromJournal: boolean) => void;
  /** Called after every told batch (progress of queued work, checkpoints). */
  onBatch?: () => void;
}

export interface TrialLoopResult {
  /** Every distinct evaluation of this run, in evaluation-number order. */
  records: JournalEntry[];
  /** Records taken from the store's earlier run instead of being evaluated again. */
  resumed: number;
  /** True when the strategy stopped proposing before the budget (space exhausted). */
  exhausted: boolean;
}

/**
 * The ask → evaluate → journal → tell loop (pymoo's `minimize(problem, algorithm, termination)`
 * shape), generic over how candidates are evaluated and where records live.
 *
 * A repeated architecture is not evaluated twice: its earlier outcome is told again and it does not
 * count against the budget. Records of an earlier run (`store.replayed`) are reused whatever the
 * replay asks first: an asked architecture that was journaled takes its record; when a batch asks
 * new architectures while journaled records are still unused (the replay took another path, e.g.
 * after the budget changed), the unused records are told in their place, in journal order, so every
 * journaled evaluation is used before anything new is evaluated. A replay of the same settings asks
 * the same architectures, so a resumed run ends exactly as an uninterrupted one.
 */
export async function runTrialLoop(o: TrialLoopOptions): Promise<TrialLoopResult> {
  const batchSize = o.batchSize ?? 10;
  const seen = new Map<string, JournalEntry>();
  const unused = new Map(o.store.replayed.map((e) => [e.arch, e] as const));
  const records: JournalEntry[] = [];
  let resumed = 0;
  let asks = 0;
  let exhausted = false;

  const reuse = (prior: JournalEntry): JournalEntry => {
    unused.delete(prior.arch);
    const rec = { ...prior, n: records.length + 1 };
    seen.set(rec.arch, rec);
    records.push(rec);
    resumed++;
    o.onRecord?.(rec, records.length, true);
    return rec;
  };

  while (records.length < o.budget) {
    const want = Math.min(batchSize, o.budget - records.length);
    const asked = o.strategy.ask(want);
    asks += asked.length;
    if (asked.length === 0 || asks > 20 * o.budget + 100) {
      exhausted = true;
      // A strategy with nothing left to propose still gets the journaled records it never asked for.
      const rest = [...unused.values()].slice(0, o.budget - records.length);
      if (rest.length > 0) o.strategy.tell(rest.map((p) => toTrial(p.genotype, reuse(p), o.objectives, o.constraints)));
      break;
    }
    const told: Trial[] = [];
    const fresh: { g: Genotype; arch: string; n: number }[] = [];
    const freshKeys = new Set<string>();
    for (const g of asked) {
      const arch = o.key(g);
      if (freshKeys.has(arch)) continue; // asked twice in one batch: told once, below
      const rec = seen.get(arch);
      if (rec) {
        told.push(toTrial(g, rec, o.objectives, o.constraints));
        continue;
      }
      if (records.length + fresh.length >= o.budget) break;
      const prior = unused.get(arch);
      if (prior) told.push(toTrial(g, reuse(prior), o.objectives, o.constraints));
      else if (unused.size > 0) {
        // The replay left the journal's path: tell the oldest unused record instead of evaluating.
        const p = unused.values().next().value!;
        told.push(toTrial(p.genotype, reuse(p), o.objectives, o.constraints));
      } else {
        // Only reached once no journaled record is unused, so nothing is reused after this in the batch.
        fresh.push({ g, arch, n: records.length + fresh.length + 1 });
        freshKeys.add(arch);
      }
    }
    if (fresh.length > 0) {
      const pending = o.evaluate(fresh.map((f) => ({ genotype: f.g, arch: f.arch })));
      const done = new Array<JournalEntry | undefined>(fresh.length);
      await Promise.all(pending.map(async (p, i) => {
        const f = fresh[i]!;
        const r = await p;
        const rec: JournalEntry = { n: f.n, arch: f.arch, genotype: [...f.g], outcome: r.outcome, evalMs: Math.round(r.evalMs) };
        if (r.worker !== undefined) rec.worker = r.worker;
        if (r.startedAt !== undefined) rec.startedAt = r.startedAt;
        if (r.finishedAt !== undefined) rec.finishedAt = r.finishedAt;
        o.store.append(rec); // journaled before anything uses it
        done[i] = rec;
      }));
      o.store.sync();
      for (const [i, f] of fresh.entries()) {
        const rec = done[i]!;
        seen.set(f.arch, rec);
        records.push(rec);
        o.onRecord?.(rec, records.length, false);
        told.push(toTrial(f.g, rec, o.objectives, o.constraints));
      }
    }
    o.strategy.tell(told);
    o.onBatch?.();
  }
  return { records, resumed, exhausted };
}

/** What the strategy sees of an evaluation: minimisation values, or null when it failed. */
export function toTrial(g: Genotype, rec: JournalEntry, objectives: readonly Objective[], constraints: readonly Constraint[]): Trial {
  if (rec.outcome.status !== 'ok') return { genotype: g, values: null, violation: 0 };
  try {
    return {
      genotype: g,
      values: objectiveValues(objectives, rec.outcome.metrics),
      violation: constraintViolation(constraints, rec.outcome.metrics),
    };
  } catch {
    return { genotype: g, values: null, violation: 0 };
  }
}
