import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const tempDir = (prefix = 'hwnas-test-'): string => mkdtempSync(join(tmpdir(), prefix));
// The generated-LUT folder is read once at load: point it at a temporary folder before importing
// anything that loads src/latency/lut-file.ts (hence no static imports of src/ here).
const lutDir = tempDir('hwnas-lut-');
process.env['HWNAS_LUT_DIR'] = lutDir;
const { profileDevice } = await import('../../src/latency/lut-profile.ts');
const { loadLut } = await import('../../src/latency/lut-file.ts');
const { predictWithLut } = await import('../../src/latency/lut-predictor.ts');
const { loadDevice } = await import('../../src/latency/device-profile.ts');
const { loadSpace } = await import('../../src/space/space-registry.ts');
const { isLayeredSpace } = await import('../../src/space/layered-space.ts');
const { search } = await import('../../src/run/search.ts');

/** Rows of a CSV without quoted commas (leaderboards of digit-encoded archs). */
function readCsv(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])));
}

/** A measured device on ORT CPU, 1 thread, with short timing so the test stays fast. */
function quickDevice(dir: string, id: string): string {
  const file = join(dir, `${id}.json`);
  writeFileSync(file, JSON.stringify({ id, kind: 'measured', runtime: 'ort-cpu', threads: 1, timing: { warmupRuns: 1, warmupMs: 0, iterations: 5, minTimeMs: 0 } }));
  return file;
}

test('a measured search reports predictedLatencyMs beside latencyMs when hwnas profile wrote a LUT for the device and space', async () => {
  const dir = tempDir();
  const deviceFile = quickDevice(dir, 'quick-cpu');
  const device = loadDevice(deviceFile);
  assert.equal(device.kind, 'measured');
  if (device.kind !== 'measured') return;
  const space = loadSpace('nasbench-macro');
  assert.ok(isLayeredSpace(space));
  const report = await profileDevice(device, space, { samples: 2, seed: 0, folds: 2 });
  assert.equal(report.lutFile, join(lutDir, 'quick-cpu-nasbench-macro.json'));

  const out = join(dir, 'run');
  await search({ space: 'nasbench-macro', devices: [deviceFile], strategy: 'random', budget: 5, seed: 1, out });
  const rows = readCsv(join(out, 'leaderboard-quick-cpu.csv'));
  assert.equal(rows.length, 5);
  const lut = loadLut('quick-cpu-nasbench-macro');
  for (const r of rows) {
    assert.ok(Number(r['latencyMs']) > 0, 'measured latency');
    assert.equal(r['predictionSource'], 'lut:quick-cpu-nasbench-macro');
    const expected: number = predictWithLut(lut, space.layers(space.decode(r['arch']!))).latencyMs;
    assert.ok(Number.isFinite(expected));
    assert.equal(Number(r['predictedLatencyMs']), expected, `prediction of ${r['arch']}`);
  }
});

test('without a LUT for the device and space, a measured search has no prediction columns', async () => {
  const dir = tempDir();
  const deviceFile = quickDevice(dir, 'unprofiled-cpu');
  const out = join(dir, 'run');
  await search({ space: 'nasbench-macro', devices: [deviceFile], strategy: 'random', budget: 2, seed: 1, out });
  const head = readFileSync(join(out, 'leaderboard-unprofiled-cpu.csv'), 'utf8').split('\n')[0]!;
  assert.ok(head.includes(',latencyMs,'), head);
  assert.ok(!head.includes('predictedLatencyMs'), head);
  assert.ok(!head.includes('predictionSource'), head);
});
