import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tableTransferPrior } from '../../src/latency/table-prior.ts';
import { fitTransfer } from '../../src/latency/transfer-predictor.ts';
import { loadSpace } from '../../src/space/space-registry.ts';
import { getLatencyTable, type LatencyTable } from '../../src/tables/table-data.ts';
import { Rng } from '../../src/util/rng.ts';

// The real nb201 table with some columns replaced by a permutation of themselves, except at the
// sample rows: what a predictor that peeked at those columns would see differently.
function scrambled(real: LatencyTable, keys: readonly string[], keep: readonly number[], seed: number): LatencyTable {
  const cols = new Map<string, Float64Array>();
  for (const k of keys) {
    const col = Float64Array.from(real.column(k)!);
    const free = [...col.keys()].filter((r) => !keep.includes(r));
    const perm = new Rng(seed).shuffle(free);
    const copy = Float64Array.from(col);
    free.forEach((r, i) => (copy[r] = col[perm[i]!]!));
    cols.set(k, copy);
  }
  return {
    id: real.id, spaces: real.spaces,
    keys: () => real.keys(),
    column: (k) => cols.get(k) ?? real.column(k),
    archStrings: () => real.archStrings(),
    rowOf: (a) => real.rowOf(a),
  };
}

test('the transfer predictor of titan_rtx_1 never reads titan_rtx_1, _32 or _256 beyond its samples', () => {
  const real = getLatencyTable('nb201')!;
  const space = loadSpace('nb201');
  const truth = real.column('titan_rtx_1')!;
  const rows = new Rng(7).shuffle([...truth.keys()]).slice(0, 10);
  const samples = rows.map((r) => ({ row: r, latencyMs: truth[r]! }));
  const predict = (table: LatencyTable): Float64Array => fitTransfer(tableTransferPrior(table, space, 'titan_rtx_1'), samples).predictAllMs();

  const prior = tableTransferPrior(real, space, 'titan_rtx_1');
  assert.equal(prior.sources.length, 25, '27 columns minus the three TITAN RTX batch sizes, plus (flops)');
  assert.ok(!prior.sources.some((s) => s.startsWith('titan_rtx')));
  assert.ok(prior.sources.includes('titanxp_1') && prior.sources.includes('2080ti_256'), 'other GPUs stay');

  const base = predict(real);
  assert.equal(base.length, 15_625);
  assert.ok(base.every((v) => Number.isFinite(v) && v > 0));
  const hidden = predict(scrambled(real, ['titan_rtx_1', 'titan_rtx_32', 'titan_rtx_256'], rows, 1));
  assert.deepEqual(hidden, base, 'scrambling the target and its siblings changes nothing');
  // The check can fail: scrambling a column the predictor does use changes the predictions.
  const used = predict(scrambled(real, ['2080ti_1'], rows, 1));
  assert.notDeepEqual(used, base);
});
