import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nnls } from '../../src/latency/nnls.ts';
import { Rng } from '../../src/util/rng.ts';

test('NNLS recovers known non-negative coefficients (some exactly zero)', () => {
  const rng = new Rng(11);
  const truth = Array.from({ length: 25 }, (_, i) => (i % 5 === 0 ? 0 : rng.uniform(0.05, 4)));
  const rows = Array.from({ length: 120 }, () => truth.map(() => rng.int(4)));
  const b = rows.map((r) => r.reduce((s, v, i) => s + v * truth[i]!, 0));
  const { x, residualNorm } = nnls(rows, b);
  truth.forEach((t, i) => assert.ok(Math.abs(x[i]! - t) < 1e-6, `x[${i}] = ${x[i]} vs ${t}`));
  assert.ok(residualNorm < 1e-6);
});

test('NNLS clamps at zero where the unconstrained solution is negative', () => {
  // Least squares on [[1,0],[0,1],[1,1]] x = [2,-1,1] gives x2 < 0; with x >= 0, x = [1.5, 0].
  const { x } = nnls([[1, 0], [0, 1], [1, 1]], [2, -1, 1]);
  assert.ok(Math.abs(x[0]! - 1.5) < 1e-9);
  assert.equal(x[1], 0);
});
