import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../helpers/cli.ts';
import { runCliProcess } from '../helpers/cli-process.ts';
import { loadSpace } from '../../src/space/space-registry.ts';
import type { LayeredSpace } from '../../src/space/layered-space.ts';

const small = ['--option', 'epochs=2', '--option', 'images=200', '--option', 'steps=2', '--option', 'width=0.125', '--option', 'inputSize=8'];

interface DnasSummary { strategy: string; arch: string; theta: number[][]; latencyUnit: string; latencySource: string; layerCosts: { unit: string; fixed: number; table: number[][] } }

test('hwnas search --strategy dnas on a measured device: per-layer latency measured there, progress per epoch, one derived arch evaluated', async () => {
  const out = join(tempDir(), 'dnas');
  const r = await runCli(['search', '--space', 'nasbench-macro', '--device', 'ort-cpu-1t', '--strategy', 'dnas', '--seed', '3', ...small, '--out', out]);
  assert.equal(r.code, 0, r.err);
  const rows = readFileSync(join(out, 'leaderboard-ort-cpu-1t.csv'), 'utf8').trim().split('\n');
  assert.equal(rows.length, 2);
  const dnas = JSON.parse(readFileSync(join(out, 'strategy-ort-cpu-1t.json'), 'utf8')) as DnasSummary;
  assert.equal(dnas.strategy, 'dnas');
  assert.match(dnas.arch, /^[012]{8}$/);
  assert.equal(dnas.theta.length, 8);
  // Latency of this device (ms, or µs for a sub-millisecond model), never FLOPs.
  assert.match(dnas.latencyUnit, /^(ms|µs)$/);
  assert.match(dnas.latencySource, /^measured on ort-cpu-1t \(17 architectures/);
  assert.equal(dnas.layerCosts.table.length, 8);
  for (const row of dnas.layerCosts.table) assert.ok(row.length === 3 && row.every((v) => v >= 0) && Math.min(...row) === 0, JSON.stringify(row));
  assert.ok(rows[1]!.startsWith(`1,${dnas.arch},1,`));
  // Progress: the supernet's epochs, then the one derived architecture (not 1 of the budget of 100).
  assert.match(r.err, /measuring 17 architectures on ort-cpu-1t/);
  assert.match(r.err, /dnas epoch 1\/2: cross-entropy [\d.]+, expected latency [\d.]+ (ms|µs)/);
  assert.match(r.err, /dnas epoch 2\/2/);
  assert.match(r.err, /ort-cpu-1t: 1\/1 \(100%\)/);
  assert.doesNotMatch(r.err, /\/100\b/);
});

test('dnas takes the per-layer latency of a measured device from the LUT hwnas profile wrote for it', async () => {
  const dir = tempDir();
  const luts = join(dir, 'luts');
  mkdirSync(luts);
  const space = loadSpace('nasbench-macro') as LayeredSpace;
  // A LUT with chosen entries (k-th layer configuration: 1 + 0.25·k ms), so the costs are known exactly.
  const keys = space.allLayers().filter((l) => !l.empty).map((l) => l.key);
  const entry = (ms: number) => ({ latencyMs: ms, rawMedianMs: ms, overheadMs: 0, cv: 0, samples: 1 });
  const entries = Object.fromEntries(keys.map((k, i) => [k, entry(1 + 0.25 * i)]));
  writeFileSync(join(luts, 'ort-cpu-1t-nasbench-macro.json'), JSON.stringify({ format: 'hwnas-lut/1', device: 'ort-cpu-1t', space: 'nasbench-macro', runtime: {}, method: 'chosen by the test', baseMs: 2, entries }));
  const layerMs = (l: { key: string; empty: boolean }) => (l.empty ? 0 : entries[l.key]!.latencyMs);
  const base = space.layers(space.decisions.map(() => 0));
  const expected = space.decisions.map((d, l) => {
    const row = d.choices.map((_, i) => {
      const g = space.decisions.map(() => 0);
      g[l] = i;
      return space.layers(g).reduce((s, x) => s + layerMs(x), 0) - base.reduce((s, x) => s + layerMs(x), 0);
    });
    return row.map((v) => v - Math.min(...row));
  });

  const out = join(dir, 'run');
  const r = await runCliProcess(['search', '--space', 'nasbench-macro', '--device', 'ort-cpu-1t', '--strategy', 'dnas', '--seed', '1', ...small, '--out', out], { env: { HWNAS_LUT_DIR: luts }, timeoutMs: 120_000 });
  assert.equal(r.code, 0, r.err);
  assert.doesNotMatch(r.err, /measuring 17 architectures/);
  const dnas = JSON.parse(readFileSync(join(out, 'strategy-ort-cpu-1t.json'), 'utf8')) as DnasSummary;
  assert.match(dnas.latencySource, /^lut:ort-cpu-1t-nasbench-macro/);
  assert.equal(dnas.latencyUnit, 'ms');
  dnas.layerCosts.table.forEach((row, l) => row.forEach((v, i) => assert.ok(Math.abs(v - expected[l]![i]!) < 1e-9, `layer ${l} choice ${i}: ${v} vs ${expected[l]![i]}`)));
});

test("FLOPs stand in for latency only when asked for by name (cost=flops)", async () => {
  const out2 = join(tempDir(), 'dnas');
  const ok = await runCli(['search', '--space', 'nasbench-macro', '--device', 'ort-cpu-1t', '--strategy', 'dnas', '--seed', '3', ...small, '--option', 'cost=flops', '--out', out2]);
  assert.equal(ok.code, 0, ok.err);
  const dnas = JSON.parse(readFileSync(join(out2, 'strategy-ort-cpu-1t.json'), 'utf8')) as DnasSummary;
  assert.equal(dnas.latencyUnit, 'MFLOPs');
  assert.match(dnas.latencySource, /cost=flops: not a latency/);
  assert.doesNotMatch(ok.err, /measuring 17 architectures/);
});

test('dnas on a non-chain space is refused before anything is written', async () => {
  const dir = tempDir();
  const r = await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--strategy', 'dnas', '--out', join(dir, 'x')]);
  assert.equal(r.code, 2);
  assert.match(r.err, /dnas needs a chain-family space/);
});
