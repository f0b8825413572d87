import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cholesky, choleskyLogDet, choleskySolve } from '../../src/util/cholesky.ts';

test('cholesky solves an SPD system and gives its log-determinant', () => {
  // A = B·Bᵀ + I for a fixed B: SPD, det known through the factor.
  const a = Float64Array.from([4, 2, 0.6, 2, 5, 1.5, 0.6, 1.5, 3]);
  const c = cholesky(a, 3);
  const x = choleskySolve(c, [1, 2, 3]);
  for (let i = 0; i < 3; i++) {
    const ax = a[i * 3]! * x[0]! + a[i * 3 + 1]! * x[1]! + a[i * 3 + 2]! * x[2]!;
    assert.ok(Math.abs(ax - (i + 1)) < 1e-12, `row ${i}: ${ax}`);
  }
  // det by cofactor expansion.
  const det = 4 * (5 * 3 - 1.5 * 1.5) - 2 * (2 * 3 - 1.5 * 0.6) + 0.6 * (2 * 1.5 - 5 * 0.6);
  assert.ok(Math.abs(choleskyLogDet(c) - Math.log(det)) < 1e-12);
  assert.throws(() => cholesky(Float64Array.from([1, 2, 2, 1]), 2), /not positive definite/);
});
