import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParetoArchive } from '../../src/pareto/pareto-archive.ts';
import { normalizePoint } from '../../src/pareto/normalize.ts';

test('ParetoArchive keeps the non-dominated set with payloads and ties', () => {
  const a = new ParetoArchive<string>();
  assert.equal(a.add([2, 2], 'a'), true);
  assert.equal(a.add([3, 3], 'dominated'), false);
  assert.equal(a.add([1, 3], 'b'), true);
  assert.equal(a.add([1, 1], 'c'), true); // dominates a and b
  assert.deepEqual(a.entries().map((e) => e.payload), ['c']);
  assert.equal(a.add([1, 1], 'tie'), true);
  assert.equal(a.add([0, 5], 'd'), true);
  assert.deepEqual(a.entries().map((e) => e.payload), ['c', 'tie', 'd']);
});

test('ParetoArchive uses constrained domination: a feasible point evicts every infeasible one', () => {
  const a = new ParetoArchive<number>();
  a.add([0, 0], 1, 3);
  a.add([5, 5], 2, 1);
  assert.deepEqual(a.entries().map((e) => e.payload), [2]);
  a.add([9, 9], 3, 0);
  assert.deepEqual(a.entries().map((e) => e.payload), [3]);
  assert.equal(a.add([0, 0], 4, 0.5), false);
});

test('normalizePoint maps the fixed ideal to 0 and nadir to 1 without clipping', () => {
  const bounds = { ideal: [-100, 0], nadir: [0, 20] };
  assert.deepEqual(normalizePoint([-100, 0], bounds), [0, 0]);
  assert.deepEqual(normalizePoint([-50, 30], bounds), [0.5, 1.5]);
  assert.throws(() => normalizePoint([0, 0], { ideal: [0, 0], nadir: [1, 0] }));
});
