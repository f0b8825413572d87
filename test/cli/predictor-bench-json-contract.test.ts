import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.ts';

test('predictor-bench --format json prints { target, predictor, samples, spearman, within10 } per target, N and predictor', async () => {
  const r = await runCli(['predictor-bench', '--space', 'nb201', '--target', 'pixel3,fpga', '--samples', '20,10', '--seeds', '2', '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const rows = JSON.parse(r.out) as Record<string, unknown>[];
  assert.ok(Array.isArray(rows));
  assert.equal(rows.length, 2 * 2 * 4);
  for (const row of rows) {
    assert.deepEqual(Object.keys(row).sort(), ['predictor', 'samples', 'spearman', 'target', 'within10']);
    assert.ok(['pixel3', 'fpga'].includes(row['target'] as string));
    assert.ok([10, 20].includes(row['samples'] as number));
    const rho = row['spearman'] as number;
    const w = row['within10'] as number;
    assert.ok(rho > -1 && rho <= 1, `spearman ${rho}`);
    assert.ok(w >= 0 && w <= 1, `within10 ${w}`);
  }
  assert.deepEqual([...new Set(rows.map((x) => x['predictor']))].sort(), ['flops', 'nnls', 'params', 'transfer']);
  // fpga's published latencies are per-layer sums: the 5-parameter layer-wise model is exact with 10 samples.
  const fpgaNnls = rows.find((x) => x['target'] === 'fpga' && x['predictor'] === 'nnls' && x['samples'] === 10)!;
  assert.ok((fpgaNnls['spearman'] as number) > 0.999);
  assert.match(r.err, /predictor-bench: fpga done \(2\/2/);
});

test('predictor-bench on fbnet-cifar100 names its targets by device id; csv has the same columns', async () => {
  const r = await runCli(['predictor-bench', '--space', 'fbnet-cifar100', '--target', 'fpga', '--samples', '10', '--seeds', '1', '--predictors', 'transfer,flops', '--format', 'csv']);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split('\n');
  assert.equal(lines[0], 'target,predictor,samples,spearman,within10');
  assert.equal(lines.length, 3);
  assert.match(lines[1]!, /^fbnet-fpga,transfer,10,/);
});

test('predictor-bench rejects bad input with exit 2 and names the flag', async () => {
  const cases: [string[], RegExp][] = [
    [['--samples', '2'], /--samples/],
    [['--samples', '10,x'], /--samples/],
    [['--target', 'nosuch'], /--target.*titan_rtx_256/],
    [['--predictors', 'lut'], /--predictors: no table device has a per-op LUT/],
    [['--predictors', 'magic'], /--predictors/],
    [['--space', 'mnasnet'], /--space/],
    [['--seeds', '0'], /--seeds/],
    [['--format', 'xml'], /--format/],
  ];
  for (const [args, msg] of cases) {
    const r = await runCli(['predictor-bench', ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, msg);
    assert.equal(r.err.trim().split('\n').length, 1, 'one line');
    assert.equal(r.out, '');
  }
});
