import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir, runCli } from '../helpers/cli.ts';

test('hwnas profile --predictor transfer measures N nb201 cells on ort-cpu-1t, predicts all 15,625 and checks M more', async () => {
  const dir = tempDir('hwnas-transfer-');
  try {
    const out = join(dir, 'pred.json');
    const r = await runCli(['profile', '--device', 'ort-cpu-1t', '--space', 'nb201', '--predictor', 'transfer', '--samples', '3', '--check', '4', '--seed', '5', '--rounds', '2', '--out', out]);
    assert.equal(r.code, 0, r.err);
    const rep = JSON.parse(r.out);
    assert.equal(rep.predictor, 'transfer');
    assert.equal(rep.device, 'ort-cpu-1t');
    assert.equal(rep.table, 'nb201');
    assert.equal(rep.rows, 15_625);
    assert.equal(rep.samples, 3);
    assert.equal(rep.check, 4);
    assert.equal(rep.statistic, 'min', 'default statistic, as for a LUT');
    assert.equal(rep.rounds, 2);
    assert.equal(rep.count, 4, 'accuracy over the check cells');
    for (const k of ['spearman', 'within10', 'within5', 'mape', 'flopsSpearman', 'medianCv']) assert.equal(typeof rep[k], 'number', k);
    assert.equal(typeof rep.nnls.spearman, 'number');
    assert.equal(typeof rep.flopsLine.within10, 'number');
    assert.equal(rep.runtime.threads, 1);
    assert.equal(rep.cells.length, 7);
    assert.deepEqual(rep.cells.map((c: { role: string }) => c.role), ['sample', 'sample', 'sample', 'check', 'check', 'check', 'check']);
    assert.equal(new Set(rep.cells.map((c: { arch: string }) => c.arch)).size, 7, 'check cells are not samples');
    for (const c of rep.cells) assert.ok(c.measuredMs > 0 && c.predictedMs > 0 && c.flops > 0, JSON.stringify(c));
    assert.equal(rep.topSources.length, 5);
    assert.match(r.err, /profile: measured sample 3\/3 \(/);
    assert.match(r.err, /profile: check 4\/4 \(/);

    const file = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(file.format, 'hwnas-transfer/1');
    assert.equal(file.archs.length, 15_625);
    assert.equal(file.predictedMs.length, 15_625);
    assert.ok(file.predictedMs.every((v: number) => Number.isFinite(v) && v > 0));
    assert.equal(Object.keys(file.sourceCoefficients).length, 28, 'a measured device has every table column as prior, and (flops)');
    assert.deepEqual(file.samples.map((s: { arch: string }) => s.arch), rep.cells.slice(0, 3).map((c: { arch: string }) => c.arch));
    for (const c of rep.cells) assert.equal(file.predictedMs[c.row], c.predictedMs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hwnas profile --predictor transfer refuses spaces without a table and LUT-only flags', async () => {
  const noTable = await runCli(['profile', '--device', 'ort-cpu-1t', '--space', 'mnasnet', '--predictor', 'transfer']);
  assert.equal(noTable.code, 2);
  assert.match(noTable.err, /--space: no latency table covers space "mnasnet"/);
  const folds = await runCli(['profile', '--device', 'ort-cpu-1t', '--space', 'nb201', '--predictor', 'transfer', '--folds', '2']);
  assert.equal(folds.code, 2);
  assert.match(folds.err, /--folds: applies only to --predictor lut/);
  const check = await runCli(['profile', '--device', 'ort-cpu-1t', '--space', 'nb201', '--check', '5']);
  assert.equal(check.code, 2);
  assert.match(check.err, /--check: applies only to --predictor transfer/);
  const table = await runCli(['profile', '--device', 'pixel3', '--space', 'nb201', '--predictor', 'transfer']);
  assert.equal(table.code, 2);
  assert.match(table.err, /only measured devices/);
});
