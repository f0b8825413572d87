import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countFlops } from '../../src/graph/count.ts';
import { loadSpace } from '../../src/space/space-registry.ts';
import { checkSpaceBasics } from './mobile-space-helpers.ts';

const OPS = ['k3_e1', 'k3_e1_g2', 'k3_e3', 'k3_e6', 'k5_e1', 'k5_e1_g2', 'k5_e3', 'k5_e6', 'skip'];

test('fbnet and fbnet-cifar100 build, round-trip and reject malformed archs', () => {
  for (const [id, input, classes] of [['fbnet', 224, 1000], ['fbnet-cifar100', 32, 100]] as const) {
    const space = loadSpace(id);
    assert.equal(space.decisions.length, 22);
    assert.deepEqual(space.decisions.map((d) => d.choices), Array(22).fill(OPS));
    assert.deepEqual(space.inputShape, [3, input, input]);
    assert.equal(space.classes, classes);
    checkSpaceBasics(space, ['', Array(21).fill('skip').join('-'), Array(22).fill('k7_e6').join('-'), Array(22).fill('skip').join('_')]);
  }
});

test('fbnet arch strings are the op names joined by "-"', () => {
  const space = loadSpace('fbnet-cifar100');
  const arch = [...OPS, ...OPS, 'k3_e1', 'skip', 'k5_e6', 'k3_e1_g2'].join('-');
  assert.deepEqual(space.decode(arch), [...OPS.keys(), ...OPS.keys(), 0, 8, 7, 1]);
  assert.equal(space.encode(space.decode(arch)), arch);
});

test('fbnet _g2 blocks use grouped 1x1 convs and a channel shuffle', () => {
  const space = loadSpace('fbnet');
  const g2 = space.build(Array(22).fill(1));
  const g1 = space.build(Array(22).fill(0));
  assert.equal(g2.nodes.filter((n) => n.op === 'channelshuffle').length, 22);
  assert.equal(g1.nodes.filter((n) => n.op === 'channelshuffle').length, 0);
  assert.ok(g2.nodes.some((n) => n.op === 'conv' && n.attrs.groups === 2 && n.attrs.kernel === 1));
  assert.ok(countFlops(g2) < countFlops(g1));
});
