import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Decision } from '../../src/space/search-space.ts';
import { drive, make, STRATEGY_IDS } from './synthetic-space.ts';

const tiny: Decision[] = [
  { name: 'a', choices: ['x', 'y'] },
  { name: 'b', choices: ['x', 'y', 'z'] },
  { name: 'c', choices: ['only'] },
];

for (const id of STRATEGY_IDS) {
  test(`${id}: never proposes a genotype twice and never more than asked`, () => {
    const budget = id === 'bo' ? 80 : 300;
    const asked = drive(make(id, 1, { budget }), budget);
    assert.equal(asked.length, budget);
    assert.equal(new Set(asked).size, asked.length);
  });

  test(`${id}: in a 6-genotype space, proposes each exactly once, then nothing`, () => {
    const s = make(id, 2, { decisions: tiny, budget: 100 });
    const asked = drive(s, 100);
    assert.equal(asked.length, 6);
    assert.equal(new Set(asked).size, 6);
    assert.deepEqual(s.ask(5), []);
  });
}

for (const id of ['nsga2', 're', 'bo', 'local', 'reinforce'] as const) {
  test(`${id}: works with a single objective`, () => {
    const budget = id === 'bo' ? 40 : 120;
    const s = make(id, 5, { budget, objectiveCount: 1 });
    const asked = drive(s, budget, 1);
    assert.equal(new Set(asked).size, budget);
  });
}
