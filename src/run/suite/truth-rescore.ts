import { tableAccuracyFactories } from '../../accuracy/table-accuracy.ts';
import { AnytimeFront } from '../../record/exact-front.ts';
import type { JournalEntry } from '../../record/journal.ts';
import { buildLeaderboard, paretoFront } from '../../record/leaderboard.ts';
import { constraintViolation, type Constraint, type Objective } from '../../record/metric-registry.ts';
import type { SearchSpace } from '../../space/search-space.ts';
import { studyMetric } from './problem-metrics.ts';
import { problemTruth, type RunScore } from './problem-score.ts';
import type { SuiteProblem } from './suite-file.ts';

/**
 * Scores of a run searched with a non-table accuracy signal (a proxy), after some evaluations, both
 * against the problem's exact front with the table's accuracy in place of the proxy's.
 */
export interface ProxyRunScores {
  /** Evaluations made (the checkpoint, or fewer when the run ended before it). */
  readonly evaluations: number;
  /**
   * The front the search reports (feasible, non-dominated under the proxy and the other objectives),
   * each member re-scored with the table's accuracy: what a user trusting the proxy gets.
   */
  readonly reported: RunScore;
  /** Members of the reported front. */
  readonly reportedFrontSize: number;
  /** Every feasible successful evaluation with the table's accuracy: the best front reachable from what was evaluated. */
  readonly bestEvaluated: RunScore;
}

/** The table accuracy of an evaluated architecture, as the problem's accuracy key names it (%). */
export type TruthAccuracy = (rec: JournalEntry) => Promise<number | undefined>;

/**
 * The problem's ground truth: its space's accuracy table, read for the problem's accuracy key (NAS-Bench-201
 * CIFAR-10/100 or ImageNet16-120 validation accuracy, NAS-Bench-Macro mean CIFAR-10 test accuracy).
 * An architecture the table lacks has none.
 */
export async function tableTruth(p: SuiteProblem, space: SearchSpace): Promise<TruthAccuracy> {
  const table = await tableAccuracyFactories.find((f) => f.id === 'table')!.create(space, { seed: 0, jobs: 1 });
  const key = studyMetric(p, 'accuracy');
  return async (rec) => {
    try {
      const v = (await table.metrics(space, rec.genotype))[key];
      return v !== undefined && Number.isFinite(v) ? v : undefined;
    } catch {
      return undefined;
    }
  };
}

/**
 * Score a proxy-driven run's evaluations (in evaluation order) at each checkpoint in two ways
 * ({@link ProxyRunScores}). `objectives` and `constraints` are the study's own (the proxy's metric in
 * place of accuracy): the reported front is taken under them, as the search's leaderboard does.
 * Every point is then scored with `truth` as the problem's accuracy and the problem's fixed bounds and
 * reference point. Failed and infeasible evaluations, and architectures without a table entry, add no point.
 */
export async function scoreProxyRun(
  p: SuiteProblem, records: readonly JournalEntry[], checkpoints: readonly number[],
  objectives: readonly Objective[], constraints: readonly Constraint[], truth: TruthAccuracy,
): Promise<ProxyRunScores[]> {
  const truthFront = problemTruth(p);
  const accuracyMetric = studyMetric(p, 'accuracy');
  const truthOf = new Map<number, number | undefined>();
  for (const r of records) if (r.outcome.status === 'ok') truthOf.set(r.n, await truth(r));
  // The problem's metrics of an evaluation: its own, with the table's accuracy as the problem's accuracy.
  const truthMetrics = (r: JournalEntry): Record<string, number> | undefined => {
    const t = truthOf.get(r.n);
    return r.outcome.status === 'ok' && t !== undefined ? { ...r.outcome.metrics, [accuracyMetric]: t } : undefined;
  };
  const counts = [...new Set(checkpoints.map((c) => Math.min(c, records.length)))].filter((c) => c > 0).sort((a, b) => a - b);
  const byN = new Map(records.map((r) => [r.n, r]));
  const out: ProxyRunScores[] = [];
  for (const c of counts) {
    const seen = records.slice(0, c);
    const reported = new AnytimeFront(truthFront);
    const front = paretoFront(buildLeaderboard(seen, objectives, constraints));
    for (const row of front) {
      const m = truthMetrics(byN.get(row.evaluation)!);
      if (m) reported.add(m);
    }
    const best = new AnytimeFront(truthFront);
    for (const r of seen) {
      if (r.outcome.status !== 'ok') continue;
      if (constraints.length > 0 && constraintViolation(constraints, r.outcome.metrics) > 0) continue;
      const m = truthMetrics(r);
      if (m) best.add(m);
    }
    const q = (f: AnytimeFront): RunScore => {
      const x = f.quality();
      return { evaluations: c, hypervolume: x.hypervolume, hvRatio: x.hvRatio, igdPlus: x.igdPlus };
    };
    out.push({ evaluations: c, reported: q(reported), reportedFrontSize: front.length, bestEvaluated: q(best) });
  }
  return out;
}
