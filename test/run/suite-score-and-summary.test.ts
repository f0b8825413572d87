import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JournalEntry } from '../../src/record/journal.ts';
import { fileMetric, studyConstraints, studyMetric, studyObjectives } from '../../src/run/suite/problem-metrics.ts';
import { scoreRun } from '../../src/run/suite/problem-score.ts';
import { loadSuite } from '../../src/run/suite/suite-file.ts';
import { summarizeSuite, type SuiteResultRow } from '../../src/run/suite/suite-summary.ts';
import { friedmanTest, nemenyiCriticalDifference, signedRankTest } from '../../src/util/stats.ts';

const suite = loadSuite('hwnas-v1');
const problem = (id: string) => suite.problems.find((p) => p.id === id)!;

/** Journal records whose metrics are the front points' values, in a study's metric names. */
function records(id: string, extra: Record<string, number>[] = []): JournalEntry[] {
  const p = problem(id);
  const names = studyObjectives(p).map((o) => o.metric);
  const metrics = [...p.front.map((pt) => Object.fromEntries(names.map((n, j) => [n, pt.values[j]!]))), ...extra];
  return metrics.map((m, i) => ({ n: i + 1, arch: `a${i}`, genotype: [i], outcome: { status: 'ok', metrics: m }, evalMs: 0 }));
}

test('a run that evaluates the exact front scores HV ratio 1 and IGD+ 0, in one- and many-device problems', () => {
  for (const id of ['nb201-c10-fpga', 'nb201-c10-fleet5', 'macro-c10-params-flops']) {
    const recs = records(id);
    const [half, all] = scoreRun(problem(id), recs, [Math.floor(recs.length / 2), recs.length, recs.length + 100]);
    assert.equal(all!.evaluations, recs.length, 'a checkpoint past the run scores the whole run once');
    assert.ok(Math.abs(all!.hvRatio - 1) < 1e-12, `${id}: ${all!.hvRatio}`);
    assert.equal(all!.igdPlus, 0);
    assert.ok(half!.hvRatio < 1 && half!.igdPlus > 0, `${id}: half the front is not all of it`);
  }
});

test('infeasible and failed evaluations add nothing; a run without a feasible point has HV 0 and IGD+ ∞', () => {
  const id = 'nb201-c10-pixel3-le10ms';
  const p = problem(id);
  // A point better than the whole front in accuracy but 11 ms on pixel3: infeasible (≤ 10 ms).
  const infeasible = { accuracy: 99, latencyMs: 11 };
  const recs = records(id, [infeasible]);
  recs.push({ n: recs.length + 1, arch: 'failed', genotype: [0], outcome: { status: 'failed', error: 'x' }, evalMs: 0 });
  const [s] = scoreRun(p, recs, [recs.length]);
  assert.ok(Math.abs(s!.hvRatio - 1) < 1e-12);
  assert.equal(s!.evaluations, recs.length);
  const [only] = scoreRun(p, [{ n: 1, arch: 'x', genotype: [0], outcome: { status: 'ok', metrics: infeasible }, evalMs: 0 }], [10]);
  assert.deepEqual(only, { evaluations: 1, hypervolume: 0, hvRatio: 0, igdPlus: Infinity });
});

