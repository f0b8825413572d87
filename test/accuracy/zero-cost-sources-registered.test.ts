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
  const m = await source.metrics(space, g);
  assert.equal(m.params, countParams(space.build(g)));
  assert.equal(m.params, 387882);
  // On a space with an accuracy table the table's truth rides beside the proxy, never as the proxy.
  assert.equal(m.accuracy, undefined);
  assert.ok(typeof m.tableAccuracy === 'number' && m.tableAccuracy > 0 && m.tableAccuracy < 100, String(m.tableAccuracy));
});
