import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSpace } from '../../src/space/space-registry.ts';
import { zeroCostMetric, zeroCostMetricIds } from '../../src/accuracy/zero-cost/zero-cost-metric.ts';

const cases = [
  ['nb201', '|nor_conv_1x1~0|+|skip_connect~0|nor_conv_3x3~1|+|avg_pool_3x3~0|none~1|nor_conv_1x1~2|'],
  ['nasbench-macro', '01020010'],
] as const;

for (const [spaceId, arch] of cases) {
  test(`every zero-cost metric is a finite number for ${spaceId} ${arch}`, async () => {
    const space = loadSpace(spaceId);
    const g = space.decode(arch);
    for (const m of ['synflow', 'naswot', 'grad_norm', 'snip', 'params', 'flops']) {
      assert.ok(zeroCostMetricIds().includes(m), `${m} is registered`);
      const v = await zeroCostMetric(m, space, g, { n: 4, seed: 1 });
      assert.ok(Number.isFinite(v), `${m} = ${v}`);
    }
  });
}
