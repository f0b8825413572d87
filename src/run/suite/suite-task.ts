import { loadDevice } from '../../latency/device-profile.ts';
import { loadSpace } from '../../space/space-registry.ts';
import { Study, type StrategyOptions, type StudyStorage } from '../study.ts';
import { isJoint, studyConstraints, studyObjectives } from './problem-metrics.ts';
import { scoreRun, type RunScore } from './problem-score.ts';
import type { SuiteProblem } from './suite-file.ts';

/** One run of a suite: a strategy with one seed on one problem. */
export interface SuiteTask {
  readonly problem: SuiteProblem;
  readonly strategy: string;
  /** @defaultValue {} */
  readonly strategyOptions?: StrategyOptions;
  readonly seed: number;
  /** Distinct evaluations (capped at the space's size). */
  readonly budget: number;
  /** Evaluation counts at which the run is scored. */
  readonly checkpoints: readonly number[];
  /** Journal file of the run (replayed when it exists); in memory when absent. */
  readonly journal?: string;
}

/** What a run gave. */
export interface SuiteTaskResult {
  readonly problem: string;
  readonly strategy: string;
  readonly seed: number;
  readonly evaluated: number;
  /** Evaluations reused from the journal. */
  readonly resumed: number;
  readonly failed: number;
  readonly exhausted: boolean;
  /** Scores at the checkpoints, ascending. */
  readonly scores: readonly RunScore[];
}

/**
 * The study of a problem: its space and table devices (one joint study when it names several),
 * its objectives and constraints in study names, the table accuracy source; params and FLOPs counted
 * only when an objective or constraint needs them.
 */
export function createProblemStudy(p: SuiteProblem, strategy: string, strategyOptions: StrategyOptions, seed: number, budget: number, storage: StudyStorage): Promise<Study> {
  const objectives = studyObjectives(p);
  const constraints = studyConstraints(p);
  return Study.create({
    space: loadSpace(p.space),
    devices: p.devices.map((d) => loadDevice(d)),
    joint: isJoint(p),
    objectives,
    constraints,
    strategy,
    strategyOptions,
    accuracy: 'table',
    budget,
    seed,
    counts: [...objectives.map((o) => o.metric), ...constraints.map((c) => c.metric)].some((m) => m === 'paramCount' || m === 'flops'),
  }, { storage });
}

/** Run one task (its journal replayed first) and score it against the problem's exact front. */
export async function runSuiteTask(t: SuiteTask): Promise<SuiteTaskResult> {
  const journal = t.journal;
  const storage: StudyStorage = journal === undefined ? { kind: 'memory' } : { kind: 'journal', file: () => journal };
  const study = await createProblemStudy(t.problem, t.strategy, t.strategyOptions ?? {}, t.seed, t.budget, storage);
  const run = (await study.run()).targets[0]!;
  const expected = studyObjectives(t.problem).map((o) => o.metric).join(',');
  if (run.objectives.map((o) => o.metric).join(',') !== expected) {
    throw new Error(`problem ${t.problem.id}: the study's objectives ${run.objectives.map((o) => o.metric).join(',')} differ from the problem's ${expected}`);
  }
  return {
    problem: t.problem.id,
    strategy: t.strategy,
    seed: t.seed,
    evaluated: run.records.length,
    resumed: run.resumed,
    failed: run.failed,
    exhausted: run.exhausted,
    scores: scoreRun(t.problem, run.records, t.checkpoints),
  };
}
