import { test } from 'node:test';
import assert from 'node:assert/strict';
import { erfc, quartiles, rankSumTest, sampleStd } from '../../src/util/stats.ts';

// Hollander & Wolfe (1973), p. 69: permeability constants of the human chorioamnion; the example of
// R's `wilcox.test(x, y, alternative = "greater")`, which prints W = 35, p-value = 0.1272 (exact).
const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
const y = [1.15, 0.88, 0.9, 0.74, 1.21];

test('exact one-sided rank-sum p-value matches the textbook value', () => {
  const r = rankSumTest(x, y, { alternative: 'greater', method: 'exact' });
  assert.equal(r.u, 35);
  assert.equal(r.w, 90);
  assert.equal(r.p.toFixed(4), '0.1272');
  assert.equal(r.method, 'exact');
});

test('normal approximation: z from E[U] = n1 n2 / 2 and Var[U] = n1 n2 (n + 1) / 12, continuity ½', () => {
  // Var = 10·5·16/12 = 66.667; z = (35 − 25 − 0.5)/8.165 = 1.1635; 1 − Φ(1.1635) = 0.12231
  const r = rankSumTest(x, y, { method: 'normal' });
  assert.ok(Math.abs(r.p - 0.12231180256349167) < 1e-12, String(r.p));
  const two = rankSumTest(x, y, { method: 'normal', alternative: 'two-sided' });
  assert.ok(Math.abs(two.p - 2 * r.p) < 1e-12);
});

test('hand example: every x above every y with n = 3 + 2 gives p = 1 / C(5, 2)', () => {
  const r = rankSumTest([3, 4, 5], [1, 2]);
  assert.equal(r.u, 6);
  assert.ok(Math.abs(r.p - 0.1) < 1e-12);
  assert.ok(Math.abs(rankSumTest([3, 4, 5], [1, 2], { alternative: 'less' }).p - 1) < 1e-12);
});

test('ties: exact permutation distribution over mid-ranks', () => {
  // Symmetric case: W equals its mean 60, so the upper tail holds P(W ≥ 60) = (1 + P(W = 60)) / 2.
  const a = [1, 2, 2, 3, 5, 5, 5, 8];
  const b = [2, 3, 3, 4, 4, 6];
  const r = rankSumTest(a, b);
  assert.equal(r.w, 60);
  assert.ok(Math.abs(r.p - 0.5041625041625042) < 1e-9, String(r.p));
  // Tie groups 2×3, 3×3, 4×2, 5×3: Var = 48/12 · (15 − (24 + 24 + 6 + 24)/(14·13)) = 58.286;
  // U = E[U] = 24, so p = 1 − Φ(−0.5/√58.286) = 0.5261
  const n = rankSumTest(a, b, { method: 'normal' });
  assert.ok(Math.abs(n.p - 0.526108903531965) < 1e-9, String(n.p));
});

test('erfc, quartiles and std against known values', () => {
  assert.ok(Math.abs(erfc(1) - 0.157299207050285) < 1e-13);
  assert.ok(Math.abs(erfc(3) / 2.209049699858544e-5 - 1) < 1e-12);
  const q = quartiles([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.deepEqual([q.q1, q.median, q.q3, q.iqr], [3.25, 5.5, 7.75, 4.5]);
  assert.ok(Math.abs(sampleStd([2, 4, 4, 4, 5, 5, 7, 9]) - Math.sqrt(32 / 7)) < 1e-12);
});
