import { InputError } from '../errors.ts';
import type { Genotype, SearchSpace } from '../space/search-space.ts';
import { isBuiltinSpace } from '../space/space-registry.ts';
import { checkDeviceForSpace, type TableDevice } from './device-profile.ts';
import { getLatencyTable, latencyTableIds, type LatencyTable } from '../tables/table-data.ts';

/**
 * Latency of table devices: published end-to-end measurements looked up by canonical arch string
 * (no model is run). The `nb201` table covers all 15,625 NAS-Bench-201 cells; the `fbnet` table only
 * its 5,000 sampled FBNet architectures.
 */

/** The table of a table device; an unknown table id is bad input. */
export function deviceTable(device: TableDevice): LatencyTable {
  const table = getLatencyTable(device.table);
  if (!table) {
    throw new InputError('unknown-id', `device "${device.id}" names an unknown latency table`, { path: '/table', expected: `one of ${latencyTableIds().join(', ')}`, actual: JSON.stringify(device.table) });
  }
  return table;
}

/**
 * Latency column (ms by table row) of a table device; an unknown key is bad input. Rows follow the
 * table's own order (for `nb201` the official API index), not genotype order: pair them with
 * {@link tableArchStrings}. The array is shared; do not modify it.
 */
export function tableLatencyAll(device: TableDevice): Float64Array {
  const table = deviceTable(device);
  const col = table.column(device.key);
  if (!col) {
    throw new InputError('unknown-id', `device "${device.id}" names an unknown key of the ${table.id} table`, { path: '/key', expected: `one of ${table.keys().join(', ')}`, actual: JSON.stringify(device.key) });
  }
  return col;
}

/** Canonical arch string of every row of the device's table, in row order. */
export function tableArchStrings(device: TableDevice): readonly string[] {
  return deviceTable(device).archStrings();
}

/**
 * Throws an {@link InputError} unless the table device has latency for the space: a space the table
 * covers, with exactly the built-in content (an edited copy that keeps the id is another network).
 */
export function checkTableDevice(device: TableDevice, space: SearchSpace): void {
  checkDeviceForSpace(device, space.id);
  const table = deviceTable(device);
  if (!table.spaces.includes(space.id)) {
    throw new InputError('incompatible', `latency table "${table.id}" of device "${device.id}" covers only ${table.spaces.join(', ')}`, { path: '--device', expected: `a device for space "${space.id}"`, actual: JSON.stringify(device.id) });
  }
  if (!isBuiltinSpace(space)) {
    throw new InputError('incompatible', `space "${space.id}" differs from the built-in one, so the published latencies of device "${device.id}" do not describe its networks`, { file: space.file, expected: `the built-in ${space.id} space (or a new id and a measured or LUT device)` });
  }
}

/**
 * Published latency (ms) of one architecture on a table device. Misuse (wrong space, unknown table
 * or key) throws an {@link InputError}; an architecture the table does not list throws a plain
 * `Error`, which the evaluator records as a failed outcome.
 */
export function tableLatencyMs(device: TableDevice, space: SearchSpace, g: Genotype): number {
  checkTableDevice(device, space);
  const col = tableLatencyAll(device);
  const arch = space.encode(g);
  const row = deviceTable(device).rowOf(arch);
  if (row === undefined) throw new Error(`no table entry for ${arch} in the ${device.table} latency table (device ${device.id})`);
  return col[row]!;
}
