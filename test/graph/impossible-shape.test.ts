import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../src/errors.ts';
import { GraphBuilder } from '../../src/graph/graph-builder.ts';

test('an impossible shape is an InputError naming the node', () => {
  const b = new GraphBuilder('t', [3, 4, 4]);
  assert.throws(() => b.conv(b.input, 8, { kernel: 7, pad: 0 }), (e: unknown) => e instanceof InputError && e.code === 'bad-shape' && /does not fit a 4x4/.test(e.message));
  assert.throws(() => b.conv(b.input, 8, { kernel: 1, groups: 2 }), (e: unknown) => e instanceof InputError && /groups 2 must divide/.test(e.message));
  const x = b.conv(b.input, 8, { kernel: 3 });
  const y = b.conv(b.input, 4, { kernel: 3 });
  assert.throws(() => b.add(x, y), (e: unknown) => e instanceof InputError && /differ in shape/.test(e.message));
});

test('dead nodes are dropped at build and shapes are inferred', () => {
  const b = new GraphBuilder('t', [3, 32, 32]);
  const x = b.conv(b.input, 16, { kernel: 3, stride: 2 });
  b.conv(b.input, 99, { kernel: 1 }); // unused
  const g = b.build(b.linear(b.flatten(b.globalAvgPool(x)), 10));
  assert.deepEqual(g.nodes.map((n) => n.op), ['conv', 'globalavgpool', 'flatten', 'linear']);
  assert.deepEqual(g.nodes[0]!.shape, [16, 16, 16]);
  assert.deepEqual(g.nodes.at(-1)!.shape, [10]);
});
