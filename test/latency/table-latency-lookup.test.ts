import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { tableArchStrings, tableLatencyAll, tableLatencyMs } from '../../src/latency/device-table.ts';
import { loadDevice, type TableDevice } from '../../src/latency/device-profile.ts';
import { loadSpace } from '../../src/space/space-registry.ts';

const table = (id: string): TableDevice => loadDevice(id) as TableDevice;

test('nb201 table devices give the published latency of a known arch', () => {
  const space = loadSpace('nb201');
  // Official API index 0; values looked up by hand in ../shared/data/nb201/latency.json.gz.
  const g = space.decode('|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|');
  assert.equal(tableLatencyMs(table('pixel3'), space, g), 3.6058499999999998);
  assert.equal(tableLatencyMs(table('1080ti_1'), space, g), 10.75437068939209);
  assert.equal(tableLatencyMs(table('fpga'), space, g), 2.57296);
  assert.equal(tableLatencyMs(table('samsung_s7'), space, g), 29);
  const all = tableLatencyAll(table('pixel3'));
  assert.equal(all.length, 15_625);
  assert.equal(all[0], 3.6058499999999998);
  const strings = tableArchStrings(table('pixel3'));
  const row = 1462; // all nor_conv_3x3 (official index 1462): pixel3 32.9928 ms
  assert.equal(strings[row], '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|');
  assert.equal(all[row], 32.9928);
  assert.equal(tableLatencyMs(table('pixel3'), space, space.decode(strings[row]!)), 32.9928);
});

/**
 * Stand-in for the future fbnet-cifar100 space: only its arch encoding matters here (22 layers,
 * op names joined by "-"); the network itself is not the FBNet one.
 */
function fbnetEncodingSpace() {
  const ops = ['k3_e1', 'k3_e1_g2', 'k3_e3', 'k3_e6', 'k5_e1', 'k5_e1_g2', 'k5_e3', 'k5_e6', 'skip'];
  const blocks = Object.fromEntries(ops.map((o) => [o, o === 'skip' ? { op: 'identity' } : { op: 'mbconv', expand: Number(o[4]), kernel: Number(o[1]) }]));
  const file = join(mkdtempSync(join(tmpdir(), 'hwnas-')), 'fbnet-cifar100.json');
  writeFileSync(file, JSON.stringify({
    id: 'fbnet-cifar100', family: 'chain', input: [3, 4, 4], classes: 100,
    stem: [{ op: 'conv', channels: 4, kernel: 3 }], stages: [{ layers: 22, channels: 4, stride: 1 }],
    blocks, choices: ops, head: [], encoding: { kind: 'names', separator: '-' },
  }));
  return loadSpace(file);
}

test('fbnet table devices give the published latency of a sampled arch and fail for others', () => {
  const space = fbnetEncodingSpace();
  // archs[0] of ../shared/data/fbnet/latency.json.gz and its 1080ti_1 latency.
  const g = [7, 8, 1, 8, 4, 8, 8, 8, 7, 4, 1, 4, 7, 3, 2, 7, 3, 2, 4, 2, 4, 5];
  assert.equal(space.encode(g).split('-')[0], 'k5_e6');
  assert.equal(tableLatencyMs(table('fbnet-1080ti_1'), space, g), 10.615349732488394);
  const missing = g.map(() => 8);
  assert.throws(() => tableLatencyMs(table('fbnet-1080ti_1'), space, missing), (e: unknown) =>
    e instanceof Error && e.constructor === Error && e.message.startsWith('no table entry for skip-skip'));
});
