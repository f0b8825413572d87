import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bootstrapInterval, bootstrapIntervals, kendallTauB, topCount, topPrecision } from '../../src/util/rank-agreement.ts';
import { Rng } from '../../src/util/rng.ts';
import { quantile } from '../../src/util/stats.ts';

/** τ-b straight from its definition, over every pair (O(n²)). */
function tauBByPairs(a: readonly number[], b: readonly number[]): number {
  let c = 0;
  let d = 0;
  let tiedA = 0;
  let tiedB = 0;
  let pairs = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = i + 1; j < a.length; j++) {
      pairs++;
      const s = Math.sign(a[i]! - a[j]!) * Math.sign(b[i]! - b[j]!);
      if (a[i] === a[j]) tiedA++;
      if (b[i] === b[j]) tiedB++;
      if (s > 0) c++;
      else if (s < 0) d++;
    }
  }
  return (c - d) / Math.sqrt((pairs - tiedA) * (pairs - tiedB));
}

test('Kendall tau-b: hand-counted pairs with ties in both columns', () => {
  // Pairs of (12,1) (2,4) (1,7) (12,1) (2,0): 2 concordant, 6 discordant, 2 pairs tied in x
  // ({12,12}, {2,2}), 1 tied in y ({1,1}); tau-b = (2 − 6) / sqrt((10 − 2)(10 − 1)) = −4/√72.
  assert.ok(Math.abs(kendallTauB([12, 2, 1, 12, 2], [1, 4, 7, 1, 0]) - -4 / Math.sqrt(72)) < 1e-12);
  // No ties: 1 discordant pair of 6 → (5 − 1)/6.
  assert.ok(Math.abs(kendallTauB([1, 2, 3, 4], [1, 3, 2, 4]) - 4 / 6) < 1e-12);
  assert.equal(kendallTauB([1, 2, 3], [3, 2, 1]), -1);
  assert.ok(Number.isNaN(kendallTauB([1, 1, 1], [1, 2, 3])), 'a constant column has no tau');
  assert.ok(Number.isNaN(kendallTauB([1], [2])));
});

test('Kendall tau-b (merge-sort count) equals the pair-by-pair definition on tied random data', () => {
  const rng = new Rng(7);
  for (const n of [2, 3, 10, 57, 200]) {
    const a = Array.from({ length: n }, () => rng.int(6));
    const b = a.map((v) => v + rng.int(4));
    assert.ok(Math.abs(kendallTauB(a, b) - tauBByPairs(a, b)) < 1e-12, `n = ${n}`);
  }
});

test('top-10 % precision: hand cases, ties at the cut shared', () => {
  const truth = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, -1, -2, -3, -4, -5, -6, -7, -8, -9];
  assert.equal(topCount(20), 2);
  assert.equal(topCount(30), 3);
  assert.equal(topCount(5), 1);
  assert.equal(topPrecision(truth, truth), 1);
  // The signal's top 2 are items 0 and 5; only item 0 is in the truth's top 2.
  const signal = truth.map((_, i) => (i === 0 ? 100 : i === 5 ? 99 : -i));
  assert.equal(topPrecision(signal, truth), 0.5);
  // Reversed: the signal's top 2 are the truth's bottom 2.
  assert.equal(topPrecision(truth.map((v) => -v), truth), 0);
  // Items 0, 1 and 2 tie for the signal's top 2: each holds 2/3 of a place; items 0 and 1 are the
  // truth's top 2, so the expected overlap is 2 × 2/3 of 2 places = 2/3.
  const tied = truth.map((_, i) => (i < 3 ? 50 : -i));
  assert.ok(Math.abs(topPrecision(tied, truth) - 2 / 3) < 1e-12);
  // A constant signal picks at random: expected precision = 2/20.
  assert.ok(Math.abs(topPrecision(truth.map(() => 1), truth) - 0.1) < 1e-12);
});

test('bootstrap interval: the same resamples as drawing them by hand, seeded', () => {
  const xs = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
  const mean = (idx: readonly number[]): number => idx.reduce((s, i) => s + xs[i]!, 0) / idx.length;
  const got = bootstrapInterval(xs.length, mean, new Rng(11), 200, 0.9);
  // By hand: 200 resamples of 10 indices from Rng(11).int(10), then the 5 % and 95 % quantiles.
  const rng = new Rng(11);
  const means: number[] = [];
  for (let r = 0; r < 200; r++) means.push(mean(Array.from({ length: 10 }, () => rng.int(10))));
  assert.deepEqual(got, [quantile(means, 0.05), quantile(means, 0.95)]);
  assert.deepEqual(bootstrapInterval(xs.length, mean, new Rng(11), 200, 0.9), got, 'same seed, same interval');
  assert.notDeepEqual(bootstrapInterval(xs.length, mean, new Rng(12), 200, 0.9), got);
  // Every statistic sees the same resamples: a statistic and its double give doubled intervals.
  const [a, b] = bootstrapIntervals(xs.length, (idx) => [mean(idx), 2 * mean(idx)], new Rng(11), 200, 0.9);
  assert.deepEqual(a, got);
  assert.deepEqual(b, [2 * got[0], 2 * got[1]]);
  // Constant resamples give NaN and are left out; none finite gives [NaN, NaN].
  assert.ok(bootstrapInterval(3, () => NaN, new Rng(1), 50).every(Number.isNaN));
});

test('bootstrap 95 % interval of a mean has the normal-theory width', () => {
  // n = 400 standard normal values: the interval of the mean is about ±1.96/√400 = ±0.098 wide.
  const rng = new Rng(3);
  const xs = Array.from({ length: 400 }, () => rng.normal());
  const m = xs.reduce((s, v) => s + v, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / (xs.length - 1));
  const [lo, hi] = bootstrapInterval(xs.length, (idx) => idx.reduce((s, i) => s + xs[i]!, 0) / idx.length, new Rng(5), 2000);
  const half = (1.96 * sd) / Math.sqrt(xs.length);
  assert.ok(lo < m && m < hi);
  assert.ok(Math.abs((hi - lo) / 2 - half) / half < 0.1, `half-width ${(hi - lo) / 2} vs ${half}`);
});
