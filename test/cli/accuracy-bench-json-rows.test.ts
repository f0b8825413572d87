import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { countFlops, countParams } from '../../src/graph/count.ts';
import { loadSpace } from '../../src/space/space-registry.ts';
import { macroAccuracy } from '../../src/tables/table-data.ts';
import { spearman } from '../../src/util/spearman.ts';
import { runCliProcess } from '../helpers/cli-process.ts';
import { tempDir } from '../helpers/cli.ts';

const FIELDS = ['space', 'signal', 'samples', 'seed', 'spearman', 'kendall', 'top10Precision', 'cpuSecondsPerArch', 'settings'];

test('accuracy-bench --signals flops,params --samples 30 --format json: rows with the contract fields, values recomputed from the table', async () => {
  const out = join(tempDir(), 'bench');
  const r = await runCliProcess(['accuracy-bench', '--space', 'nasbench-macro', '--signals', 'flops,params', '--samples', '30', '--seed', '3', '--format', 'json', '--out', out], { timeoutMs: 120_000 });
  assert.equal(r.code, 0, r.err);
  const rows = JSON.parse(r.out) as Record<string, unknown>[];
  assert.deepEqual(rows.map((x) => x.signal), ['ceiling', 'flops', 'params']);
  for (const row of rows) {
    for (const f of FIELDS) assert.ok(f in row, `${String(row.signal)} lacks ${f}`);
    assert.equal(row.space, 'nasbench-macro');
    assert.equal(row.samples, 30);
    assert.equal(row.seed, 3);
    assert.equal(row.scored, 30);
    for (const k of ['spearman', 'kendall', 'top10Precision'] as const) {
      const v = row[k] as number;
      const ci = row[`${k}Ci`] as [number, number];
      assert.ok(Number.isFinite(v) && ci[0] <= ci[1], `${String(row.signal)} ${k} ${v} ${JSON.stringify(ci)}`);
    }
  }
  // The journal holds each signal's 30 scores; recompute ρ from the table and the IR counts.
  const space = loadSpace('nasbench-macro');
  const table = macroAccuracy();
  const lines = readFileSync(join(out, 'scores.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { signal: string; arch?: string; score?: number; cpuSeconds: number });
  const archs = lines.filter((l) => l.signal === 'zero-cost:flops' && l.arch).map((l) => l.arch!);
  assert.equal(new Set(archs).size, 30, '30 distinct architectures');
  const truth = archs.map((a) => table[a]!.meanAcc);
  const flops = rows.find((x) => x.signal === 'flops')!;
  const params = rows.find((x) => x.signal === 'params')!;
  assert.ok(Math.abs((flops.spearman as number) - spearman(archs.map((a) => countFlops(space.build(space.decode(a)))), truth)) < 1e-12);
  assert.ok(Math.abs((params.spearman as number) - spearman(archs.map((a) => countParams(space.build(space.decode(a)))), truth)) < 1e-12);
  // The ceiling: the mean over the three pairs of trainings.
  const run = (i: number) => archs.map((a) => table[a]!.testAcc[i]!);
  const ceiling = (spearman(run(0), run(1)) + spearman(run(0), run(2)) + spearman(run(1), run(2))) / 3;
  assert.ok(Math.abs((rows[0]!.spearman as number) - ceiling) < 1e-12);
  assert.equal(rows[0]!.cpuSecondsPerArch, null);
  // CPU-seconds per architecture: what the journal charged, over the 30 architectures (set-up included).
  const charged = lines.filter((l) => l.signal === 'zero-cost:flops').reduce((s, l) => s + l.cpuSeconds, 0);
  assert.ok(Math.abs((flops.cpuSecondsPerArch as number) - charged / 30) < 1e-9);
  assert.ok((flops.cpuSecondsPerArch as number) > 0);
  assert.equal((flops.settings as Record<string, unknown>).source, 'zero-cost:flops');
  // The folder's results file holds the same rows.
  assert.deepEqual(JSON.parse(readFileSync(join(out, 'accuracy-bench.json'), 'utf8')).rows, rows);

  // Same seed, fewer samples: a prefix of the same architectures.
  const out2 = join(tempDir(), 'bench');
  const r2 = await runCliProcess(['accuracy-bench', '--signals', 'flops', '--samples', '10', '--seed', '3', '--format', 'json', '--out', out2], { timeoutMs: 120_000 });
  assert.equal(r2.code, 0, r2.err);
  const archs2 = readFileSync(join(out2, 'scores.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { arch?: string }).filter((l) => l.arch).map((l) => l.arch);
  assert.deepEqual(archs2, archs.slice(0, 10));
});
