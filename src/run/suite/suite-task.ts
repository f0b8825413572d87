import type { TrainingBudget } from '../../accuracy/accuracy-source.ts';
import { getAccuracySource } from '../../accuracy/accuracy-registry.ts';
import { InputError } from '../../errors.ts';
import { loadDevice } from '../../latency/device-profile.ts';
import { loadSpace } from '../../space/space-registry.ts';
import { Study, type StrategyOptions, type StudyStorage } from '../study.ts';
import { isJoint, studyConstraints, studyObjectives } from './problem-metrics.ts';
import { scoreRun, type RunScore } from './problem-score.ts';
import type { SuiteProblem } from './suite-file.ts';
import { scoreProxyRun, tableTruth, type ProxyRunScores } from './truth-rescore.ts';

/**
 * A non-table accuracy signal that drives a suite run's search (`hwnas suite run --accuracy`): the
 * runs are still scored by the table's truth ({@link ProxyRunScores}).
 */
export interface SuiteAccuracy {
  /** Accuracy source id as `--accuracy` takes it (`zero-cost:naswot`, `proxy-train`, `command:…`). */
  readonly source: string;
  /** Image data of a data-dependent source. @defaultValue the vendored CIFAR-10 subset */
  readonly data?: string;
  /** Training budget of a training source. @defaultValue the source's defaults */
  readonly training?: TrainingBudget;
}

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
  /** The accuracy signal the search uses. @defaultValue the problem's table */
  readonly accuracy?: SuiteAccuracy;
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
  /**
   * Scores at the checkpoints, ascending. With {@link SuiteTask.accuracy}: those of the reported
   * front re-scored with the table's accuracy ({@link ProxyRunScores.reported}).
   */
  readonly scores: readonly RunScore[];
  /** With {@link SuiteTask.accuracy}: the source id and both scores at each checkpoint. */
  readonly proxy?: { readonly accuracySource: string; readonly scores: readonly ProxyRunScores[] };
}

/** The problem's objectives as a study driven by `accuracy` names them: `accuracy` stands for the source's own metric. */
function taskObjectives(p: SuiteProblem, accuracy: SuiteAccuracy | undefined) {
  return accuracy === undefined ? studyObjectives(p) : studyObjectives(p).map((o, j) => (p.objectives[j] === 'accuracy' ? { metric: 'accuracy', direction: 'max' as const } : o));
}

/**
 * The study of a problem: its space and table devices (one joint study when it names several),
 * its objectives and constraints in study names, the table accuracy source; params and FLOPs counted
 * only when an objective or constraint needs them.
 */
export async function createProblemStudy(p: SuiteProblem, strategy: string, strategyOptions: StrategyOptions, seed: number, budget: number, storage: StudyStorage, accuracy?: SuiteAccuracy): Promise<Study> {
  const objectives = taskObjectives(p, accuracy);
  const constraints = studyConstraints(p);
  const space = loadSpace(p.space);
  const source = accuracy === undefined ? 'table' : await getAccuracySource(accuracy.source, space, {
    seed, jobs: 1, ...(accuracy.data !== undefined && { data: accuracy.data }), ...(accuracy.training !== undefined && { training: accuracy.training }),
  });
  // zero-cost:flops scores under `flops`: on a problem with a FLOPs objective the search would see one objective twice.
  const others = [...objectives.filter((_, j) => p.objectives[j] !== 'accuracy'), ...constraints];
  if (typeof source !== 'string' && others.some((o) => o.metric === source.metric)) {
    await source.close?.();
    throw new InputError('incompatible', `accuracy source ${accuracy!.source} scores under the metric "${source.metric}", which problem ${p.id} already has as an objective or constraint`, { path: '--accuracy', expected: `a source whose metric is not one of ${p.objectives.filter((o) => o !== 'accuracy').join(', ')}`, actual: JSON.stringify(accuracy!.source) });
  }
  return Study.create({
    space,
    devices: p.devices.map((d) => loadDevice(d)),
    joint: isJoint(p),
    objectives,
    constraints,
    strategy,
    strategyOptions,
    accuracy: source,
    budget,
    seed,
    counts: [...objectives.map((o) => o.metric), ...constraints.map((c) => c.metric)].some((m) => m === 'paramCount' || m === 'flops'),
  }, { storage });
}

/** Run one task (its journal replayed first) and score it against the problem's exact front. */
export async function runSuiteTask(t: SuiteTask): Promise<SuiteTaskResult> {
  const journal = t.journal;
  const storage: StudyStorage = journal === undefined ? { kind: 'memory' } : { kind: 'journal', file: () => journal };
  const study = await createProblemStudy(t.problem, t.strategy, t.strategyOptions ?? {}, t.seed, t.budget, storage, t.accuracy);
  const run = (await study.run()).targets[0]!;
  const proxyMetric = study.accuracySource?.metric ?? 'accuracy';
  const expected = taskObjectives(t.problem, t.accuracy).map((o) => (t.accuracy !== undefined && o.metric === 'accuracy' ? proxyMetric : o.metric)).join(',');
  if (run.objectives.map((o) => o.metric).join(',') !== expected) {
    throw new Error(`problem ${t.problem.id}: the study's objectives ${run.objectives.map((o) => o.metric).join(',')} differ from the problem's ${expected}`);
  }
  const base = {
    problem: t.problem.id,
    strategy: t.strategy,
    seed: t.seed,
    evaluated: run.records.length,
    resumed: run.resumed,
    failed: run.failed,
    exhausted: run.exhausted,
  };
  if (t.accuracy === undefined) return { ...base, scores: scoreRun(t.problem, run.records, t.checkpoints) };
  const truth = await tableTruth(t.problem, loadSpace(t.problem.space));
  const scores = await scoreProxyRun(t.problem, run.records, t.checkpoints, run.objectives, run.constraints, truth);
  return { ...base, scores: scores.map((s) => s.reported), proxy: { accuracySource: t.accuracy.source, scores } };
}
