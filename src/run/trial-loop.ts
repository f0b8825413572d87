import type { Genotype } from '../space/search-space.ts';
import type { Strategy, Trial } from '../search/strategy.ts';
import type { JournalEntry } from '../record/journal.ts';
import { constraintViolation, objectiveValues, type Constraint, type Objective } from '../record/metric-registry.ts';
import { outcomeProblem, type Outcome } from '../record/outcome.ts';

/** An architecture to evaluate: its genotype and canonical key (the arch string). */
export interface Candidate {
  readonly genotype: Genotype;
  readonly arch: string;
  /** Training epochs asked of a training accuracy source (multi-fidelity). @defaultValue the source's own */
  readonly epochs?: number;
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
  /** Called the moment a fresh evaluation is journaled, in the order they finish, before its batch is told. */
  onJournaled?: (record: JournalEntry) => void;
}

export interface TrialLoopResult {
  /** Every distinct evaluation of this run, in evaluation-number order. */
  records: JournalEntry[];
  /** Records taken from the store's earlier run instead of being evaluated again. */
  resumed: number;
  /** True when the strategy stopped proposing before the budget (space exhausted). */
  exhausted: boolean;
}

/** A candidate of the open round, its evaluation number fixed by its place in the strategy's ask. */
export interface RoundCandidate extends Candidate {
  /** 1-based evaluation number within the run. */
  readonly n: number;
}

/** What the {@link TrialLoop} core needs: {@link TrialLoopOptions} without the evaluation. */
export type TrialLoopCoreOptions = Omit<TrialLoopOptions, 'evaluate'>;

/**
 * The ask → journal → tell core of every search, without the evaluation: {@link runTrialLoop} drives
 * it with an evaluator (in process or through workers), and the Study's `ask`/`tell` with the user's
 * own code. A round is one `strategy.ask(batchSize)`: {@link TrialLoop.nextRound} opens it and gives
 * the candidates to evaluate, {@link TrialLoop.record} journals each outcome as it comes, and the
 * round closes (records numbered in ask order, the strategy told) when its last outcome is recorded.
 *
 * A repeated architecture is not evaluated twice: its earlier outcome is told again and it does not
 * count against the budget. Records of an earlier run (`store.replayed`) are reused whatever the
 * replay asks first: an asked architecture that was journaled takes its record; when a round asks
 * new architectures while journaled records are still unused (the replay took another path, e.g.
 * after the budget changed), the unused records are told in their place, in journal order, so every
 * journaled evaluation is used before anything new is evaluated. A replay of the same settings asks
 * the same architectures, so a resumed run ends exactly as an uninterrupted one.
 */
export class TrialLoop {
  private readonly batchSize: number;
  private readonly seen = new Map<string, JournalEntry>();
  private readonly unused: Map<string, JournalEntry>;
  private readonly records: JournalEntry[] = [];
  private resumed = 0;
  private asks = 0;
  private exhausted = false;
  private round: { slots: Slot[]; duplicates: Genotype[]; waiting: Set<number>; evaluated: Map<number, JournalEntry> } | undefined;

  constructor(private readonly o: TrialLoopCoreOptions) {
    this.batchSize = o.batchSize ?? 10;
    this.unused = new Map(o.store.replayed.map((e) => [e.arch, e] as const));
  }

  /** The budget is spent or the strategy has nothing left to propose (no round is open). */
  get done(): boolean {
    return this.round === undefined && (this.exhausted || this.records.length >= this.o.budget);
  }

  /** Candidates of the open round still waiting for {@link TrialLoop.record}, by evaluation number. */
  get waiting(): readonly number[] {
    return [...(this.round?.waiting ?? [])];
  }

  /** Records so far, in evaluation-number order: closed rounds, then the open round's recorded outcomes. */
  get recordsSoFar(): JournalEntry[] {
    const open = [...(this.round?.evaluated.values() ?? [])].sort((a, b) => a.n - b.n);
    return [...this.records, ...open];
  }

