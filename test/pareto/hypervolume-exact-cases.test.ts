import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hypervolume, hypervolume3d, hypervolumeWfg } from '../../src/pareto/hypervolume.ts';
import { Rng } from '../../src/util/rng.ts';

/** Exact HV of integer points by counting the unit cells [c, c+1)^d whose lower corner is dominated. */
function cellCount(points: number[][], k: number, d: number): number {
  let count = 0;
  const cell = new Array<number>(d).fill(0);
  const total = k ** d;
  for (let c = 0; c < total; c++) {
    let r = c;
    for (let j = 0; j < d; j++) { cell[j] = r % k; r = Math.floor(r / k); }
    if (points.some((p) => p.every((v, j) => v <= cell[j]!))) count++;
  }
  return count;
}

test('hypervolume: hand-computed 2-D and 3-D cases', () => {
  assert.equal(hypervolume([[1, 3], [2, 2], [3, 1]], [4, 4]), 6);
  assert.equal(hypervolume([[0, 0, 0]], [1, 2, 3]), 6);
  assert.equal(hypervolume([[0, 0, 1], [1, 1, 0]], [2, 2, 2]), 5);
  assert.equal(hypervolume([[2]], [5]), 3);
});

test('hypervolume: empty set, points outside the reference box, duplicates and dominated points', () => {
  assert.equal(hypervolume([], [1, 1]), 0);
  assert.equal(hypervolume([[1, 0], [2, -1], [0, 1]], [1, 1]), 0); // none strictly dominates ref
  assert.equal(hypervolume([[0, 0], [0, 0], [0.5, 0.5], [2, -5]], [1, 1]), 1);
  assert.equal(hypervolume([[0.5, 0.5, 0.5], [0.5, 0.5, 0.5], [0.7, 0.9, 0.6]], [1, 1, 1]), 0.125);
});

test('hypervolume equals the exact cell count on integer points in 2, 3 and 4 objectives', () => {
  const rng = new Rng(11);
  const k = 6;
  for (let trial = 0; trial < 30; trial++) {
    const d = 2 + (trial % 3);
    const n = 1 + rng.int(12);
    const pts = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.int(k)));
    const ref = new Array<number>(d).fill(k);
    assert.equal(hypervolume(pts, ref), cellCount(pts, k, d), `trial ${trial} d=${d}`);
  }
});

test('3-D sweep agrees with the general WFG algorithm on random points', () => {
  const rng = new Rng(5);
  for (let trial = 0; trial < 20; trial++) {
    const n = 1 + rng.int(60);
    const pts = Array.from({ length: n }, () => [rng.next(), rng.next(), rng.next()]);
    const ref = [1, 1, 1];
    const a = hypervolume3d(pts, ref);
    const b = hypervolumeWfg(pts, ref, { independent: true });
    assert.ok(Math.abs(a - b) < 1e-12, `trial ${trial}: ${a} vs ${b}`);
  }
});

test('5 and 6 objectives: exact cell count on integer points; WFG with and without the 3-D sweep agree', () => {
  const rng = new Rng(23);
  const k = 4;
  for (let trial = 0; trial < 12; trial++) {
    const d = 5 + (trial % 2);
    const n = 1 + rng.int(15);
    const pts = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.int(k)));
    const ref = new Array<number>(d).fill(k);
    assert.equal(hypervolume(pts, ref), cellCount(pts, k, d), `trial ${trial} d=${d}`);
  }
  for (let trial = 0; trial < 12; trial++) {
    const d = 4 + (trial % 3);
    const pts = Array.from({ length: 5 + rng.int(40) }, () => Array.from({ length: d }, () => rng.next()));
    const ref = new Array<number>(d).fill(1.1);
    const a = hypervolumeWfg(pts, ref);
    const b = hypervolumeWfg(pts, ref, { independent: true });
    assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, a), `trial ${trial} d=${d}: ${a} vs ${b}`);
  }
});
