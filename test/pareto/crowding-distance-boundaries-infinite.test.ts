import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crowdingDistance } from '../../src/pareto/crowding-distance.ts';

test('crowding distance: boundary points are Infinity, interior ones follow Deb 2002 §III-B', () => {
  const front = [[0, 4], [1, 3], [3, 1], [4, 0]];
  const d = crowdingDistance(front);
  assert.equal(d[0], Infinity);
  assert.equal(d[3], Infinity);
  // point 1: (3 − 0)/4 + (4 − 1)/4 = 1.5; point 2: (4 − 1)/4 + (3 − 0)/4 = 1.5
  assert.equal(d[1], 1.5);
  assert.equal(d[2], 1.5);
});

test('crowding distance: fronts of one or two points are all Infinity; a constant objective adds 0', () => {
  assert.deepEqual([...crowdingDistance([[1, 2]])], [Infinity]);
  assert.deepEqual([...crowdingDistance([[1, 2], [2, 1]])], [Infinity, Infinity]);
  const d = crowdingDistance([[0, 5], [1, 5], [3, 5]]);
  assert.equal(d[1], 1); // (3 − 0)/3 from objective 0, nothing from the constant objective 1
});

test('crowding distance over a subset of indices aligns with the indices', () => {
  const pts = [[9, 9], [0, 2], [1, 1], [2, 0]];
  const d = crowdingDistance(pts, [3, 2, 1]);
  assert.equal(d[0], Infinity);
  assert.equal(d[2], Infinity);
  assert.equal(d[1], 2);
});
