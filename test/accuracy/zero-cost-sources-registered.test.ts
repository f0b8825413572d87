import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accuracySources, getAccuracySource } from '../../src/accuracy/accuracy-registry.ts';
import '../../src/accuracy/zero-cost/zero-cost-sources.ts';
import { countParams } from '../../src/graph/count.ts';
import { loadSpace } from '../../src/space/space-registry.ts';

test('every zero-cost metric is an accuracy source zero-cost:<id> whose metric is the proxy', async () => {
  for (const id of ['synflow', 'naswot', 'grad_norm', 'snip', 'params', 'flops']) assert.ok(accuracySources.ids().includes(`zero-cost:${id}`), id);
  const space = loadSpace('nasbench-macro');
  const g = space.decode('00000000');
  const source = await getAccuracySource('zero-cost:params', space);
  assert.equal(source.metric, 'params');
  assert.deepEqual(await source.metrics(space, g), { params: countParams(space.build(g)) });
  assert.deepEqual(await source.metrics(space, g), { params: 387882 });
});
