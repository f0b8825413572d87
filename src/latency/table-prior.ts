import type { SearchSpace } from '../space/search-space.ts';
import { InputError } from '../errors.ts';
import { getLatencyTable, latencyTableIds, type LatencyTable } from '../tables/table-data.ts';
import { opCounts } from './op-features.ts';
import { sameHardwareKeys } from './table-hardware.ts';
import { tableRowFacts } from './table-row-facts.ts';
import { opFeatureMatrix, TransferPrior, type OpFeatureMatrix, type SourceDevice } from './transfer-predictor.ts';

/**
 * Transfer priors built from a vendored latency table: the table's other columns are the source
 * devices, its rows the architectures. For a table device as target, the target's own column and
 * those of its same-hardware siblings (`table-hardware.ts`: `titan_rtx_1`/`_32`/`_256`) are left out,
 * so what the predictor knows about the target comes from its N samples only. Beside the devices, the
 * rows' FLOPs count as one more source, `(flops)`: a device whose latency would be proportional to
 * FLOPs (on devices outside HELP's test set it raised the mean ρ at 10 samples from 0.959 to 0.961 on
 * `nb201` and from 0.899 to 0.908 on `fbnet-cifar100`; scripts/transfer-tuning.ts).
 */

/** Name of the FLOPs pseudo-source. */
export const FLOPS_SOURCE = '(flops)';

const opCache = new WeakMap<readonly string[], Map<string, OpFeatureMatrix>>();

/** Op counts (`op-features.ts`) of every row of the table, decoded with `space`; cached per table and space. */
export function tableOpFeatures(table: LatencyTable, space: SearchSpace): OpFeatureMatrix {
  const archs = table.archStrings();
  let bySpace = opCache.get(archs);
  if (!bySpace) opCache.set(archs, (bySpace = new Map()));
  let m = bySpace.get(space.id);
  if (!m) {
    m = opFeatureMatrix(archs.map((a) => opCounts(space, space.decode(a))));
    bySpace.set(space.id, m);
  }
  return m;
}

/** Source keys for a target: every key of the table but the target's hardware (`undefined`: all keys). */
export function priorKeys(table: LatencyTable, targetKey: string | undefined): string[] {
  const keys = table.keys();
  if (targetKey === undefined) return keys;
  if (!keys.includes(targetKey)) throw new Error(`latency table ${table.id} has no column ${targetKey}`);
  const siblings = new Set(sameHardwareKeys(targetKey, keys));
  return keys.filter((k) => !siblings.has(k));
}

/**
 * The transfer prior of `targetKey` (or, for a device outside the table, of every column); with
 * `only`, of those columns alone (HELP's 13 devices, for a like-for-like comparison), the target's
 * hardware still left out.
 */
export function tableTransferPrior(table: LatencyTable, space: SearchSpace, targetKey: string | undefined, only?: readonly string[]): TransferPrior {
  const allowed = only && new Set(only);
  const sources: SourceDevice[] = priorKeys(table, targetKey).filter((k) => !allowed || allowed.has(k)).map((k) => {
    const col = table.column(k);
    if (!col) throw new Error(`latency table ${table.id} lists key ${k} without a column`);
    return { name: k, latencyMs: col };
  });
  sources.push({ name: FLOPS_SOURCE, latencyMs: tableRowFacts(table, space).flops });
  return new TransferPrior(sources, tableOpFeatures(table, space));
}

/** The latency table whose rows are `space`'s architectures; other spaces are bad input. */
export function latencyTableOfSpace(space: Pick<SearchSpace, 'id'>, flag = '--space'): LatencyTable {
  for (const id of latencyTableIds()) {
    const t = getLatencyTable(id)!;
    if (t.spaces.includes(space.id)) return t;
  }
  const spaces = latencyTableIds().flatMap((id) => getLatencyTable(id)!.spaces);
  throw new InputError('incompatible', `no latency table covers space "${space.id}", so there is no prior for a transfer predictor`, { path: flag, expected: `one of ${spaces.join(', ')}`, actual: JSON.stringify(space.id) });
}
