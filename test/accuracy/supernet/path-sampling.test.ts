import { test } from 'node:test';
import assert from 'node:assert/strict';
import { samplePaths } from '../../../src/accuracy/supernet/path-sampler.ts';
import { supernetLayout } from '../../../src/accuracy/supernet/supernet-layout.ts';
import { loadSpace } from '../../../src/space/space-registry.ts';
import { Rng } from '../../../src/util/rng.ts';

test('uniform single-path sampling draws every choice of every layer equally often, and is seeded', () => {
  const layout = supernetLayout(loadSpace('nasbench-macro'));
  const draws = 6000;
  const rng = new Rng(11);
  const counts = layout.positions.map((p) => new Array<number>(p.layers.length).fill(0));
  const paths: (readonly number[])[] = [];
  for (let s = 0; s < draws; s++) {
    const ps = samplePaths(layout, 'uniform', rng.fork(`step${s}`));
    assert.equal(ps.length, 1, 'one path per step');
    paths.push(ps[0]!);
    ps[0]!.forEach((c, p) => counts[p]![c]!++);
  }
  layout.positions.forEach((pos, p) => {
    if (pos.decision < 0) return assert.deepEqual(counts[p], [draws], 'fixed layers always take their only block');
    // 3 choices, 6000 draws: expected 2000 each, σ ≈ 36.5; 5σ bounds.
    for (const n of counts[p]!) assert.ok(Math.abs(n - draws / 3) < 5 * Math.sqrt((draws * 2) / 9), `layer ${p}: ${counts[p]!.join('/')}`);
  });
  // Layers are independent: a pair of layers takes each of its 9 combinations about equally often.
  const [p1, p2] = [layout.positionOf[0]!, layout.positionOf[1]!];
  const pairs = new Array<number>(9).fill(0);
  for (const path of paths) pairs[path[p1]! * 3 + path[p2]!]!++;
  for (const n of pairs) assert.ok(Math.abs(n - draws / 9) < 5 * Math.sqrt((draws * 8) / 81), `pairs ${pairs.join('/')}`);
  // Same seed, same paths; another seed, others.
  const again = Array.from({ length: 50 }, (_, s) => samplePaths(layout, 'uniform', new Rng(11).fork(`step${s}`))[0]);
  assert.deepEqual(again, paths.slice(0, 50));
  const other = Array.from({ length: 50 }, (_, s) => samplePaths(layout, 'uniform', new Rng(12).fork(`step${s}`))[0]);
  assert.notDeepEqual(other, paths.slice(0, 50));
});

test('FairNAS sampling trains every choice of every layer exactly once per step', () => {
  const layout = supernetLayout(loadSpace('nasbench-macro'));
  for (let s = 0; s < 20; s++) {
    const ps = samplePaths(layout, 'fair', new Rng(5).fork(`step${s}`));
    assert.equal(ps.length, 3);
    layout.positions.forEach((pos, p) => {
      const taken = ps.map((path) => path[p]!).sort();
      assert.deepEqual(taken, pos.decision < 0 ? [0, 0, 0] : [0, 1, 2], `step ${s} layer ${p}`);
    });
  }
});
