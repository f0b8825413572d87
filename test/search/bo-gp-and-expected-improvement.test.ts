import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HammingGp } from '../../src/search/bo/hamming-gp.ts';
import { expectedImprovement } from '../../src/search/bo/normal-distribution.ts';
import { normalCdf } from '../../src/util/stats.ts';
import { augmentedTchebycheff, weightLattice } from '../../src/search/bo/parego.ts';

test('GP with small noise interpolates its training targets and is uncertain far away', () => {
  const xs = [[0, 0, 0], [1, 0, 0], [1, 1, 0], [2, 2, 2]];
  const ys = [1, 2, 3, 10];
  const gp = new HammingGp(3);
  gp.theta = 1;
  gp.noise = 1e-6;
  gp.fit(xs, ys);
  xs.forEach((x, i) => assert.ok(Math.abs(gp.predict(x).mean - ys[i]!) < 1e-3));
  assert.ok(gp.predictStandardized([0, 0, 0]).sd < 0.01);
  assert.ok(gp.predictStandardized([3, 3, 3]).sd > 0.9);
  const prep = gp.prepare([[0, 0, 0], [3, 3, 3]]);
  const m = gp.meansStandardized(prep.cross);
  assert.ok(Math.abs(m[0]! - gp.predictStandardized([0, 0, 0]).mean) < 1e-12);
  gp.fit(xs, ys, { thetas: [0.5, 1, 2], noises: [1e-4, 1e-2] });
  assert.ok([0.5, 1, 2].includes(gp.theta));
});

test('expected improvement and the normal CDF', () => {
  assert.ok(Math.abs(normalCdf(0) - 0.5) < 1e-7);
  assert.ok(Math.abs(normalCdf(1.959963985) - 0.975) < 1e-6);
  assert.ok(Math.abs(expectedImprovement(0, 1, 0) - 1 / Math.sqrt(2 * Math.PI)) < 1e-7);
  assert.equal(expectedImprovement(2, 0, 1), 0);
  assert.ok(expectedImprovement(0, 1, 0) > expectedImprovement(0.5, 1, 0));
});

test('ParEGO: weight lattice sums to one; augmented Tchebycheff with ρ = 0.05', () => {
  const w = weightLattice(3, 4);
  assert.equal(w.length, 15);
  for (const v of w) assert.ok(Math.abs(v.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.equal(weightLattice(2, 10).length, 11);
  assert.ok(Math.abs(augmentedTchebycheff([0.5, 0.2], [0.5, 0.5]) - (0.25 + 0.05 * 0.35)) < 1e-12);
});
