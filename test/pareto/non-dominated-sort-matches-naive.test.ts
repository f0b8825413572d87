import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nonDominatedSort } from '../../src/pareto/non-dominated-sort.ts';
import { Rng } from '../../src/util/rng.ts';
import { naiveNonDominatedSort } from '../../src/pareto/naive-non-dominated-sort.ts';

const canon = (fronts: number[][]) => fronts.map((f) => f.slice().sort((a, b) => a - b));

test('nonDominatedSort equals the naive O(MN²) sort on random data with ties and duplicates', () => {
  const rng = new Rng(7);
  for (let trial = 0; trial < 60; trial++) {
    const m = 1 + (trial % 4);
    const n = 1 + rng.int(150);
    const levels = trial % 3 === 0 ? 4 : trial % 3 === 1 ? 20 : 0; // 0 = continuous
    const points: number[][] = [];
    for (let i = 0; i < n; i++) {
      if (i > 0 && rng.next() < 0.1) {
        points.push(points[rng.int(i)]!.slice()); // exact duplicate
        continue;
      }
      points.push(Array.from({ length: m }, () => (levels ? rng.int(levels) : rng.next())));
    }
    const withViolations = trial % 2 === 1;
    const violations = withViolations ? points.map(() => (rng.next() < 0.3 ? rng.int(3) + 0.5 : 0)) : undefined;
    const fast = nonDominatedSort(points, violations);
    const naive = naiveNonDominatedSort(points, violations);
    assert.deepEqual(canon(fast), canon(naive), `trial ${trial} (m=${m}, n=${n})`);
  }
});

test('nonDominatedSort: empty input, single point, all-equal points', () => {
  assert.deepEqual(nonDominatedSort([]), []);
  assert.deepEqual(nonDominatedSort([[1, 2]]), [[0]]);
  assert.deepEqual(canon(nonDominatedSort([[1, 1], [1, 1], [1, 1]])), [[0, 1, 2]]);
});

test('nonDominatedSort: infeasible points rank after feasible ones, by violation', () => {
  const fronts = nonDominatedSort([[0, 0], [5, 5], [1, 1], [0, 0]], [2, 0, 0, 1]);
  assert.deepEqual(fronts, [[2], [1], [3], [0]]);
});

test('nonDominatedSort rejects NaN and ragged input', () => {
  assert.throws(() => nonDominatedSort([[0, NaN]]));
  assert.throws(() => nonDominatedSort([[0, 1], [1]]));
});
