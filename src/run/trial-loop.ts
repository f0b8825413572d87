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

  /** Record `r` as the next evaluation of the run. */
  const add = (rec: JournalEntry, fromJournal: boolean): void => {
    seen.set(rec.arch, rec);
    records.push(rec);
    if (fromJournal) resumed++;
    o.onRecord?.(rec, records.length, fromJournal);
  };

  while (records.length < o.budget) {
    const want = Math.min(batchSize, o.budget - records.length);
    const asked = o.strategy.ask(want);
    asks += asked.length;
    if (asked.length === 0 || asks > 20 * o.budget + 100) {
      exhausted = true;
      // A strategy with nothing left to propose still gets the journaled records it never asked for.
      const rest = [...unused.values()].slice(0, o.budget - records.length);
      for (const p of rest) add({ ...p, n: records.length + 1 }, true);
      if (rest.length > 0) o.strategy.tell(rest.map((p) => toTrial(p.genotype, seen.get(p.arch)!, o.objectives, o.constraints)));
      break;
    }
    // Every new record of the batch takes its evaluation number from its place in the ask, whether
    // it is reused or evaluated, so a resumed run numbers (and ranks) exactly as an uninterrupted one.
    // Journaled architectures of this batch are reused in place, wherever they sit in it (queue
    // workers finish a batch out of order, so a killed run may have journaled any part of it); an
    // asked architecture that was never journaled is replaced by the oldest record the replay has not
    // met, while any is left, and only then evaluated.
    type Slot = { g: Genotype; rec: JournalEntry; fromJournal: true } | { g: Genotype; arch: string; n: number; fromJournal: false };
    const slots: Slot[] = [];
    const duplicates: Genotype[] = [];
    const inBatch = new Set<string>();
    const ownJournaled = new Set(asked.map((g) => o.key(g)).filter((a) => unused.has(a)));
    for (const g of asked) {
      const arch = o.key(g);
      if (seen.has(arch) || inBatch.has(arch)) {
        duplicates.push(g); // told its earlier outcome again; not evaluated, not counted
        continue;
      }
      if (records.length + slots.length >= o.budget) break;
      const n = records.length + slots.length + 1;
      let prior = unused.get(arch);
      if (!prior && unused.size > ownJournaled.size) {
        for (const [a, p] of unused) {
          if (!ownJournaled.has(a) && !inBatch.has(a)) {
            prior = p;
            break;
          }
        }
      }
      if (prior) {
        unused.delete(prior.arch);
        ownJournaled.delete(prior.arch);
        inBatch.add(prior.arch);
        slots.push({ g: prior.genotype, rec: { ...prior, n }, fromJournal: true });
      } else {
        inBatch.add(arch);
        slots.push({ g, arch, n, fromJournal: false });
      }
    }
    const fresh = slots.filter((x): x is Extract<Slot, { fromJournal: false }> => !x.fromJournal);
    const evaluated = new Map<string, JournalEntry>();
    if (fresh.length > 0) {
      const pending = o.evaluate(fresh.map((f) => ({ genotype: f.g, arch: f.arch })));
      await Promise.all(pending.map(async (p, i) => {
        const f = fresh[i]!;
        const r = await p;
        const rec: JournalEntry = { n: f.n, arch: f.arch, genotype: [...f.g], outcome: r.outcome, evalMs: Math.round(r.evalMs) };
        if (r.worker !== undefined) rec.worker = r.worker;
        if (r.startedAt !== undefined) rec.startedAt = r.startedAt;
        if (r.finishedAt !== undefined) rec.finishedAt = r.finishedAt;
        o.store.append(rec); // journaled before anything uses it
        evaluated.set(f.arch, rec);
      }));
      o.store.sync();
    }
    const told: Trial[] = [];
    for (const x of slots) {
      const rec = x.fromJournal ? x.rec : evaluated.get(x.arch)!;
      add(rec, x.fromJournal);
      told.push(toTrial(x.g, rec, o.objectives, o.constraints));
    }
    for (const g of duplicates) {
      const rec = seen.get(o.key(g));
      if (rec) told.push(toTrial(g, rec, o.objectives, o.constraints));
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
