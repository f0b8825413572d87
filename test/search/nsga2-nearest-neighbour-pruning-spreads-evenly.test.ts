import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pruneByNearestNeighbours } from '../../src/search/nsga2/nearest-neighbour-pruning.ts';
import { defaultPruning, survive } from '../../src/search/nsga2/survival.ts';
import { Rng } from '../../src/util/rng.ts';

test('nearest-neighbour pruning thins a cluster first and keeps each objective\'s minimiser', () => {
  // a linear front f2 = 1 − f1: 11 evenly spaced points plus 9 clustered around f1 = 0.5
  const pts: number[][] = [];
  for (let i = 0; i <= 10; i++) pts.push([i / 10, 1 - i / 10]);
  for (let i = 1; i <= 9; i++) pts.push([0.5 + i / 1000, 0.5 - i / 1000]);
  const idx = pts.map((_, i) => i);
  const { kept, crowding } = pruneByNearestNeighbours(pts, idx, 11);
  assert.equal(kept.length, 11);
  assert.deepEqual(kept, idx.slice(0, 11)); // the even lattice survives, the cluster goes
  assert.equal(crowding[0], Infinity); // min f1
  assert.equal(crowding[10], Infinity); // min f2
  assert.ok(crowding.slice(1, 10).every((v) => Number.isFinite(v) && v > 0));
});

test('objective-space duplicates are removed before distinct points', () => {
  const pts = [[0, 1], [0.5, 0.5], [0.5, 0.5], [0.25, 0.75], [1, 0]];
  const { kept } = pruneByNearestNeighbours(pts, [0, 1, 2, 3, 4], 4);
  assert.deepEqual(kept, [0, 1, 3, 4]); // of the tied pair the later one goes
});

test('on a 3-objective sphere front the kept points are more evenly spread than the crowding cut', () => {
  const rng = new Rng(7);
  const pts = Array.from({ length: 200 }, () => {
    const v = [rng.next(), rng.next(), rng.next()];
    const r = Math.hypot(v[0]!, v[1]!, v[2]!);
    return v.map((x) => x / r);
  });
  // smallest distance between two kept points: larger = more even
  const minGap = (sel: number[]) => {
    let g = Infinity;
    for (let a = 0; a < sel.length; a++) for (let b = a + 1; b < sel.length; b++) g = Math.min(g, Math.hypot(...pts[sel[a]!]!.map((x, j) => x - pts[sel[b]!]![j]!)));
    return g;
  };
  const nn = survive(pts, undefined, 100, 'nearest-neighbour');
  const cd = survive(pts, undefined, 100, 'one-shot');
  assert.equal(nn.selected.length, 100);
  assert.deepEqual(nn.rank, new Array<number>(100).fill(0));
  assert.ok(minGap(nn.selected) > 2 * minGap(cd.selected), `${minGap(nn.selected)} vs ${minGap(cd.selected)}`);
  // survival cuts the (single) front exactly as the pruning function does
  const direct = pruneByNearestNeighbours(pts, pts.map((_, i) => i), 100);
  const pairs = (sel: readonly number[], c: readonly number[]) => sel.map((i, k) => [i, c[k]!]).sort((a, b) => a[0]! - b[0]!);
  assert.deepEqual(pairs(nn.selected, nn.crowding), pairs(direct.kept, direct.crowding));
});

test('default pruning: nearest-neighbour for 2+ objectives, one-shot crowding for one', () => {
  assert.equal(defaultPruning(1), 'one-shot');
  assert.equal(defaultPruning(2), 'nearest-neighbour');
  assert.equal(defaultPruning(3), 'nearest-neighbour');
});
