import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../helpers/cli.ts';

test('two nb201 searches with the same seed on a table device write byte-identical leaderboards', async () => {
  const dir = tempDir();
  const files: string[] = [];
  for (const run of ['a', 'b']) {
    const out = join(dir, run);
    const r = await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--device', 'pixel3', '--strategy', 'nsga2', '--budget', '120', '--seed', '7', '--out', out]);
    assert.equal(r.code, 0, r.err);
    files.push(out);
  }
  for (const name of ['leaderboard-fpga.csv', 'front-fpga.csv', 'leaderboard-pixel3.csv', 'front-svg-check']) {
    if (name === 'front-svg-check') continue;
    const a = readFileSync(join(files[0]!, name));
    const b = readFileSync(join(files[1]!, name));
    assert.ok(a.equals(b), `${name} differs between runs`);
  }
  const csv = readFileSync(join(files[0]!, 'leaderboard-fpga.csv'), 'utf8').trim().split('\n');
  assert.match(csv[0]!, /^rank,arch,paretoRank,crowding,accuracy,latencyMs,paramCount,flops,/);
  assert.equal(csv.length, 121);
  const svg = readFileSync(join(files[0]!, 'front-fpga.svg'), 'utf8');
  assert.match(svg, /^<svg /);
});

test('a different seed gives a different search', async () => {
  const dir = tempDir();
  const runs: string[] = [];
  for (const seed of ['1', '2']) {
    const out = join(dir, seed);
    const r = await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--budget', '30', '--seed', seed, '--out', out]);
    assert.equal(r.code, 0, r.err);
    runs.push(readFileSync(join(out, 'leaderboard-fpga.csv'), 'utf8'));
  }
  assert.notEqual(runs[0], runs[1]);
});
