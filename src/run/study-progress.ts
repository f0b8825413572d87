import { join } from 'node:path';
import type { TrainingProgress } from '../accuracy/accuracy-source.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import type { StudyEvent } from './study.ts';

/**
 * Where each target of a running study stands, built from its {@link StudyEvent}s: candidates done
 * (finished ones count the moment they are journaled), failures, the candidates in training and how
 * far each is, and an ETA from measured cost. Feeds the terminal's progress lines and the
 * `progress.json` file the live dashboard reads.
 */

/** One target's progress. */
export interface TargetProgress {
  readonly target: string;
  total: number;
  /** When the target started (ms, `performance.now()` clock). */
  startMs: number;
  /** Records done (journaled this run, or reused from the journal). */
  done: number;
  failed: number;
  /** Candidates evaluated by this process (not reused from the journal). */
  fresh: number;
  /** Sum of their evaluation times (`evalMs` of the journal: each candidate's own cost), in ms. */
  freshMs: number;
  /** Latest training progress of each candidate in training, by arch. */
  training: Map<string, TrainingProgress>;
  /** Most candidates seen training at once (the source's parallelism). */
  parallel: number;
  /** Training time of each candidate's first step (it also warms up: not a typical step), by arch. */
  firstStepMs: Map<string, number>;
  finished: boolean;
}

/** Fraction of a candidate's training done. */
function trainedFraction(p: TrainingProgress): number {
  return ((p.epoch - 1) * p.steps + p.step) / Math.max(1, p.epochs * p.steps);
}

/**
 * Seconds left, from measured cost. Candidates trained several at once: the time left of those in
 * training (their time so far scaled to a whole training) plus, for the others, the mean evaluation
 * time of the finished ones (before any finished: of those in training) shared among the parallel
 * slots. Otherwise: this process's wall time per finished candidate. `NaN` while nothing is measured.
 */
export function etaSeconds(t: Pick<TargetProgress, 'total' | 'startMs' | 'done' | 'fresh' | 'freshMs' | 'training' | 'parallel'> & { firstStepMs?: ReadonlyMap<string, number> }, nowMs: number): number {
  const left = t.total - t.done;
  if (left <= 0) return 0;
  const running = [...t.training.values()].filter((p) => p.trainMs > 0 && trainedFraction(p) > 0);
  const parallel = Math.max(1, t.parallel, running.length);
  if (parallel === 1 && t.fresh > 0) return ((nowMs - t.startMs) / 1000 / t.fresh) * left;
  // A whole training: the first step as it was, the others at the mean pace of the later steps.
  const wholeMs = (p: TrainingProgress) => {
    const done = (p.epoch - 1) * p.steps + p.step;
    const first = t.firstStepMs?.get(p.arch);
    if (first === undefined || done < 2) return p.trainMs / trainedFraction(p);
    return first + ((p.trainMs - first) / (done - 1)) * (p.epochs * p.steps - 1);
  };
  const perCandidateMs = t.fresh > 0 ? t.freshMs / t.fresh : running.length > 0 ? running.reduce((a, p) => a + wholeMs(p), 0) / running.length : NaN;
  if (!Number.isFinite(perCandidateMs)) return NaN;
  const currentLeftMs = Math.max(0, ...running.map((p) => wholeMs(p) - p.trainMs));
  return (currentLeftMs + (perCandidateMs * Math.max(0, left - running.length)) / parallel) / 1000;
}

/** One short line about the candidates in training (`training 2 candidates: step 3/32, 5/32, loss 2.30, 2.28`). */
export function trainingNote(training: ReadonlyMap<string, TrainingProgress>): string {
  if (training.size === 0) return '';
  const ps = [...training.values()];
  const epochs = ps[0]!.epochs > 1 ? ` of epoch ${ps.map((p) => `${p.epoch}/${p.epochs}`).join(', ')}` : '';
  const losses = ps.filter((p) => Number.isFinite(p.loss)).map((p) => p.loss.toFixed(2));
  return `training ${ps.length} candidate${ps.length > 1 ? 's' : ''}: step ${ps.map((p) => `${p.step}/${p.steps}`).join(', ')}${epochs}${losses.length > 0 ? `, loss ${losses.join(', ')}` : ''}`;
}

