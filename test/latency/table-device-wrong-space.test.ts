import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../src/errors.ts';
import { tableLatencyMs } from '../../src/latency/device-table.ts';
import { checkDeviceForSpace, loadDevice, type TableDevice } from '../../src/latency/device-profile.ts';
import { loadSpace } from '../../src/space/space-registry.ts';

const incompatible = (e: unknown) => e instanceof InputError && e.code === 'incompatible';

test('a table device used with a space its table does not cover is an incompatible InputError', () => {
  const macro = loadSpace('nasbench-macro');
  const pixel3 = loadDevice('pixel3') as TableDevice;
  assert.throws(() => checkDeviceForSpace(pixel3, macro.id), incompatible);
  assert.throws(() => tableLatencyMs(pixel3, macro, macro.decode('02012100')), incompatible);
  const fb = loadDevice('fbnet-pixel3') as TableDevice;
  assert.throws(() => checkDeviceForSpace(fb, 'nb201'), incompatible);
});

test('a table device naming an unknown table or key is an unknown-id InputError', () => {
  const nb201 = loadSpace('nb201');
  const g = nb201.decode(nb201.encode([0, 1, 2, 3, 4, 0]));
  const base = loadDevice('pixel3') as TableDevice;
  assert.throws(() => tableLatencyMs({ ...base, table: 'nope' }, nb201, g), (e: unknown) => e instanceof InputError && e.code === 'unknown-id' && e.message.includes('nb201'));
  assert.throws(() => tableLatencyMs({ ...base, key: 'pixel9' }, nb201, g), (e: unknown) => e instanceof InputError && e.code === 'unknown-id' && e.message.includes('pixel3'));
});
