import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tableLatencyAll } from '../../src/latency/device-table.ts';
import { builtinDeviceIds, loadDevice, type TableDevice } from '../../src/latency/device-profile.ts';
import { getLatencyTable } from '../../src/tables/table-data.ts';

test('every table device profile validates and names an existing column of its table', () => {
  const devices = builtinDeviceIds().map((id) => loadDevice(id)).filter((d): d is TableDevice => d.kind === 'table');
  const byTable = new Map<string, string[]>();
  for (const d of devices) {
    byTable.set(d.table, [...(byTable.get(d.table) ?? []), d.key]);
    assert.ok(d.description && d.description.length > 20, `${d.id} has a description`);
    const col = tableLatencyAll(d);
    assert.ok(col.every((v) => Number.isFinite(v) && v > 0), `${d.id} latencies are positive`);
  }
  for (const [table, space, rows] of [['nb201', 'nb201', 15_625], ['fbnet', 'fbnet-cifar100', 5_000]] as const) {
    const t = getLatencyTable(table)!;
    assert.deepEqual(t.spaces, [space]);
    assert.deepEqual(byTable.get(table)?.sort(), t.keys(), `one device per ${table} key`);
    assert.equal(t.keys().length, 27);
    assert.equal(t.archStrings().length, rows);
  }
});
