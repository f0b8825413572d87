import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { LEADING_COLUMNS } from '../../src/record/leaderboard.ts';
import { buildReport } from '../../src/report/build-report.ts';
import { readResultsDir } from '../../src/report/results-dir.ts';
import { parseCsv } from '../../src/report/read-csv.ts';
import { STRICT_TIMING_EXIT_CODE } from '../../src/latency/timing-quality.ts';
import { runCli, tempDir } from '../helpers/cli.ts';

/** A one-thread ORT device with short timing and the given tolerance and time cap. */
function deviceFile(dir: string, id: string, ciTolerancePct: number, maxTimeMs: number): string {
  const file = join(dir, `${id}.json`);
  writeFileSync(file, JSON.stringify({ id, kind: 'measured', runtime: 'ort-cpu', threads: 1, timing: { warmupRuns: 1, warmupMs: 0, iterations: 6, minTimeMs: 6, minRounds: 6, ciTolerancePct, maxTimeMs } }));
  return file;
}

test('hwnas measure times exported ONNX files with the protocol and writes leaderboard CSV rows; bad files exit 2', async () => {
  const dir = tempDir('hwnas-measure-');
  try {
    const onnx = join(dir, 'onnx');
    assert.equal((await runCli(['export', '--space', 'nasbench-macro', '--arch', '00000000', '--arch', '10000001', '--out', onnx])).code, 0);
    const files = [join(onnx, '1.onnx'), join(onnx, '2.onnx')];
    const loose = deviceFile(dir, 'loose-cpu', 100, 30);
    const out = join(dir, 'rows.csv');
    const r = await runCli(['measure', ...files, '--device', loose, '--out', out]);
    assert.equal(r.code, 0, r.err);
    const csv = parseCsv(readFileSync(out, 'utf8'));
    assert.deepEqual(csv.columns.slice(0, LEADING_COLUMNS.length), [...LEADING_COLUMNS]);
    for (const c of ['p90Ms', 'cv', 'samples', 'ciHalfWidthPct', 'rounds', 'referenceMs', 'referenceDriftPct', 'loadAvg1Before', 'loadAvg1After', 'runtime', 'threads']) assert.ok(csv.columns.includes(c), `no ${c} column`);
    const col = (name: string) => csv.columns.indexOf(name);
    assert.deepEqual(csv.rows.map((row) => row[col('arch')]).sort(), [...files].sort());
    const lat = csv.rows.map((row) => Number(row[col('latencyMs')]));
    assert.ok(lat.every((x) => x > 0) && lat[0]! <= lat[1]!, `ranked by latency: ${lat}`);
    assert.deepEqual(csv.rows.map((row) => row[col('rank')]), ['1', '2']);
    for (const row of csv.rows) {
      assert.ok(Number(row[col('ciHalfWidthPct')]) >= 0 && Number(row[col('rounds')]) >= 6 && Number(row[col('samples')]) >= 6);
      assert.equal(row[col('threads')], '1');
    }
    assert.match(r.err, /measure: 2 of 2 timed on loose-cpu; median 95% CI ±[\d.]+%; load average/);

    const junk = join(dir, 'junk.onnx');
    writeFileSync(junk, 'this is not a model');
    const bad = await runCli(['measure', files[0]!, junk, '--device', loose]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /junk\.onnx.*not an ONNX model/);
    assert.equal(bad.out, '');
    assert.equal((await runCli(['measure', join(dir, 'missing.onnx'), '--device', loose])).code, 2);
    const table = await runCli(['measure', files[0]!, '--device', 'pixel3']);
    assert.equal(table.code, 2);
    assert.match(table.err, /--device.*measured/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test(`an impossible tolerance: loud warnings with counts, rows flagged, config.json and the report say so, --strict-timing exits ${STRICT_TIMING_EXIT_CODE}`, async () => {
  const dir = tempDir('hwnas-strict-');
  try {
    const strict = deviceFile(dir, 'strict-cpu', 0.0001, 20);
    const out = join(dir, 'run');
    const r = await runCli(['search', '--space', 'nasbench-macro', '--device', strict, '--strategy', 'random', '--budget', '3', '--out', out, '--strict-timing']);
    assert.equal(r.code, STRICT_TIMING_EXIT_CODE, r.err);
    assert.match(r.err, /\*\*\* WARNING: latency on strict-cpu is not trustworthy: 3 of 3 measured rows missed the ±0\.0001% tolerance of their 95% CI/);
    assert.match(r.err, /--strict-timing: exit 4/);
    // Everything is written all the same, each row saying why it is not to be trusted.
    const csv = parseCsv(readFileSync(join(out, 'leaderboard-strict-cpu.csv'), 'utf8'));
    const warn = csv.columns.indexOf('timingWarning');
    assert.equal(csv.rows.length, 3);
    for (const row of csv.rows) assert.match(row[warn]!, /95% CI ±[\d.]+% missed the ±0\.0001% tolerance after \d+ rounds/);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    assert.equal(config.hostLoadBefore.loadAvg.length, 3);
    assert.equal(config.hostLoadAfter.loadAvg.length, 3);
    assert.equal(config.timingQuality[0].device, 'strict-cpu');
    assert.equal(config.timingQuality[0].missedTolerance, 3);
    const report = buildReport([readResultsDir(out)]);
    assert.match(report.dirs[0]!.warnings?.[0] ?? '', /3 of 3 measured rows missed the ±0\.0001% tolerance/);
    assert.ok(report.dirs[0]!.summary.some((s) => /^load average [\d.]+ when the run started, [\d.]+ when it ended/.test(s)));

    // Without the flag: the same warning, exit 0.
    const lax = await runCli(['search', '--space', 'nasbench-macro', '--device', strict, '--strategy', 'random', '--budget', '2', '--out', join(dir, 'lax')]);
    assert.equal(lax.code, 0, lax.err);
    assert.match(lax.err, /WARNING: latency on strict-cpu is not trustworthy: 2 of 2 measured rows/);

    // hwnas measure: the same exit code, the rows written first.
    assert.equal((await runCli(['export', '--space', 'nasbench-macro', '--arch', '00000000', '--out', join(dir, 'onnx')])).code, 0);
    const rows = join(dir, 'rows.csv');
    const m = await runCli(['measure', join(dir, 'onnx', '1.onnx'), '--device', strict, '--out', rows, '--strict-timing']);
    assert.equal(m.code, STRICT_TIMING_EXIT_CODE, m.err);
    assert.equal(parseCsv(readFileSync(rows, 'utf8')).rows.length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
