import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getMooProblem } from '../../src/search/problems/problem-registry.ts';
import { runMoo } from '../../src/run/moo.ts';

test('real-coded NSGA-II on ZDT1, pop 40 × 150 generations, reaches ≥ 0.9 of the analytic front HV', async () => {
  const r = await runMoo({ problem: getMooProblem('zdt1')!, strategy: 'nsga2', pop: 40, generations: 150, seed: 1 });
  assert.equal(r.evaluations, 6000);
  assert.ok(r.hypervolumeRatio >= 0.9, `HV ratio ${r.hypervolumeRatio}`);
  assert.ok(r.hypervolumeRatio <= 1);
  assert.ok(r.front.length > 0 && r.front.length <= 40);
});

test('random sampling with the same budget on ZDT1 does far worse (the comparison is meaningful)', async () => {
  const r = await runMoo({ problem: getMooProblem('zdt1')!, strategy: 'random', pop: 40, generations: 150, seed: 1 });
  assert.ok(r.hypervolumeRatio < 0.9, `HV ratio ${r.hypervolumeRatio}`);
});
