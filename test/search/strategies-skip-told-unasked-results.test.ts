import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Trial } from '../../src/search/strategy.ts';
import { Rng } from '../../src/util/rng.ts';
import { decisions, drive, evaluate, make, STRATEGY_IDS } from './synthetic-space.ts';

/** `n` distinct genotypes the strategy never asked for, as results of a resumed journal. */
function journalTrials(n: number, seed: number, skip: ReadonlySet<string>): Trial[] {
  const rng = new Rng(seed);
  const out = new Map<string, Trial>();
  while (out.size < n) {
    const g = decisions.map((d) => rng.int(d.choices.length));
    const k = g.join(',');
    if (!skip.has(k) && !out.has(k)) out.set(k, { genotype: g, values: evaluate(g), violation: 0 });
  }
  return [...out.values()];
}

for (const id of STRATEGY_IDS) {
  test(`${id}: results told without an ask (a resumed journal) are never proposed`, () => {
    const budget = id === 'bo' ? 90 : 240;
    const s = make(id, 11, { budget });
    const first = journalTrials(30, 1, new Set());
    s.tell(first);
    const asked = drive(s, budget / 2);
    const told = new Set(first.map((t) => t.genotype.join(',')));
    const second = journalTrials(30, 2, new Set([...asked, ...told]));
    s.tell(second);
    for (const t of second) told.add(t.genotype.join(','));
    asked.push(...drive(s, budget / 2));
    assert.equal(asked.length, budget);
    assert.equal(new Set(asked).size, budget);
    const repeated = asked.filter((k) => told.has(k));
    assert.deepEqual(repeated, []);
  });
}
