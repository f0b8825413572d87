import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hypervolume } from '../../src/pareto/hypervolume.ts';
import { nb201TableProblem, nb201TableProblemById, SUITE_PROBLEM_IDS } from '../../src/search/problems/nb201-table-problem.ts';
import { hvRatioCurve, runTableSearch } from '../../src/search/problems/run-table-search.ts';

test('nb201 × fpga from the tables: exact front of 11 cells, bounds = its ideal and nadir, HV ratio 1 for the front', () => {
  const p = nb201TableProblem('fpga');
  assert.equal(p.id, 'fpga');
  assert.equal(p.front.length, 11);
  // Best CIFAR-10 validation accuracy of NAS-Bench-201 (91.61 %) and the fastest fpga cell (84.66 %, 1.133 ms).
  assert.ok(Math.abs(p.ideal[0] + 91.6067) < 1e-3 && Math.abs(p.ideal[1] - 1.13296) < 1e-5, `ideal ${p.ideal}`);
  assert.ok(Math.abs(p.nadir[0] + 84.664) < 1e-3 && Math.abs(p.nadir[1] - 6.67856) < 1e-5, `nadir ${p.nadir}`);
  // The front's hypervolume by hand: normalise with (ideal, nadir), reference 1.1.
  const norm = p.front.map((f) => [(f[0]! - p.ideal[0]) / (p.nadir[0] - p.ideal[0]), (f[1]! - p.ideal[1]) / (p.nadir[1] - p.ideal[1])]);
  assert.ok(Math.abs(p.frontHypervolume - hypervolume(norm, [1.1, 1.1])) < 1e-12);
  assert.equal(p.hvRatio(p.front), 1);
  // The most accurate cell alone: its box from (0, 1) to the reference point.
  assert.ok(Math.abs(p.hvRatio([p.front[0]!]) - (1.1 * 0.1) / p.frontHypervolume) < 1e-12);
  // A point beyond the reference point in one objective adds nothing (hypervolume clips it).
  assert.equal(p.hvRatio([[p.ideal[0], p.nadir[1] + 0.2 * (p.nadir[1] - p.ideal[1])]]), 0);
  assert.equal(p.hvRatio([...p.front, [p.ideal[0] + 100, p.ideal[1]]]), 1);
});

test('every suite problem loads; ids name dataset variants', () => {
  for (const id of SUITE_PROBLEM_IDS) {
    const p = nb201TableProblemById(id);
    assert.equal(p.id, id);
    assert.ok(p.front.length >= 5 && p.frontHypervolume > 0.5, `${id}: front ${p.front.length}, HV ${p.frontHypervolume}`);
  }
  assert.equal(nb201TableProblemById('pixel3-cifar100').accuracyMetric, 'cifar100ValidAcc');
  assert.equal(nb201TableProblemById('fpga-imagenet16').accuracyMetric, 'imagenet16ValidAcc');
  assert.throws(() => nb201TableProblemById('no-such-device'), /no device "no-such-device"/);
});

test('runTableSearch: budget distinct evaluations, same seed same run, HV ratio of the evaluated set', async () => {
  const problem = nb201TableProblem('eyeriss');
  const a = await runTableSearch({ problem, strategy: 'nsga2', seed: 3, budget: 120, checkpoints: [50] });
  const b = await runTableSearch({ problem, strategy: 'nsga2', seed: 3, budget: 120, checkpoints: [50] });
  assert.equal(a.genotypes.length, 120);
  assert.equal(new Set(a.genotypes.map((g) => g.join(','))).size, 120);
  assert.deepEqual(a, b);
  assert.deepEqual(a.hvRatio.map((c) => c.evaluations), [50, 120]);
  assert.equal(a.hvRatio[1]!.hvRatio, problem.hvRatio(a.genotypes.map((g) => problem.values(g))));
  assert.ok(a.hvRatio[0]!.hvRatio <= a.hvRatio[1]!.hvRatio && a.hvRatio[1]!.hvRatio < 1);
  assert.deepEqual(hvRatioCurve(problem, a.genotypes, [50, 1000]), [a.hvRatio[0], a.hvRatio[1]]);
  await assert.rejects(runTableSearch({ problem, strategy: 'nsga2', seed: 0, budget: 10, options: { populaton: 10 } }), /unknown option "populaton"/);
});
