import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadSpace } from '../../src/space/space-registry.ts';
import { isLayeredSpace } from '../../src/space/layered-space.ts';
import { checkSpaceBasics } from './mobile-space-helpers.ts';

test('proxyless-mobile: 21 searchable layers, skip only where the residual applies', () => {
  const space = loadSpace('proxyless-mobile');
  assert.equal(space.decisions.length, 21);
  assert.deepEqual(space.decisions.map((d) => d.choices.length), [6, 7, 7, 7, 6, 7, 7, 7, 6, 7, 7, 7, 6, 7, 7, 7, 6, 7, 7, 7, 6]);
  checkSpaceBasics(space, ['', Array(21).fill('skip').join('-'), Array(21).fill('mb4_k3').join('-')]);
});

test('ofa-mbv3: resolution sets the input, depths set the layer count, inactive genes are dropped', () => {
  const space = loadSpace('ofa-mbv3');
  assert.ok(isLayeredSpace(space));
  checkSpaceBasics(space, ['', 'r224:k3e3.k3e3', 'r100:k3e3.k3e3-k3e3.k3e3-k3e3.k3e3-k3e3.k3e3-k3e3.k3e3', 'r224:k3e3.k3e3-k3e3.k3e3-k3e3.k3e3-k3e3.k3e3-k3e3', 'r224:k3e3.k3e3-k3e3.k3e3-k3e3.k3e3-k3e3.k3e3-k9e3.k3e3']);
  const arch = 'r176:k3e4.k5e6-k7e3.k3e3.k3e6-k5e4.k5e4.k5e4.k5e4-k3e3.k3e3-k7e6.k7e6.k7e6';
  const g = space.decode(arch);
  assert.equal(space.encode(g), arch);
  const graph = space.build(g);
  assert.deepEqual(graph.input, [3, 176, 176]);
  assert.equal(space.layers(g).filter((l) => l.role === 'block').length, 1 + 2 + 3 + 4 + 2 + 3);
  const changed = [...g];
  changed[changed.length - 1] = 2; // a gene of stage 4's inactive 4th layer
  assert.equal(space.encode(changed), arch);
});
