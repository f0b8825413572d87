import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLatencyProvider } from '../../src/latency/create-latency-provider.ts';
import { loadDevice } from '../../src/latency/device-profile.ts';
import { tableArchStrings, tableLatencyAll } from '../../src/latency/device-table.ts';
import { TableFallback } from '../../src/latency/table-fallback.ts';
import { loadSpace } from '../../src/space/space-registry.ts';

test('a partial table device (FBNet) looks listed archs up and predicts unlisted ones, saying which', async () => {
  const space = loadSpace('fbnet-cifar100');
  const device = loadDevice('fbnet-1080ti_1');
  assert.equal(device.kind, 'table');
  const provider = await createLatencyProvider(device, space);
  const listed = tableArchStrings(device as never)[0]!;
  const g = space.decode(listed);
  const hit = await provider.latency(space, g, space.build(g));
  assert.equal(hit.metrics.latencyMs, tableLatencyAll(device as never)[0]);
  assert.match(String(hit.info.latencySource), /^table:fbnet\/1080ti_1$/);
  const unlisted = space.decisions.map(() => 8); // all skip: not among the 5,000 sampled archs
  assert.ok(!tableArchStrings(device as never).includes(space.encode(unlisted)));
  const miss = await provider.latency(space, unlisted, space.build(unlisted));
  assert.ok(miss.metrics.latencyMs! > 0);
  assert.equal(miss.metrics.predictedLatencyMs, miss.metrics.latencyMs);
  assert.match(String(miss.info.latencySource), /^fitted:fbnet\/1080ti_1 \(NNLS on 5000 table rows\)$/);
});

test('the fallback model reproduces the table it was fitted on within ±10 % for most rows', () => {
  const space = loadSpace('fbnet-cifar100');
  const device = loadDevice('fbnet-2080ti_1') as never;
  const fb = new TableFallback(device, space);
  const archs = tableArchStrings(device).slice(0, 300);
  const y = tableLatencyAll(device);
  const within = archs.filter((a, i) => Math.abs(fb.predictMs(space.decode(a)) - y[i]!) <= 0.1 * y[i]!).length;
  assert.ok(within / archs.length >= 0.95, `${within}/${archs.length}`);
});
