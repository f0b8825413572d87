import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadSpace } from '../../src/space/space-registry.ts';
import { isLayeredSpace } from '../../src/space/layered-space.ts';
import { makeDivisible } from '../../src/space/mobile-block.ts';
import { checkSpaceBasics, sampleArchs } from './mobile-space-helpers.ts';

test('mnasnet builds, round-trips and rejects malformed archs', () => {
  const space = loadSpace('mnasnet');
  assert.equal(space.decisions.length, 7 * 6);
  assert.deepEqual(space.inputShape, [3, 224, 224]);
  checkSpaceBasics(space, ['', 'e6k5se25id+1w100', 'e9k5se25id+1w100-'.repeat(6) + 'e9k5se25id+1w100', 'e6k5se25id+1w100-e6k5se25id+1w100-e6k5se25id+1w100-e6k5se25id+1w100-e6k5se25id+1w100-e6k5se25id+1w100-e6k5se25id-1w100']);
});

test('mnasnet arch strings are genotypes exactly (every gene is active)', () => {
  const space = loadSpace('mnasnet');
  for (const g of sampleArchs(space, 10)) assert.deepEqual(space.decode(space.encode(g)), g);
  const g = space.decode('e6k5se25id+1w100-e3k3se0no-1w75-convk3se0id+0w125-dconvk5se25no+1w100-e6k3se0id+0w100-e6k5se25id-1w100-e6k3se0no+0w100');
  assert.equal(space.encode(g), 'e6k5se25id+1w100-e3k3se0no-1w75-convk3se0id+0w125-dconvk5se25no+1w100-e6k3se0id+0w100-e6k5se25id-1w100-e6k3se0no+0w100');
});

test('mnasnet widths round to multiples of 8 and layer deltas change depth', () => {
  assert.equal(makeDivisible(16 * 0.75), 16);
  assert.equal(makeDivisible(24 * 0.75), 24);
  assert.equal(makeDivisible(320 * 1.25), 400);
  const space = loadSpace('mnasnet');
  assert.ok(isLayeredSpace(space));
  const base = 'e6k3se0no+0w100';
  const g = space.decode(Array(7).fill(base).join('-'));
  const layers = space.layers(g).filter((l) => l.role === 'block');
  assert.equal(layers.length, 1 + 2 + 3 + 4 + 3 + 3 + 1);
  assert.deepEqual(layers.map((l) => l.outShape[0]), [16, 24, 24, 32, 32, 32, 64, 64, 64, 64, 96, 96, 96, 160, 160, 160, 320]);
  const wide = space.layers(space.decode(Array(7).fill('e6k3se0no+1w125').join('-'))).filter((l) => l.role === 'block');
  assert.equal(wide.length, 17 + 7);
  assert.equal(wide.at(-1)!.outShape[0], 400);
});

test('mnasnet allLayers holds every layer of sampled archs', () => {
  const space = loadSpace('mnasnet');
  assert.ok(isLayeredSpace(space));
  const all = new Set(space.allLayers().map((l) => l.key));
  for (const g of sampleArchs(space, 30, 7)) for (const l of space.layers(g)) assert.ok(all.has(l.key), l.key);
});
