import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countFlops, countParams } from '../../src/graph/count.ts';
import { outputShape } from '../../src/graph/model-graph.ts';
import { loadSpace } from '../../src/space/space-registry.ts';

test('nb201: the all-conv3x3 cell has NAS-Bench-201\'s published size (1.531546 M params, 220.11 M FLOPs)', () => {
  const s = loadSpace('nb201');
  const g = s.build(s.decode('|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|'));
  assert.equal(countParams(g), 1_531_546);
  assert.equal(countFlops(g), 220_119_680);
  assert.deepEqual(outputShape(g), [10]);
});

test('nb201: a cell whose output node is cut off outputs zeros and keeps only the skeleton', () => {
  const s = loadSpace('nb201');
  const g = s.build(s.decode('|nor_conv_3x3~0|+|nor_conv_3x3~0|none~1|+|none~0|none~1|none~2|'));
  assert.ok(g.nodes.some((n) => n.op === 'zero'));
  // Cell convs feeding nothing are dead code: none survive.
  const cellConvs = g.nodes.filter((n) => n.op === 'conv' && n.inputs[0] !== 'input' && n.attrs.kernel === 3 && n.attrs.stride === 1 && n.shape[0] === 16);
  assert.equal(cellConvs.length, 0);
  assert.deepEqual(outputShape(g), [10]);
});
