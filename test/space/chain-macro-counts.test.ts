import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countFlops, countParams } from '../../src/graph/count.ts';
import { loadSpace } from '../../src/space/space-registry.ts';
import { composeLayers, isLayeredSpace } from '../../src/space/layered-space.ts';

// NAS-Bench-Macro (Su et al., CVPR 2021) published counts; the chain family's extensions (groups,
// fixed stages, first-layer choices, layers()) must not change them.
const expected: [string, number, number][] = [
  ['00000000', 387_882, 7_713_280],
  ['02012100', 890_666, 47_327_744],
  ['22222222', 2_932_586, 105_660_928],
];

test('nasbench-macro params and FLOPs stay the published ones', () => {
  const space = loadSpace('nasbench-macro');
  for (const [arch, params, flops] of expected) {
    const g = space.build(space.decode(arch));
    assert.equal(countParams(g), params, `${arch} params`);
    assert.equal(countFlops(g), flops, `${arch} FLOPs`);
  }
});

test('nasbench-macro layers compose to the same counts', () => {
  const space = loadSpace('nasbench-macro');
  assert.ok(isLayeredSpace(space));
  for (const [arch, params, flops] of expected) {
    const layers = space.layers(space.decode(arch));
    assert.equal(layers.length, 10);
    const g = composeLayers(arch, space.inputShape, layers);
    assert.equal(countParams(g), params);
    assert.equal(countFlops(g), flops);
  }
});
