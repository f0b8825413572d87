import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pruneByCrowding } from '../../src/search/nsga2/iterative-pruning.ts';
import { survive } from '../../src/search/nsga2/survival.ts';
import { binaryTournament } from '../../src/search/nsga2/tournament.ts';
import { Rng } from '../../src/util/rng.ts';

test('survival keeps whole better fronts, then the least crowded of the split front', () => {
  // front 0: (0,3) (1,1) (3,0); front 1: (1,4) (2,2.5) (2.1,2.4) (4,1)
  const pts = [[1, 4], [0, 3], [2, 2.5], [1, 1], [2.1, 2.4], [3, 0], [4, 1]];
  const s = survive(pts, undefined, 5);
  assert.deepEqual(s.selected.slice(0, 3).sort(), [1, 3, 5]);
  assert.deepEqual(s.rank, [0, 0, 0, 1, 1]);
  // from front 1 the two boundary points (1,4) and (4,1) have infinite crowding
  assert.deepEqual(s.selected.slice(3).sort(), [0, 6]);
});

test('survival honours constrained domination: a feasible point beats an infeasible better one', () => {
  const s = survive([[0, 0], [5, 5]], [1, 0], 1);
  assert.deepEqual(s.selected, [1]);
});

test('iterative pruning keeps the boundary points and the requested count', () => {
  const rng = new Rng(3);
  const front = Array.from({ length: 50 }, () => {
    const x = rng.next();
    return [x, 1 - Math.sqrt(x)];
  });
  const idx = front.map((_, i) => i);
  const { kept } = pruneByCrowding(front, idx, 10);
  assert.equal(kept.length, 10);
  const xs = front.map((p) => p[0]!);
  assert.ok(kept.includes(xs.indexOf(Math.min(...xs))));
  assert.ok(kept.includes(xs.indexOf(Math.max(...xs))));
  const s = survive(front, undefined, 10, 'iterative');
  assert.deepEqual(s.selected.slice().sort((a, b) => a - b), kept.slice().sort((a, b) => a - b));
});

test('binary tournament prefers lower rank, then larger crowding', () => {
  const rng = new Rng(1);
  for (let t = 0; t < 50; t++) {
    assert.equal(binaryTournament([1, 0], [Infinity, 0], rng), 1);
    assert.equal(binaryTournament([0, 0], [0.1, 0.5], rng), 1);
  }
  assert.equal(binaryTournament([3], [0], rng), 0);
});
