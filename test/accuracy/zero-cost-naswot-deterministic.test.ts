import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSpace } from '../../src/space/space-registry.ts';
import { zeroCostMetric } from '../../src/accuracy/zero-cost/zero-cost-metric.ts';
import { slogdet } from '../../src/accuracy/zero-cost/slogdet.ts';

test('naswot gives the same score for the same seed and a different one for another seed', async () => {
  const space = loadSpace('nb201');
  const g = space.decode('|nor_conv_1x1~0|+|skip_connect~0|avg_pool_3x3~1|+|skip_connect~0|none~1|nor_conv_1x1~2|');
  const a = await zeroCostMetric('naswot', space, g, { n: 16, seed: 7 });
  const b = await zeroCostMetric('naswot', space, g, { n: 16, seed: 7 });
  const c = await zeroCostMetric('naswot', space, g, { n: 16, seed: 8 });
  assert.equal(a, b);
  assert.notEqual(a, c);
});

test('slogdet matches a hand-computed determinant', () => {
  // det [[0, 2], [3, 4]] = −6
  const r = slogdet(Float64Array.from([0, 2, 3, 4]), 2);
  assert.equal(r.sign, -1);
  assert.ok(Math.abs(r.logAbsDet - Math.log(6)) < 1e-12);
  assert.equal(slogdet(Float64Array.from([1, 2, 2, 4]), 2).sign, 0);
});
