import { InputError } from '../errors.ts';
import type { JournalEntry } from '../record/journal.ts';
import type { Outcome } from '../record/outcome.ts';
import type { SearchSpace } from '../space/search-space.ts';
import { StudyTrial } from './study-trial.ts';
import { toldOutcome } from './told-values.ts';
import type { BatchEvaluate, Evaluated, RoundCandidate, TrialLoop } from './trial-loop.ts';

/** A trial handed out and not yet told. */
interface Out {
  readonly trial: StudyTrial;
  readonly candidate: RoundCandidate;
  readonly measured: Evaluated & { outcome: Outcome & { status: 'ok' } };
  readonly handedAt: number;
  readonly handedAtIso: string;
}

/** What an ask/tell session drives. */
export interface AskTellParts {
  readonly loop: TrialLoop;
  readonly space: SearchSpace;
  readonly target: string;
  /** Metrics the user's code tells. */
  readonly toldMetrics: readonly string[];
  /** The study's own evaluation (counts, its devices, its accuracy source), or none. */
  readonly evaluate: BatchEvaluate | undefined;
}

/**
 * The user's side of a study's trial loop (Optuna's ask/tell): {@link AskTellSession.ask} hands out
 * candidates of the loop's open round after the study's own measurements; {@link AskTellSession.tell}
 * checks the user's values, journals the outcome (fsync) before anything uses it, and the round closes
 * — the strategy told — when its last candidate is told. A round must be told in full before the next
 * one opens, so the strategy learns exactly as in `Study.run` and a resumed run asks the same
 * candidates.
 */
export class AskTellSession {
  private queue: RoundCandidate[] = [];
  private readonly out = new Map<number, Out>();
  private readonly told = new Set<number>();
  /** Candidates taken from the queue whose own measurement is still running. */
  private measuring = 0;

  constructor(private readonly p: AskTellParts) {}

  /** Up to `n` trials of the open round (opening the next one when the last was told in full); none when the run is done. */
  async ask(n: number): Promise<StudyTrial[]> {
    const given: StudyTrial[] = [];
    while (given.length < n) {
      if (this.queue.length === 0) {
        if (this.out.size + this.measuring > 0 || given.length > 0) break;
        const round = this.p.loop.nextRound();
        if (round.length === 0) break;
        this.queue = round;
      }
      const take = this.queue.splice(0, n - given.length);
      this.measuring += take.length;
      let measured: Evaluated[];
      try {
        measured = await this.measure(take);
      } catch (e) {
        this.queue.unshift(...take);
        throw e;
      } finally {
        this.measuring -= take.length;
      }
      take.forEach((c, i) => {
        const m = measured[i]!;
        // A candidate the study cannot build or measure is a failed outcome, journaled; never handed out.
        if (m.outcome.status !== 'ok') {
          this.p.loop.record(c, m, true);
          return;
        }
        const trial = new StudyTrial(c.n, c.arch, c.genotype, this.p.target, m.outcome.metrics, this.p.space);
        this.out.set(c.n, { trial, candidate: c, measured: m as Out['measured'], handedAt: performance.now(), handedAtIso: new Date().toISOString() });
        given.push(trial);
      });
    }
    if (given.length === 0 && this.out.size + this.measuring > 0) {
      const waiting = [...this.out.keys()].sort((a, b) => a - b);
      throw new InputError('incompatible', `every trial of this round is out: tell trial${waiting.length === 1 ? '' : 's'} ${waiting.join(', ')} first`, {
        path: 'ask',
        expected: 'tell() of the trials out before asking more (a round is batchSize trials: raise batchSize to evaluate more at once)',
        actual: `${waiting.length} trial${waiting.length === 1 ? '' : 's'} out`,
      });
    }
    return given;
  }

  /** Check the values, journal the outcome (durable before it returns) and feed the strategy when the round is complete. */
  tell(trial: unknown, values: unknown): JournalEntry {
    const n = trial instanceof StudyTrial ? trial.number : trial;
    if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
      throw new InputError('incompatible', 'not a trial', { path: 'trial', expected: 'a trial from study.ask(), or its number', actual: n === null ? 'null' : typeof n });
    }
    if (this.told.has(n)) throw new InputError('incompatible', `trial ${n} was already told`, { path: 'trial', expected: 'each asked trial told once', actual: `trial ${n} again` });
    const o = this.out.get(n);
    if (!o || (trial instanceof StudyTrial && trial !== o.trial)) {
      const waiting = [...this.out.keys()].sort((a, b) => a - b);
      throw new InputError('incompatible', `trial ${n} was not asked by this study`, { path: 'trial', expected: waiting.length > 0 ? `one of the trials out: ${waiting.join(', ')}` : 'a trial from this study\'s ask() (none is out)', actual: `trial ${n}` });
    }
    const outcome = toldOutcome(values, this.p.toldMetrics, o.measured.outcome);
    this.out.delete(n);
    this.told.add(n);
    return this.p.loop.record(o.candidate, {
      outcome,
      // The user's evaluation time (ask to tell) plus the study's own measuring.
      evalMs: o.measured.evalMs + (performance.now() - o.handedAt),
      startedAt: o.measured.startedAt ?? o.handedAtIso,
      finishedAt: new Date().toISOString(),
    }, true);
  }

  /** Numbers of the trials out (asked, not told), ascending. */
  get waiting(): number[] {
    return [...this.out.keys()].sort((a, b) => a - b);
  }

  private async measure(batch: readonly RoundCandidate[]): Promise<Evaluated[]> {
    if (!this.p.evaluate) return batch.map(() => ({ outcome: { status: 'ok', metrics: {} }, evalMs: 0 }));
    return Promise.all(this.p.evaluate(batch.map((c) => ({ genotype: c.genotype, arch: c.arch }))));
  }
}
