import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Io } from '../../src/util/io.ts';
import { main } from '../../src/cli/main.ts';

function fakeIo(): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', isTty: false, out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}

test('a bad line in an archs file is exit 2 naming file and line, and no file is written', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hwnas-export-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const archs = join(dir, 'archs.in');
  writeFileSync(archs, '00000000\n# comment\n\n22222222\n0123\n');
  const out = join(dir, 'models');
  const io = fakeIo();
  assert.equal(await main(['export', '--space', 'nasbench-macro', '--archs-file', archs, '--out', out], io), 2);
  assert.match(io.stderr, new RegExp(`^hwnas export: ${archs.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} at line 5: malformed nasbench-macro arch`));
  assert.equal(io.stderr.trim().split('\n').length, 1);
  assert.equal(existsSync(out), false);
});

test('a bad --arch, a bad --opset or two arch sources are exit 2 and write nothing', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hwnas-export-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const bad = [
    ['--space', 'nb201', '--arch', '|nor_conv_3x3~0|+|bogus~0|none~1|+|none~0|none~1|none~2|'],
    ['--space', 'nasbench-macro', '--arch', '00000000', '--opset', '12'],
    ['--space', 'nasbench-macro', '--arch', '00000000', '--random', '2'],
    ['--space', 'nasbench-macro', '--random', '0'],
  ];
  for (const args of bad) {
    const io = fakeIo();
    assert.equal(await main(['export', ...args, '--out', join(dir, 'o')], io), 2, args.join(' '));
    assert.match(io.stderr, /^hwnas export: .+\n$/);
  }
  assert.deepEqual(readdirSync(dir), []);
});
