import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../helpers/cli.ts';

test('hwnas search --strategy dnas trains a supernet, derives one arch and evaluates it on the device', async () => {
  const out = join(tempDir(), 'dnas');
  const r = await runCli(['search', '--space', 'nasbench-macro', '--device', 'ort-cpu-1t', '--strategy', 'dnas', '--seed', '3',
    '--option', 'epochs=2', '--option', 'images=200', '--option', 'steps=2', '--option', 'width=0.125', '--option', 'inputSize=8', '--out', out]);
  assert.equal(r.code, 0, r.err);
  const rows = readFileSync(join(out, 'leaderboard-ort-cpu-1t.csv'), 'utf8').trim().split('\n');
  assert.equal(rows.length, 2);
  const dnas = JSON.parse(readFileSync(join(out, 'strategy-ort-cpu-1t.json'), 'utf8')) as { strategy: string; arch: string; theta: number[][]; latencyUnit: string };
  assert.equal(dnas.strategy, 'dnas');
  assert.match(dnas.arch, /^[012]{8}$/);
  assert.equal(dnas.theta.length, 8);
  assert.equal(dnas.latencyUnit, 'MFLOPs');
  assert.ok(rows[1]!.startsWith(`1,${dnas.arch},1,`));
});

test('dnas on a non-chain space is refused before anything is written', async () => {
  const dir = tempDir();
  const r = await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--strategy', 'dnas', '--out', join(dir, 'x')]);
  assert.equal(r.code, 2);
  assert.match(r.err, /dnas needs a chain-family space/);
});
