import assert from 'node:assert/strict';
import { test } from 'node:test';
import { helpSources } from '../../src/latency/help-reference.ts';
import { tableTransferPrior } from '../../src/latency/table-prior.ts';
import { fitTransfer } from '../../src/latency/transfer-predictor.ts';
import { loadSpace } from '../../src/space/space-registry.ts';
import { getLatencyTable, type LatencyTable } from '../../src/tables/table-data.ts';
import { Rng } from '../../src/util/rng.ts';
import { runCli } from '../helpers/cli.ts';

const HELP_13 = ['1080ti_1', '1080ti_32', '1080ti_256', 'silver_4114', 'silver_4210r', 'samsung_a50', 'pixel3', 'essential_ph_1', 'samsung_s7', 'titanx_1', 'titanx_32', 'titanx_256', 'gold_6240'];

/** The table with every column but `keep` replaced by a shuffle of itself. */
function scrambledExcept(real: LatencyTable, keep: readonly string[]): LatencyTable {
  const cols = new Map<string, Float64Array>();
  for (const k of real.keys().filter((x) => !keep.includes(x))) cols.set(k, Float64Array.from(new Rng(3).shuffle([...real.column(k)!])));
  return { id: real.id, spaces: real.spaces, keys: () => real.keys(), column: (k) => cols.get(k) ?? real.column(k), archStrings: () => real.archStrings(), rowOf: (a) => real.rowOf(a) };
}

test("with HELP's sources the transfer predictor reads HELP's 13 devices and nothing else", () => {
  assert.deepEqual(helpSources('nb201'), HELP_13);
  const real = getLatencyTable('nb201')!;
  const space = loadSpace('nb201');
  const prior = tableTransferPrior(real, space, 'titan_rtx_256', HELP_13);
  assert.deepEqual([...prior.sources].sort(), [...HELP_13, '(flops)'].sort());
  // Scrambling every other column changes nothing: they are not read.
  const truth = real.column('titan_rtx_256')!;
  const samples = new Rng(5).shuffle([...truth.keys()]).slice(0, 10).map((r) => ({ row: r, latencyMs: truth[r]! }));
  const a = fitTransfer(prior, samples).predictAllMs();
  const b = fitTransfer(tableTransferPrior(scrambledExcept(real, HELP_13), space, 'titan_rtx_256', HELP_13), samples).predictAllMs();
  assert.deepEqual(b, a);
  // With every device, those columns are read (so the scrambled table gives other predictions).
  const c = fitTransfer(tableTransferPrior(scrambledExcept(real, HELP_13), space, 'titan_rtx_256'), samples).predictAllMs();
  assert.notDeepEqual(c, fitTransfer(tableTransferPrior(real, space, 'titan_rtx_256'), samples).predictAllMs());
});

test('hwnas predictor-bench --sources help: named on stderr, same JSON contract; an unknown source is exit 2', async () => {
  const args = ['predictor-bench', '--target', 'fpga', '--samples', '10', '--seeds', '1', '--predictors', 'transfer', '--format', 'json'];
  const help = await runCli([...args, '--sources', 'help']);
  assert.equal(help.code, 0, help.err);
  assert.match(help.err, /transfer sources: help \(1080ti_1, 1080ti_32, 1080ti_256, silver_4114, silver_4210r, samsung_a50, pixel3, essential_ph_1, samsung_s7, titanx_1, titanx_32, titanx_256, gold_6240\)/);
  const rows = JSON.parse(help.out) as { target: string; predictor: string; samples: number; spearman: number; within10: number }[];
  assert.deepEqual(rows.map((r) => [r.target, r.predictor, r.samples]), [['fpga', 'transfer', 10]]);
  assert.ok(rows[0]!.spearman > 0.5 && rows[0]!.spearman <= 1);
  const all = await runCli(args);
  assert.equal(all.code, 0, all.err);
  assert.match(all.err, /transfer sources: every other device of the table/);
  assert.notEqual((JSON.parse(all.out) as { spearman: number }[])[0]!.spearman, rows[0]!.spearman);
  const bad = await runCli([...args, '--sources', 'pixel3,nosuch']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--sources.*no column "nosuch"|no column "nosuch".*--sources/);
});