/** Follows a study's events; {@link StudyProgressTracker.on} returns the target whose progress changed. */
export class StudyProgressTracker {
  readonly targets = new Map<string, TargetProgress>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  on(e: StudyEvent): TargetProgress | undefined {
    switch (e.type) {
      case 'target-start': {
        const t: TargetProgress = { target: e.target, total: e.total, startMs: this.now(), done: 0, failed: 0, fresh: 0, freshMs: 0, training: new Map(), parallel: 0, firstStepMs: new Map(), finished: false };
        this.targets.set(e.target, t);
        return t;
      }
      case 'evaluated': {
        const t = this.targets.get(e.target);
        if (!t) return undefined;
        t.fresh++;
        t.freshMs += e.record.evalMs;
        t.done = Math.max(t.done, e.done);
        if (e.record.outcome.status === 'failed') t.failed++;
        t.training.delete(e.record.arch);
        t.firstStepMs.delete(e.record.arch);
        return t;
      }
      case 'training': {
        const t = this.targets.get(e.target);
        if (!t) return undefined;
        const p = e.progress;
        if (p.epoch === 1 && p.step === 1) t.firstStepMs.set(p.arch, p.trainMs);
        if (p.epoch === p.epochs && p.step === p.steps) {
          t.training.delete(p.arch);
          t.firstStepMs.delete(p.arch);
        } else t.training.set(p.arch, p);
        t.parallel = Math.max(t.parallel, t.training.size);
        return t;
      }
      case 'record': {
        const t = this.targets.get(e.target);
        if (!t) return undefined;
        // Failures of reused records are only known here; fresh ones were counted as they finished.
        t.failed = Math.max(t.failed, e.failed);
        if (e.done <= t.done) return undefined;
        t.done = e.done;
        return t;
      }
      case 'target-done': {
        const t = this.targets.get(e.target.target.id);
        if (!t) return undefined;
        t.done = e.target.records.length;
        t.failed = e.target.failed;
        t.training.clear();
        t.finished = true;
        return t;
      }
      default:
        return undefined;
    }
  }

  eta(t: TargetProgress): number {
    return etaSeconds(t, this.now());
  }
}

/** Name of the progress file in a results folder. */
export const PROGRESS_FILE = 'progress.json';

/** What `progress.json` holds (read by the report and the live dashboard). */
export interface ProgressFile {
  updatedAt: string;
  targets: {
    target: string;
    total: number;
    done: number;
    failed: number;
    finished: boolean;
    /** Seconds left, from measured cost; absent while nothing is measured. */
    etaS?: number;
    /** Candidates in training; `loss` (the epoch's mean so far) is absent before the first step. */
    training: { arch: string; epoch: number; epochs: number; step: number; steps: number; loss?: number; trainMs: number }[];
  }[];
}

/**
 * A study event listener that keeps `<dir>/progress.json` up to date (written whole, at most about
 * once a second, and at once when a candidate finishes or a target ends).
 */
export function progressFileWriter(dir: string, minIntervalMs = 1000): (e: StudyEvent) => void {
  const tracker = new StudyProgressTracker();
  let lastMs = -Infinity;
  return (e) => {
    const t = tracker.on(e);
    if (!t) return;
    const now = performance.now();
    const urgent = e.type !== 'training';
    if (!urgent && now - lastMs < minIntervalMs) return;
    lastMs = now;
    const file: ProgressFile = {
      updatedAt: new Date().toISOString(),
      targets: [...tracker.targets.values()].map((x) => {
        const eta = tracker.eta(x);
        return {
          target: x.target, total: x.total, done: x.done, failed: x.failed, finished: x.finished,
          ...(Number.isFinite(eta) && !x.finished && { etaS: Math.round(eta) }),
          training: [...x.training.values()].map((p) => ({
            arch: p.arch, epoch: p.epoch, epochs: p.epochs, step: p.step, steps: p.steps, ...(Number.isFinite(p.loss) && { loss: p.loss }), trainMs: Math.round(p.trainMs),
          })),
        };
      }),
    };
    try {
      writeFileAtomic(join(dir, PROGRESS_FILE), `${JSON.stringify(file, null, 1)}\n`);
    } catch {
      // Progress is advisory: a full disk shows up where results are written, not here.
    }
  };
}
