import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { tableArchStrings, tableLatencyAll, tableLatencyMs } from '../../src/latency/device-table.ts';
import { loadDevice, type TableDevice } from '../../src/latency/device-profile.ts';
import { loadSpace, SPACES_DIR } from '../../src/space/space-registry.ts';

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

/** An edited copy of a built-in space that keeps the built-in id (here: a narrower stem). */
function editedCopy(id: string, edit: (def: Record<string, unknown>) => void) {
  const def = JSON.parse(readFileSync(join(SPACES_DIR, `${id}.json`), 'utf8')) as Record<string, unknown>;
  edit(def);
  const file = join(mkdtempSync(join(tmpdir(), 'hwnas-')), `${id}.json`);
  writeFileSync(file, JSON.stringify(def, null, 2));
  return loadSpace(file);
}

test('fbnet table devices give the published latency of a sampled arch and fail for others', () => {
  const space = loadSpace('fbnet-cifar100');
  // archs[0] of ../shared/data/fbnet/latency.json.gz and its 1080ti_1 latency.
  const g = [7, 8, 1, 8, 4, 8, 8, 8, 7, 4, 1, 4, 7, 3, 2, 7, 3, 2, 4, 2, 4, 5];
  assert.equal(space.encode(g).split('-')[0], 'k5_e6');
  assert.equal(tableLatencyMs(table('fbnet-1080ti_1'), space, g), 10.615349732488394);
  const missing = g.map(() => 8);
  assert.throws(() => tableLatencyMs(table('fbnet-1080ti_1'), space, missing), (e: unknown) =>
    e instanceof Error && e.constructor === Error && e.message.startsWith('no table entry for skip-skip'));
});

test('published latencies are refused for an edited copy of a built-in space that keeps its id', () => {
  const builtin = loadSpace('nb201');
  // Same content, other formatting and key order: still the built-in network.
  const same = editedCopy('nb201', () => {});
  assert.equal(tableLatencyMs(table('pixel3'), same, builtin.decode(builtin.encode([3, 3, 3, 3, 3, 3]))), tableLatencyMs(table('pixel3'), builtin, [3, 3, 3, 3, 3, 3]));
  const edited = editedCopy('nb201', (d) => { d.classes = 100; });
  assert.throws(() => tableLatencyMs(table('pixel3'), edited, [3, 3, 3, 3, 3, 3]), (e: unknown) =>
    e instanceof Error && /space "nb201" differs from the built-in one/.test(e.message) && e.message.includes(edited.file));
});
