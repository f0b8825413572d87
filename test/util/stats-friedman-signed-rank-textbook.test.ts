import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chiSquaredSf, friedmanTest, holmAdjust, logGamma, midRanks, nemenyiCriticalDifference, regularizedGammaQ, signedRankTest,
  studentizedRangeQuantile,
} from '../../src/util/stats.ts';

const close = (a: number, b: number, tol: number, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b}`);

test('mid-ranks: ties share the mean rank; best = highest ranks descending', () => {
  assert.deepEqual(midRanks([3, 1, 3, 2]).ranks, [3.5, 1, 3.5, 2]);
  assert.deepEqual(midRanks([3, 1, 3, 2], 'highest').ranks, [1.5, 4, 1.5, 3]);
  assert.equal(midRanks([1, 1, 1, 2, 2]).tieTerm, 24 + 6);
});

test('log Γ and the regularized incomplete gamma against closed forms', () => {
  close(logGamma(1), 0, 1e-14);
  close(logGamma(5), Math.log(24), 1e-13);
  close(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-14);
  close(logGamma(100.5), 361.4355404677776, 1e-10); // Python's math.lgamma(100.5)
  // Q(1, x) = e^(−x); Q(n, x) = e^(−x) Σ_{k<n} x^k/k! for integer n (both branches: x < a+1 and x ≥ a+1).
  for (const x of [0.1, 1, 3, 10, 40]) close(regularizedGammaQ(1, x), Math.exp(-x), 1e-14 * Math.max(1, Math.exp(-x)) + 1e-16, `Q(1, ${x})`);
  for (const x of [0.5, 2, 6, 15]) {
    let s = 0;
    let t = 1;
    for (let k = 0; k < 4; k++) { s += t; t *= x / (k + 1); }
    close(regularizedGammaQ(4, x), Math.exp(-x) * s, 1e-13, `Q(4, ${x})`);
  }
  // χ² upper tails as printed by R's pchisq(x, df, lower.tail = FALSE).
  close(chiSquaredSf(3.841458820694124, 1), 0.05, 1e-12, 'χ²(1) 95 %');
  close(chiSquaredSf(0.5, 1), 0.4795001221869534, 1e-12);
  close(chiSquaredSf(9.28, 3), 0.02579072419875677, 1e-12);
  close(chiSquaredSf(100, 10) / 5.449701982920521e-17, 1, 1e-9);
});

// Hollander & Wolfe (1973), p. 140: round-out times of 22 baseball players under 3 methods — the
// example of R's `friedman.test(RoundingTimes)`, which prints Friedman chi-squared = 11.143, df = 2,
// p-value = 0.003805 (ties within blocks, so the tie correction matters).
const roundingTimes = [
  [5.40, 5.50, 5.55], [5.85, 5.70, 5.75], [5.20, 5.60, 5.50], [5.55, 5.50, 5.40], [5.90, 5.85, 5.70],
  [5.45, 5.55, 5.60], [5.40, 5.40, 5.35], [5.45, 5.50, 5.35], [5.25, 5.15, 5.00], [5.85, 5.80, 5.70],
  [5.25, 5.20, 5.10], [5.65, 5.55, 5.45], [5.60, 5.35, 5.45], [5.05, 5.00, 4.95], [5.50, 5.50, 5.40],
  [5.45, 5.55, 5.50], [5.55, 5.55, 5.35], [5.45, 5.50, 5.55], [5.50, 5.45, 5.25], [5.65, 5.60, 5.40],
  [5.70, 5.65, 5.55], [6.30, 6.30, 6.25],
];

test('Friedman test: R\'s RoundingTimes example (Hollander & Wolfe 1973)', () => {
  const r = friedmanTest(roundingTimes, { best: 'lowest' });
  assert.equal(r.n, 22);
  assert.equal(r.df, 2);
  assert.equal(r.chiSquared.toFixed(3), '11.143');
  close(r.chiSquared, 78 / 7, 1e-12); // exact value
  assert.equal(r.p.toPrecision(4), '0.003805');
  // The statistic does not depend on which end is "best"; the average ranks mirror.
  const h = friedmanTest(roundingTimes, { best: 'highest' });
  close(h.chiSquared, r.chiSquared, 1e-12);
  h.averageRanks.forEach((a, j) => close(a, 4 - r.averageRanks[j]!, 1e-12));
});

test('Friedman without ties: Demšar\'s Eq. 12 by hand', () => {
  // A tie-free case checked by hand: 3 blocks all ranking A < B < C (lowest best): R = 3, 6, 9.
  const r = friedmanTest([[1, 2, 3], [1, 2, 3], [1, 2, 3]], { best: 'lowest' });
  assert.deepEqual(r.averageRanks, [1, 2, 3]);
  close(r.chiSquared, (12 / (3 * 3 * 4)) * (9 + 36 + 81) - 3 * 3 * 4, 1e-12); // = 6
  close(r.p, Math.exp(-3), 1e-13); // χ² with 2 df: P(X ≥ 6) = e^(−3)
});

// Hollander & Wolfe (1973), p. 29: Hamilton depression scale before (x) and after (y) a treatment —
// the example of R's `wilcox.test(x, y, paired = TRUE, alternative = "greater")`: V = 40, p = 0.01953.
const hwX = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30];
const hwY = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];

test('Wilcoxon signed-rank: R\'s depression example, exact', () => {
  const g = signedRankTest(hwX, hwY, { alternative: 'greater' });
  assert.equal(g.v, 40);
  assert.equal(g.method, 'exact');
  close(g.p, 10 / 512, 1e-15); // 0.01953125: 10 of the 2^9 sign patterns have V ≥ 40
  close(signedRankTest(hwX, hwY).p, 20 / 512, 1e-15); // two-sided
  close(signedRankTest(hwX, hwY, { alternative: 'less' }).p, 505 / 512, 1e-15); // P(V ≤ 40) = 1 − P(V ≥ 41) = 1 − 7/512
});

// Demšar 2006, Table 2: AUC of C4.5 and C4.5+m on 14 data sets; two zero differences, tied |d|.
const c45 = [0.763, 0.599, 0.954, 0.628, 0.882, 0.936, 0.661, 0.583, 0.775, 1.0, 0.94, 0.619, 0.972, 0.957];
const c45m = [0.768, 0.591, 0.971, 0.661, 0.888, 0.931, 0.668, 0.583, 0.838, 1.0, 0.962, 0.666, 0.981, 0.978];

test('Wilcoxon signed-rank with zeros and ties: normal approximation and exact permutation distribution', () => {
  const r = signedRankTest(c45m, c45, { method: 'normal' });
  assert.equal(r.n, 12, 'the two zero differences are dropped');
  // Ranks of |d| (0.005 twice → 1.5): R+ = 71.5, R− = 6.5 (Demšar ranks the zeros and splits them: 93 and 12).
  assert.equal(r.v, 71.5);
  // Var = 12·13·25/24 − (2³ − 2)/48 = 162.375; z = (71.5 − 39 − ½)/√Var; two-sided p as SciPy's
  // wilcoxon(..., method='asymptotic', correction=True) prints: 0.012030358470209076.
  close(r.p, 0.012030358470209076, 1e-12);
  // Exact: brute force over all 2^12 sign patterns of the mid-ranks.
  const d = c45m.map((v, i) => v - c45[i]!).filter((v) => v !== 0);
  const ranks = midRanks(d.map(Math.abs)).ranks;
  let atLeast = 0;
  let atMost = 0;
  for (let mask = 0; mask < 1 << d.length; mask++) {
    let s = 0;
    for (let i = 0; i < d.length; i++) if (mask & (1 << i)) s += ranks[i]!;
    if (s >= 71.5) atLeast++;
    if (s <= 71.5) atMost++;
  }
  const exact = signedRankTest(c45m, c45, { method: 'exact' });
  close(exact.p, Math.min(1, 2 * Math.min(atLeast, atMost) / 4096), 1e-15);
  assert.equal(signedRankTest([1, 2], [1, 2]).p, 1, 'no non-zero difference');
});

test('Holm step-down adjustment as R\'s p.adjust(p, "holm")', () => {
  // p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05), "holm") = 0.05 0.08 0.09 0.09 0.09
  holmAdjust([0.01, 0.02, 0.03, 0.04, 0.05]).forEach((v, i) => close(v, [0.05, 0.08, 0.09, 0.09, 0.09][i]!, 1e-15));
  // input order kept, capped at 1
  holmAdjust([0.5, 0.001, 0.2]).forEach((v, i) => close(v, [0.5, 0.003, 0.4][i]!, 1e-15));
  holmAdjust([0.9, 0.8]).forEach((v) => close(v, 1, 0));
});

test('Nemenyi critical difference: Demšar 2006 Table 5a and the example CD = 1.25 (k = 4, n = 14)', () => {
  const table = [1.96, 2.343, 2.569, 2.728, 2.85, 2.949, 3.031, 3.102, 3.164]; // q_0.05, k = 2..10
  table.forEach((q, i) => close(studentizedRangeQuantile(0.95, i + 2) / Math.SQRT2, q, 0.0011, `k = ${i + 2}`));
  const table10 = [1.645, 2.052, 2.291, 2.459, 2.589, 2.693, 2.78, 2.855, 2.92]; // q_0.10
  table10.forEach((q, i) => close(nemenyiCriticalDifference(i + 2, 10, 0.1).qAlpha, q, 0.0011, `α 0.1, k = ${i + 2}`));
  const cd = nemenyiCriticalDifference(4, 14);
  assert.equal(cd.cd.toFixed(2), '1.25');
  close(nemenyiCriticalDifference(2, 5).qAlpha, 1.959963984540054, 1e-7); // k = 2: the normal quantile
  close(studentizedRangeQuantile(0.95, 20), 5.0116887941184425, 1e-7); // SciPy's studentized_range.ppf(0.95, 20, inf)
});
