import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../src/errors.ts';
import { writeFileAtomic } from '../../src/util/atomic-write.ts';
import { ensureWritableDir } from '../../src/util/writable-dir.ts';
import { tempDir } from '../helpers/cli.ts';

const refused = (re: RegExp) => (e: unknown) => e instanceof InputError && e.code === 'io' && re.test(e.message);

test('ensureWritableDir creates missing folders one by one and says which one it created', () => {
  const dir = tempDir();
  const r = ensureWritableDir(join(dir, 'a', 'b', 'c'), '--out');
  assert.equal(r.dir, join(dir, 'a', 'b', 'c'));
  assert.equal(r.created, join(dir, 'a'));
  assert.ok(existsSync(r.dir));
  // An existing folder: nothing created.
  assert.deepEqual(ensureWritableDir(dir, '--out'), { dir });
});

test('ensureWritableDir refuses procfs, sysfs, a file, a path under a file and an empty path, naming the flag', () => {
  const dir = tempDir();
  const file = join(dir, 'afile');
  writeFileSync(file, 'x');
  const cases: [string, RegExp][] = [
    ['/proc/x', /^--out: output folder is on procfs, a kernel filesystem; expected a folder on a disk or tmpfs, got "\/proc\/x"$/],
    ['/proc', /on procfs/],
    ['/proc/self/fd/x/y', /on procfs/],
    ['/sys/kernel/hwnas', /on sysfs/],
    [file, /^--out: output folder is a file/],
    [join(file, 'sub', 'deeper'), /^--out: output folder lies under a file \(.*afile\)/],
    ['', /^--out: empty output folder/],
    ['   ', /^--out: empty output folder/],
  ];
  for (const [p, re] of cases) assert.throws(() => ensureWritableDir(p, '--out'), refused(re), JSON.stringify(p));
  assert.deepEqual(readdirSync(dir), ['afile']);
});

test('writeFileAtomic under a file or on procfs is an InputError naming the file; the temp clean-up never throws', () => {
  const dir = tempDir();
  const file = join(dir, 'afile');
  writeFileSync(file, 'x');
  assert.throws(() => writeFileAtomic(join(file, 'out.csv'), 'a,b\n'), refused(/afile\/out\.csv: cannot write file: its folder is a file/));
  assert.throws(() => writeFileAtomic('/proc/hwnas/out.csv', 'a,b\n'), refused(/^\/proc\/hwnas\/out\.csv: cannot write file: its folder is on procfs/));
  // A folder where the file should go: the rename fails, the temp file is removed.
  mkdirSync(join(dir, 'taken'));
  mkdirSync(join(dir, 'taken', 'x'));
  writeFileSync(join(dir, 'taken', 'x', 'keep'), '');
  assert.throws(() => writeFileAtomic(join(dir, 'taken', 'x'), 'data'), refused(/cannot write file \(E[A-Z]+\)/));
  assert.deepEqual(readdirSync(join(dir, 'taken')), ['x']);
});
