import assert from 'node:assert/strict';
import { test } from 'node:test';
import { drive, make, STRATEGY_IDS } from './synthetic-space.ts';

for (const id of STRATEGY_IDS) {
  test(`${id}: the same seed gives the same sequence of asks; another seed a different one`, () => {
    const budget = id === 'bo' ? 60 : 150;
    const a = drive(make(id, 3, { budget }), budget);
    const b = drive(make(id, 3, { budget }), budget);
    const c = drive(make(id, 4, { budget }), budget);
    assert.equal(a.length, budget);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });
}
