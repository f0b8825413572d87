import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../src/errors.ts';
import { countFlops, countParams } from '../../src/graph/count.ts';
import { GraphBuilder } from '../../src/graph/graph-builder.ts';
import { MAX_MODEL_PARAMS, MAX_TENSOR_ELEMENTS } from '../../src/limits.ts';
import { loadSpace } from '../../src/space/space-registry.ts';
import { builtinSpaceIds } from '../../src/space/space-registry.ts';

const badShape = (re: RegExp) => (e: unknown) => e instanceof InputError && e.code === 'bad-shape' && re.test(e.message);

test('a tensor of more than 2^28 elements is refused while the graph is built, naming the node and the limit', () => {
  const b = new GraphBuilder('t', [3, 32, 32]);
  // 2^30 weights: a conv 1x1 from 32768 to 32768 channels.
  const x = b.conv(b.input, 32768, { kernel: 1 });
  assert.throws(() => b.conv(x, 32768, { kernel: 1 }), badShape(/^conv_1: conv weights \[32768,32768,1,1\] has 1\.07e9 elements, too many to allocate; expected at most 268435456 \(2\^28\) per tensor$/));
  // 2^29 activations of one image.
  const big = new GraphBuilder('a', [3, 4096, 4096]);
  assert.throws(() => big.conv(big.input, 64, { kernel: 3 }), badShape(/output of conv \[64,4096,4096\] has 1\.07e9 elements/));
  assert.throws(() => new GraphBuilder('i', [64, 4096, 4096]), badShape(/input \[64,4096,4096\]/));
});

test('a model over 2^28 parameters is refused at build, so counts stay exact integers', () => {
  const b = new GraphBuilder('fat', [3, 8, 8]);
  let x = b.conv(b.input, 16384, { kernel: 1 });
  x = b.conv(x, 16384, { kernel: 1 }); // 2^28 weights: the tensor limit holds
  const y = b.linear(b.flatten(b.globalAvgPool(b.conv(x, 256, { kernel: 1 }))), 10);
  assert.throws(() => b.build(y), badShape(/model fat has 2\.73e8 parameters, too many; expected at most 268435456/));
  assert.equal(MAX_MODEL_PARAMS, MAX_TENSOR_ELEMENTS);
  // Every built-in space's largest choice counts within the limits, as safe integers.
  for (const id of builtinSpaceIds()) {
    const s = loadSpace(id);
    const g = s.build(s.decisions.map((d) => d.choices.length - 1));
    assert.ok(Number.isSafeInteger(countParams(g)) && Number.isSafeInteger(countFlops(g)), id);
  }
});
