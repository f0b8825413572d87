import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.ts';

// NAS-Bench-Macro's published counts (params, FLOPs) for the three documented architectures.
const PUBLISHED: Record<string, [number, number]> = {
  '00000000': [387_882, 7_713_280],
  '02012100': [890_666, 47_327_744],
  '22222222': [2_932_586, 105_660_928],
};

test('hwnas eval --all on nasbench-macro lists all 6,561 archs in order with the published counts', async () => {
  const r = await runCli(['eval', '--space', 'nasbench-macro', '--all', '--metrics', 'params,flops,accuracy']);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split('\n');
  assert.equal(lines[0], 'arch,paramCount,flops,accuracy');
  const rows = lines.slice(1).map((l) => l.split(','));
  assert.equal(rows.length, 6561);
  assert.equal(rows[0]![0], '00000000');
  assert.equal(rows[6560]![0], '22222222');
  for (const [arch, [params, flops]] of Object.entries(PUBLISHED)) {
    const row = rows.find((x) => x[0] === arch)!;
    assert.equal(Number(row[1]), params, `${arch} params`);
    assert.equal(Number(row[2]), flops, `${arch} flops`);
  }
  // Every row has integer counts and a table accuracy in (0, 100).
  for (const row of rows) {
    assert.ok(Number.isInteger(Number(row[1])) && Number.isInteger(Number(row[2])));
    const acc = Number(row[3]);
    assert.ok(acc > 0 && acc < 100, `${row[0]} accuracy ${acc}`);
  }
});

test('hwnas eval prints rows in input order with --archs-file and json format', async () => {
  const r = await runCli(['eval', '--space', 'nasbench-macro', '--arch', '22222222', '--arch', '00000000', '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const rows = JSON.parse(r.out) as { arch: string; paramCount: number; flops: number }[];
  assert.deepEqual(rows.map((x) => x.arch), ['22222222', '00000000']);
  assert.equal(rows[0]!.paramCount, 2_932_586);
});
