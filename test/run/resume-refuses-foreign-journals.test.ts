import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.ts';

const search = (device: string, out: string, ...more: string[]) =>
  runCli(['search', '--space', 'nb201', '--device', device, '--strategy', 'random', '--budget', '5', '--seed', '2', '--out', out, ...more]);

/** Every file of a folder and its bytes. */
const snapshot = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

test('--resume refuses a journal measured on another device, whether its records carry their target or only their latency source', async () => {
  const dir = tempDir();
  const pixel3 = join(dir, 'pixel3');
  const fpga = join(dir, 'fpga');
  assert.equal((await search('pixel3', pixel3)).code, 0);
  assert.equal((await search('fpga', fpga)).code, 0);
  const lines = readFileSync(join(pixel3, 'journal-pixel3.jsonl'), 'utf8').trim().split('\n');
  assert.equal((JSON.parse(lines[0]!) as { target: string }).target, 'pixel3', 'each record names what it was measured for');

  // The pixel3 journal saved as the fpga one.
  writeFileSync(join(fpga, 'journal-fpga.jsonl'), `${lines.join('\n')}\n`);
  const before = snapshot(fpga);
  const r = await search('fpga', fpga, '--budget', '8', '--resume');
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /^hwnas search: .*journal-fpga\.jsonl: cannot resume: record 1 \(\S+\) of this journal was measured for "pixel3", not for fpga; expected a journal of fpga/);
  assert.equal(r.err.trim().split('\n').length, 1);
  assert.deepEqual(snapshot(fpga), before, 'nothing written: no pixel3 latency in leaderboard-fpga.csv');

  // A journal from before records named their target: its latency source still says pixel3.
  const untagged = lines.map((l) => {
    const { target: _t, ...rest } = JSON.parse(l) as Record<string, unknown>;
    return JSON.stringify(rest);
  });
  writeFileSync(join(fpga, 'journal-fpga.jsonl'), `${untagged.join('\n')}\n`);
  const legacy = await search('fpga', fpga, '--budget', '8', '--resume');
  assert.equal(legacy.code, 2, legacy.err);
  assert.match(legacy.err, /was measured with latencySource "table:nb201\/pixel3" \(fpga gives table:nb201\/fpga or fitted:nb201\/fpga \*\), not for fpga/);
});

test('--resume of a folder that holds files but no config.json is refused: their settings cannot be checked', async () => {
  const dir = tempDir();
  const run = join(dir, 'run');
  assert.equal((await search('fpga', run)).code, 0);
  // A random/seed-2 journal without its config, resumed as nsga2/seed-9: refused, not reused.
  rmSync(join(run, 'config.json'));
  const before = snapshot(run);
  const r = await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--strategy', 'nsga2', '--budget', '5', '--seed', '9', '--out', run, '--resume']);
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /^hwnas search: .*run: cannot resume: the folder holds no config\.json, so the settings of what it holds cannot be checked; expected a --out folder an earlier search run wrote \(with its config\.json\), or a new --out folder\n$/);
  assert.deepEqual(snapshot(run), before);
  // Without --resume the journal would be replayed just the same: refused too (found by the resumes fuzz).
  const plain = await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--strategy', 'nsga2', '--budget', '5', '--seed', '9', '--out', run]);
  assert.equal(plain.code, 2, plain.err);
  assert.match(plain.err, /journal-fpga\.jsonl: the folder holds journal-fpga\.jsonl but no config\.json, so the settings its records were made with cannot be checked/);
  assert.deepEqual(snapshot(run), before);
  // No folder yet: nothing to reuse, so --resume starts the run ("run or continue").
  const fresh = await search('fpga', join(dir, 'new'), '--resume');
  assert.equal(fresh.code, 0, fresh.err);
  assert.match(fresh.out, /5 evaluated, 0 failed/);
});

test('a journal inside --out that is a symbolic link is never followed: --resume refuses it, the file it points to is untouched', async () => {
  const dir = tempDir();
  const run = join(dir, 'run');
  assert.equal((await search('fpga', run)).code, 0);
  const outside = join(dir, 'elsewhere');
  mkdirSync(outside);
  const target = join(outside, 'victim.jsonl');
  copyFileSync(join(run, 'journal-fpga.jsonl'), target);
  const victim = readFileSync(target, 'utf8');
  rmSync(join(run, 'journal-fpga.jsonl'));
  symlinkSync(target, join(run, 'journal-fpga.jsonl'));
  const r = await search('fpga', run, '--budget', '9', '--resume');
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /journal-fpga\.jsonl: the journal is a symbolic link; hwnas reads and appends journals only as regular files inside the results folder; expected a regular file/);
  assert.equal(readFileSync(target, 'utf8'), victim, 'nothing appended outside --out');
  assert.equal(readFileSync(join(run, 'leaderboard-fpga.csv'), 'utf8').trim().split('\n').length, 6, 'the leaderboard is the run\'s own');
});
