import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binomialHalfCdf, medianCi, medianCiRanks } from '../../src/latency/median-ci.ts';
import { stopDecision } from '../../src/latency/measure.ts';
import { MAX_TIMING_MS } from '../../src/limits.ts';

/** Exact P(B ≤ k), B ~ Binomial(n, ½), from integer binomial coefficients (BigInt). */
function exactCdf(n: number, k: number): number {
  let c = 1n;
  let sum = 0n;
  for (let i = 0; i <= k; i++) {
    sum += c;
    c = (c * BigInt(n - i)) / BigInt(i + 1);
  }
  return Number(sum) / 2 ** n;
}

test('binomialHalfCdf matches exact binomial sums', () => {
  for (const n of [1, 6, 10, 20, 57, 100]) {
    for (let k = 0; k <= n; k += Math.max(1, n >> 3)) assert.ok(Math.abs(binomialHalfCdf(n, k) - exactCdf(n, k)) < 1e-12, `n ${n} k ${k}`);
  }
  assert.ok(Math.abs(binomialHalfCdf(10, 2) - 56 / 1024) < 1e-15);
  assert.equal(binomialHalfCdf(10, -1), 0);
  assert.equal(binomialHalfCdf(10, 10), 1);
});

test('95% order-statistic intervals of the median have the textbook ranks and exact coverage', () => {
  // (n, j, n−j+1, coverage 1 − 2·P(B ≤ j−1)) from exact fractions: 31/32, 123/128, 501/512, 125647/131072.
  const cases: [number, number, number, number][] = [
    [6, 1, 6, 31 / 32], [9, 2, 8, 123 / 128], [10, 2, 9, 501 / 512], [20, 6, 15, 125647 / 131072], [100, 40, 61, 0.9647997997822951],
  ];
  for (const [n, lower, upper, coverage] of cases) {
    const r = medianCiRanks(n);
    assert.ok(r, `n ${n}`);
    assert.equal(r.lower, lower, `n ${n}`);
    assert.equal(r.upper, upper, `n ${n}`);
    assert.ok(Math.abs(r.coverage - coverage) < 1e-12, `n ${n}: ${r.coverage} vs ${coverage}`);
    // The next rank in would cover less than 95%.
    assert.ok(1 - 2 * exactCdf(n, lower) < 0.95, `n ${n}: rank ${lower + 1} still covers 95%`);
  }
  // Five values cannot give a 95% interval (x(1)..x(5) covers 93.75%).
  assert.equal(medianCiRanks(5), undefined);
  // Large n: still at least 95%, and close to it.
  const big = medianCiRanks(20_001)!;
  assert.ok(big.coverage >= 0.95 && big.coverage < 0.951, String(big.coverage));
  assert.equal(big.lower + big.upper, 20_002);
});

test('medianCi takes the ranked values and reports the wider side as ±%', () => {
  const ci = medianCi([10, 1, 9, 2, 8, 3, 7, 4, 6, 5])!; // sorted 1..10: median 5.5, ranks 2 and 9
  assert.equal(ci.medianMs, 5.5);
  assert.equal(ci.lowMs, 2);
  assert.equal(ci.highMs, 9);
  assert.ok(Math.abs(ci.halfWidthPct - (100 * 3.5) / 5.5) < 1e-12);
  assert.equal(medianCi([1, 2, 3]), undefined);
});

test('the stopping rule: minimums first, then the tolerance, else the time cap; the one-minute limit always', () => {
  const t = { warmupRuns: 0, warmupMs: 0, iterations: 12, minTimeMs: 100, minRounds: 6, ciTolerancePct: 2, maxTimeMs: 1000 };
  const samples = new Array(60).fill(1);
  const steady = [1, 1.01, 0.99, 1, 1.005, 0.995]; // every round within 1%: CI ±1%
  const noisy = [1, 1.1, 0.9, 1, 1.05, 0.95]; // CI ±10%
  assert.equal(stopDecision({ roundMedians: steady, samples, timedMs: 200 }, t), 'met');
  assert.equal(stopDecision({ roundMedians: steady.slice(0, 5), samples, timedMs: 200 }, t), 'continue'); // too few rounds
  assert.equal(stopDecision({ roundMedians: steady, samples: samples.slice(0, 11), timedMs: 200 }, t), 'continue'); // too few runs
  assert.equal(stopDecision({ roundMedians: steady, samples, timedMs: 99 }, t), 'continue'); // too little time
  assert.equal(stopDecision({ roundMedians: noisy, samples, timedMs: 200 }, t), 'continue');
  assert.equal(stopDecision({ roundMedians: noisy, samples, timedMs: 1000 }, t), 'capped');
  assert.equal(stopDecision({ roundMedians: noisy, samples, timedMs: 1000 }, { ...t, ciTolerancePct: 10.5 }), 'met');
  assert.equal(stopDecision({ roundMedians: noisy.slice(0, 2), samples: samples.slice(0, 2), timedMs: MAX_TIMING_MS }, t), 'cut');
  // A fixed-count plan (library use): one round, no tolerance.
  assert.equal(stopDecision({ roundMedians: [1], samples: samples.slice(0, 12), timedMs: 100 }, { ...t, minRounds: 1, ciTolerancePct: Infinity }), 'met');
});