test('summary: last checkpoint per run, per-problem medians and ranks, Friedman, Holm post-hoc and CD cliques', () => {
  const problems = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
  const strategies = ['a', 'b', 'c'];
  // Medians per problem (a, b, c): a best everywhere, b and c alternate.
  const med: Record<string, number[]> = { p1: [0.9, 0.8, 0.7], p2: [0.95, 0.7, 0.8], p3: [0.9, 0.85, 0.6], p4: [0.99, 0.5, 0.6], p5: [0.8, 0.7, 0.7], p6: [0.9, 0.6, 0.5] };
  const rows: SuiteResultRow[] = [];
  for (const p of problems) {
    strategies.forEach((s, j) => {
      const m = med[p]![j]!;
      // Three seeds around the median, plus an earlier checkpoint that must be ignored.
      [m - 0.01, m, m + 0.02].forEach((v, seed) => {
        rows.push({ problem: p, strategy: s, seed, evaluations: 50, hvRatio: 0.1, igdPlus: 1 });
        rows.push({ problem: p, strategy: s, seed, evaluations: 100, hvRatio: v, igdPlus: 1 - v });
      });
    });
  }
  const sum = summarizeSuite(rows, problems, strategies);
  assert.equal(sum.budget, 100);
  const cell = sum.perProblem.find((r) => r.problem === 'p2' && r.strategy === 'c')!;
  assert.equal(cell.runs, 3);
  assert.ok(Math.abs(cell.medianHvRatio - 0.8) < 1e-12);
  assert.ok(Math.abs(cell.q1HvRatio - 0.795) < 1e-12 && Math.abs(cell.q3HvRatio - 0.81) < 1e-12);
  assert.equal(cell.rank, 2);
  assert.equal(sum.perProblem.find((r) => r.problem === 'p5' && r.strategy === 'b')!.rank, 2.5, 'tied medians share ranks 2 and 3');
  const matrix = problems.map((p) => med[p]!);
  const f = friedmanTest(matrix);
  assert.deepEqual(sum.averageRanks.map((r) => r.averageRank), f.averageRanks);
  assert.equal(sum.averageRanks[0]!.averageRank, 1);
  assert.deepEqual(sum.friedman, { chiSquared: f.chiSquared, df: 2, p: f.p, n: 6, k: 3 });
  assert.deepEqual(sum.posthoc.map((r) => `${r.strategyA}-${r.strategyB}`), ['a-b', 'a-c', 'b-c']);
  const ab = sum.posthoc[0]!;
  const t = signedRankTest(matrix.map((r) => r[0]!), matrix.map((r) => r[1]!));
  assert.equal(ab.p, t.p);
  assert.equal(ab.better, 'a');
  // Holm over 3 pairs: the smallest p is multiplied by 3.
  const ps = sum.posthoc.map((r) => r.p);
  const smallest = ps.indexOf(Math.min(...ps));
  assert.ok(Math.abs(sum.posthoc[smallest]!.pHolm - Math.min(1, 3 * ps[smallest]!)) < 1e-15);
  const cd = sum.criticalDifference!;
  assert.equal(cd.cd, nemenyiCriticalDifference(3, 6).cd);
  // Average ranks a 1, b 14.5/6, c 15.5/6; CD = 2.343·√(12/36) = 1.35: b and c form a group, a stands alone.
  assert.deepEqual(cd.ranks.map((r) => r.strategy), ['a', 'b', 'c']);
  assert.deepEqual(cd.cliques, [['b', 'c']]);
  // Every clique spans less than the CD, and strategies further apart than the CD never share one.
  for (const c of cd.cliques) {
    const rs = c.map((s) => sum.averageRanks.find((r) => r.strategy === s)!.averageRank);
    assert.ok(Math.max(...rs) - Math.min(...rs) < cd.cd);
  }
});

test('metric names: file ↔ study, both ways, for one device, a fleet, CIFAR-100 and NAS-Bench-Macro', () => {
  const cases: [string, string[]][] = [
    ['nb201-c10-fpga', ['accuracy', 'latencyMs']],
    ['nb201-c10-fleet3', ['accuracy', 'latencyMs@pixel3', 'latencyMs@raspi4', 'latencyMs@fpga']],
    ['nb201-c100-pixel3', ['cifar100ValidAcc', 'latencyMs']],
    ['nb201-in16-fpga', ['imagenet16ValidAcc', 'latencyMs']],
    ['macro-c10-params-flops', ['accuracy', 'paramCount', 'flops']],
  ];
  for (const [id, study] of cases) {
    const p = problem(id);
    assert.deepEqual(p.objectives.map((o) => studyMetric(p, o)), study, id);
    assert.deepEqual(study.map((m) => fileMetric(p, m)), p.objectives, id);
    assert.deepEqual(studyObjectives(p).map((o) => o.direction), p.objectives.map((o) => (o === 'accuracy' ? 'max' : 'min')));
  }
  const c = problem('nb201-c10-pixel3-le10ms');
  assert.deepEqual(studyConstraints(c), [{ metric: 'latencyMs', op: '<=', value: 10 }]);
});
