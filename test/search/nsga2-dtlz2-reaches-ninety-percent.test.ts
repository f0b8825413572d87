import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getMooProblem } from '../../src/search/problems/problem-registry.ts';
import { runMoo } from '../../src/run/moo.ts';

test('real-coded NSGA-II on DTLZ2 (M = 3), pop 100 × 250 generations, reaches ≥ 0.90 of the analytic front HV', async () => {
  // default survival = nearest-neighbour pruning (Kukkonen & Deb 2006); one-shot crowding gets ≈ 0.87
  const r = await runMoo({ problem: getMooProblem('dtlz2')!, pop: 100, generations: 250, seed: 1 });
  assert.equal(r.evaluations, 25_000);
  assert.ok(r.hypervolumeRatio >= 0.9, `HV ratio ${r.hypervolumeRatio}`);
  assert.ok(r.hypervolumeRatio <= 1);
  assert.ok(r.igdPlus < 0.03, `IGD+ ${r.igdPlus}`);
});
