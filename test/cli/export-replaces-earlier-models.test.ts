import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../helpers/cli.ts';

test('export into a folder of an earlier export removes its numbered models beyond the new count, keeps other files', async () => {
  const out = join(tempDir(), 'models');
  let r = await runCli(['export', '--space', 'nasbench-macro', '--random', '3', '--seed', '1', '--out', out]);
  assert.equal(r.code, 0, r.err);
  writeFileSync(join(out, 'notes.md'), 'mine');
  writeFileSync(join(out, '07.onnx'), 'not a numbered model of ours');
  r = await runCli(['export', '--space', 'nasbench-macro', '--arch', '22222222', '--out', out]);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(readdirSync(out).sort(), ['07.onnx', '1.onnx', 'archs.txt', 'notes.md']);
  assert.equal(readFileSync(join(out, 'archs.txt'), 'utf8'), '1\t22222222\n');
});