  /**
   * Open the next round and return its candidates to evaluate, in ask order; rounds that need no
   * evaluation (all reused from the journal, or duplicates) close on the way. Empty when the run is
   * done. Opening a round while the last one still waits for outcomes is a bug of the caller.
   */
  nextRound(): RoundCandidate[] {
    if (this.round) throw new Error(`TrialLoop: the open round still waits for evaluations ${this.waiting.join(', ')}`);
    const o = this.o;
    while (this.records.length < o.budget && !this.exhausted) {
      const want = Math.min(this.batchSize, o.budget - this.records.length);
      const asked = o.strategy.ask(want);
      this.asks += asked.length;
      if (asked.length === 0 || this.asks > 20 * o.budget + 100) {
        this.exhausted = true;
        // A strategy with nothing left to propose still gets the journaled records it never asked for.
        const rest = [...this.unused.values()].slice(0, o.budget - this.records.length);
        for (const p of rest) this.add({ ...p, n: this.records.length + 1 }, true);
        if (rest.length > 0) o.strategy.tell(rest.map((p) => toTrial(p.genotype, this.seen.get(p.arch)!, o.objectives, o.constraints)));
        break;
      }
      // Every new record of the round takes its evaluation number from its place in the ask, whether
      // it is reused or evaluated, so a resumed run numbers (and ranks) exactly as an uninterrupted one.
      // Journaled architectures of this round are reused in place, wherever they sit in it (queue
      // workers finish a batch out of order, so a killed run may have journaled any part of it); an
      // asked architecture that was never journaled is replaced by the oldest record the replay has not
      // met, while any is left, and only then evaluated.
      const slots: Slot[] = [];
      const duplicates: Genotype[] = [];
      const inBatch = new Set<string>();
      const ownJournaled = new Set(asked.map((g) => o.key(g)).filter((a) => this.unused.has(a)));
      for (const g of asked) {
        const arch = o.key(g);
        if (this.seen.has(arch) || inBatch.has(arch)) {
          duplicates.push(g); // told its earlier outcome again; not evaluated, not counted
          continue;
        }
        if (this.records.length + slots.length >= o.budget) break;
        const n = this.records.length + slots.length + 1;
        let prior = this.unused.get(arch);
        if (!prior && this.unused.size > ownJournaled.size) {
          for (const [a, p] of this.unused) {
            if (!ownJournaled.has(a) && !inBatch.has(a)) {
              prior = p;
              break;
            }
          }
        }
        if (prior) {
          this.unused.delete(prior.arch);
          ownJournaled.delete(prior.arch);
          inBatch.add(prior.arch);
          slots.push({ g: prior.genotype, rec: { ...prior, n }, fromJournal: true });
        } else {
          inBatch.add(arch);
          slots.push({ g, arch, n, fromJournal: false });
        }
      }
      const fresh = slots.filter((x): x is FreshSlot => !x.fromJournal);
      this.round = { slots, duplicates, waiting: new Set(fresh.map((f) => f.n)), evaluated: new Map() };
      if (fresh.length > 0) return fresh.map((f) => ({ genotype: f.g, arch: f.arch, n: f.n }));
      this.closeRound();
    }
    return [];
  }

  /**
   * Journal the outcome of a candidate of the open round before anything uses it (made durable at
   * once with `sync`, else when the round's last outcome arrives); the round closes when its last
   * candidate is recorded. Returns the journaled record.
   */
  record(c: RoundCandidate, r: Evaluated, sync = false): JournalEntry {
    const round = this.round;
    if (!round?.waiting.has(c.n)) throw new Error(`TrialLoop: evaluation ${c.n} is not waiting in the open round`);
    // Whatever is journaled, a resume accepts: an outcome that breaks the journal's rule is a failure, said.
    const problem = outcomeProblem(r.outcome);
    const outcome: Outcome = problem ? { status: 'failed', error: `invalid outcome: ${problem}` } : r.outcome;
    const rec: JournalEntry = { n: c.n, arch: c.arch, genotype: [...c.genotype], outcome, evalMs: Math.round(r.evalMs) };
    if (r.worker !== undefined) rec.worker = r.worker;
    if (r.startedAt !== undefined) rec.startedAt = r.startedAt;
    if (r.finishedAt !== undefined) rec.finishedAt = r.finishedAt;
    this.o.store.append(rec); // journaled before anything uses it
    round.waiting.delete(c.n);
    round.evaluated.set(c.n, rec);
    if (sync || round.waiting.size === 0) this.o.store.sync();
    this.o.onJournaled?.(rec);
    if (round.waiting.size === 0) this.closeRound();
    return rec;
  }

  /** Where the run stands (records of closed rounds only). */
  result(): TrialLoopResult {
    return { records: [...this.records], resumed: this.resumed, exhausted: this.exhausted };
  }

  /** Number the round's records in ask order, report them, and tell the strategy. */
  private closeRound(): void {
    const { slots, duplicates, evaluated } = this.round!;
    this.round = undefined;
    const o = this.o;
    const told: Trial[] = [];
    for (const x of slots) {
      const rec = x.fromJournal ? x.rec : evaluated.get(x.n)!;
      this.add(rec, x.fromJournal);
      told.push(toTrial(x.g, rec, o.objectives, o.constraints));
    }
    for (const g of duplicates) {
      const rec = this.seen.get(o.key(g));
      if (rec) told.push(toTrial(g, rec, o.objectives, o.constraints));
    }
    o.strategy.tell(told);
    o.onBatch?.();
  }

  /** Record `rec` as the next evaluation of the run. */
  private add(rec: JournalEntry, fromJournal: boolean): void {
    this.seen.set(rec.arch, rec);
    this.records.push(rec);
    if (fromJournal) this.resumed++;
    this.o.onRecord?.(rec, this.records.length, fromJournal);
  }
}

type FreshSlot = { g: Genotype; arch: string; n: number; fromJournal: false };
type Slot = { g: Genotype; rec: JournalEntry; fromJournal: true } | FreshSlot;

/**
 * The ask → evaluate → journal → tell loop (pymoo's `minimize(problem, algorithm, termination)`
 * shape), generic over how candidates are evaluated and where records live: the {@link TrialLoop}
 * core driven round by round, each round's candidates evaluated as one batch, each outcome journaled
 * as soon as it is known and the round made durable (one fsync) before the strategy is told. Reuse
 * of repeated architectures and of an earlier run's journal is the core's (see {@link TrialLoop}): a
 * resumed run ends exactly as an uninterrupted one.
 */
export async function runTrialLoop(o: TrialLoopOptions): Promise<TrialLoopResult> {
  const loop = new TrialLoop(o);
  for (let round = loop.nextRound(); round.length > 0; round = loop.nextRound()) {
    const pending = o.evaluate(round.map((c) => ({ genotype: c.genotype, arch: c.arch })));
    await Promise.all(pending.map(async (p, i) => loop.record(round[i]!, await p)));
  }
  return loop.result();
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
