import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.ts';

test('hwnas truth writes the front CSV and its normalisation; a measured device is exit 2', async () => {
  const out = tempDir();
  const r = await runCli(['truth', '--space', 'nb201', '--device', 'eyeriss', '--out', out]);
  assert.equal(r.code, 0, r.err);
  const csv = readFileSync(join(out, 'truth-nb201-eyeriss.csv'), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'arch,accuracy,latencyMs,testAccuracy');
  const json = JSON.parse(readFileSync(join(out, 'truth-nb201-eyeriss.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(json.enumerated, 15_625);
  assert.equal(json.frontSize, csv.length - 1);
  assert.deepEqual(json.referencePoint, [1.1, 1.1]);
  // Normalised over the front's own range: ideal = (best accuracy, lowest latency) of the front.
  const norm = json.normalisation as { ideal: number[]; nadir: number[] };
  const front = csv.slice(1).map((l) => l.split(',').slice(1, 3).map(Number) as [number, number]);
  assert.deepEqual(norm.ideal, [-Math.max(...front.map((p) => p[0])), Math.min(...front.map((p) => p[1]))]);
  assert.deepEqual(norm.nadir, [-Math.min(...front.map((p) => p[0])), Math.max(...front.map((p) => p[1]))]);
  // Rows go from most accurate to fastest: accuracy falls and latency falls along the front.
  const rows = csv.slice(1).map((l) => l.split(',').slice(1, 3).map(Number) as [number, number]);
  for (let i = 1; i < rows.length; i++) {
    assert.ok(rows[i]![0] <= rows[i - 1]![0] && rows[i]![1] < rows[i - 1]![1], csv[i + 1]);
  }
  const bad = await runCli(['truth', '--space', 'nb201', '--device', 'ort-cpu', '--out', out]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /needs a table device/);
});
