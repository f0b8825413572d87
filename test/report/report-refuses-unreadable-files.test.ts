import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.ts';

const oneLine = (err: string) => err.trim().split('\n').length === 1;

test('report: a journal of random bytes is refused, not drawn as 0 records; a garbage line among records is skipped and said', async () => {
  const out = join(tempDir(), 'run');
  assert.equal((await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--strategy', 'random', '--budget', '4', '--out', out])).code, 0);
  const journal = join(out, 'journal-fpga.jsonl');
  const lines = readFileSync(journal, 'utf8').trim().split('\n');
  writeFileSync(journal, `${lines.slice(0, 2).join('\n')}\n\u0000\u00ff{garbage\n${lines.slice(2).join('\n')}\n`);
  const some = await runCli(['report', out, '--out', join(out, 'r1.html')]);
  assert.equal(some.code, 0, some.err);
  assert.match(readFileSync(join(out, 'r1.html'), 'utf8'), /4 evaluated of 4, 0 failed, front of \d+, 1 unreadable journal line\(s\) skipped/);
  writeFileSync(journal, Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37 + 11) % 256)));
  const r = await runCli(['report', out, '--out', join(out, 'r2.html')]);
  assert.equal(r.code, 2, r.err);
  assert.ok(oneLine(r.err), r.err);
  assert.match(r.err, /journal-fpga\.jsonl at line 1: not a journal: none of its \d+ line\(s\) is a journal record/);
  const empty = await runCli(['report', out, '--out', '']);
  assert.equal(empty.code, 2);
  assert.match(empty.err, /^hwnas report: --out: empty output file/);
});

test('report: a corrupted profile.json or models.csv is refused naming the file and the field', async () => {
  const dir = join(tempDir(), 'profile');
  mkdirSync(dir);
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ hwnas: 1, kind: 'profile' }));
  writeFileSync(join(dir, 'models.csv'), 'arch,measuredMs,pass1Ms,pass2Ms,cv1,cv2,lutMs,fittedMs,flops,params\n00000000,1,1,1,0,0,1,1,10,10\n');
  writeFileSync(join(dir, 'profile.json'), JSON.stringify({ device: 5 }));
  let r = await runCli(['report', dir, '--out', join(dir, 'r.html')]);
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /profile\.json at \/device: not the profile\.json of hwnas profile; expected a string, got 5/);
  writeFileSync(join(dir, 'profile.json'), JSON.stringify({ device: 'ort-cpu', space: 'tiny', samples: 1, runtime: {}, lut: {}, calibrated: {}, fitted: {}, models: [] }));
  writeFileSync(join(dir, 'models.csv'), '\u0000\u0001 not a csv\n');
  r = await runCli(['report', dir, '--out', join(dir, 'r.html')]);
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /models\.csv at header: not the models\.csv of hwnas profile/);
  writeFileSync(join(dir, 'models.csv'), 'arch,measuredMs,pass1Ms,pass2Ms,cv1,cv2,lutMs,fittedMs,flops,params\n00000000,fast,1,1,0,0,1,1,10,10\n');
  r = await runCli(['report', dir, '--out', join(dir, 'r.html')]);
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /models\.csv at row 1, column measuredMs: not a number; expected a number, got "fast"/);
});

test('predictor-bench --samples: a count that leaves too few rows to judge on, or an empty item, is exit 2', async () => {
  const all = await runCli(['predictor-bench', '--space', 'nb201', '--target', 'fpga', '--samples', '15624', '--seeds', '1']);
  assert.equal(all.code, 2, all.err);
  assert.match(all.err, /--samples: .*15615/);
  const gap = await runCli(['predictor-bench', '--space', 'nb201', '--target', 'fpga', '--samples', '10,,20', '--seeds', '1']);
  assert.equal(gap.code, 2, gap.err);
  assert.match(gap.err, /--samples: an empty sample count in the list/);
});
