import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sameHardwareKeys, tableKeyHardware } from '../../src/latency/table-hardware.ts';
import { getLatencyTable } from '../../src/tables/table-data.ts';

test('every column of the nb201 and fbnet tables has a hardware; GPUs group by batch size only', () => {
  for (const id of ['nb201', 'fbnet']) {
    const keys = getLatencyTable(id)!.keys();
    assert.equal(keys.length, 27);
    for (const k of keys) assert.ok(tableKeyHardware(k), `${id}/${k} has a hardware entry`);
    const groups = new Set(keys.map((k) => tableKeyHardware(k)));
    assert.equal(groups.size, 17, '5 GPUs x 3 batch sizes + 12 other devices');
  }
  const nb = getLatencyTable('nb201')!.keys();
  assert.deepEqual(sameHardwareKeys('titan_rtx_1', nb), ['titan_rtx_1', 'titan_rtx_256', 'titan_rtx_32']);
  assert.deepEqual(sameHardwareKeys('titanx_32', nb), ['titanx_1', 'titanx_256', 'titanx_32'], 'TITAN X and TITAN Xp are different GPUs');
  assert.deepEqual(sameHardwareKeys('gold_6226', nb), ['gold_6226'], 'Xeon Gold 6226 and 6240 are different chips');
  assert.deepEqual(sameHardwareKeys('essential_ph_1', nb), ['essential_ph_1'], 'a phone, not a batch size');
  assert.deepEqual(sameHardwareKeys('titan_rtx_64', getLatencyTable('fbnet')!.keys()), ['titan_rtx_1', 'titan_rtx_32', 'titan_rtx_64']);
  assert.throws(() => sameHardwareKeys('h100_1', ['h100_1']), /no hardware entry/);
});
