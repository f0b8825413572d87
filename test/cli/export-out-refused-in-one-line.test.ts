import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../helpers/cli.ts';
import { isOneLine, runCliProcess } from '../helpers/cli-process.ts';

// Child processes killed after 60 s: `mkdir -p` on procfs used to spin at 100 % CPU forever.
test('export and profile refuse --out on procfs or sysfs in one line, exit 2, without hanging', async () => {
  const cases: [string[], RegExp][] = [
    [['export', '--space', 'nasbench-macro', '--arch', '00000000', '--out', '/proc/x'], /^hwnas export: --out: output folder is on procfs/],
    [['export', '--space', 'nasbench-macro', '--arch', '00000000', '--out', '/sys/fs/hwnas'], /^hwnas export: --out: output folder is on sysfs/],
    [['profile', '--device', 'ort-cpu-1t', '--space', 'nasbench-macro', '--samples', '2', '--out', '/proc/x/lut.json'], /^hwnas profile: --out: output folder is on procfs/],
  ];
  for (const [args, re] of cases) {
    const r = await runCliProcess(args, { timeoutMs: 60_000 });
    assert.equal(r.timedOut, false, `${args.join(' ')} hung`);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.ok(isOneLine(r.err), r.err);
    assert.match(r.err, re);
  }
});

test('export --out at or under a file is one line naming --out, exit 2, and leaves no temp file', async () => {
  const dir = tempDir();
  const file = join(dir, 'afile');
  writeFileSync(file, 'x');
  const cases: [string, RegExp][] = [
    [file, /--out: output folder is a file; .*got ".*afile"$/m],
    [join(file, 'models'), /--out: output folder lies under a file/],
    ['', /--out: missing flag/],
  ];
  for (const [out, re] of cases) {
    const r = await runCliProcess(['export', '--space', 'nasbench-macro', '--arch', '00000000', '--out', out], { timeoutMs: 60_000 });
    assert.equal(r.code, 2, r.err);
    assert.ok(isOneLine(r.err), r.err);
    assert.match(r.err, re);
  }
  assert.deepEqual(readdirSync(dir), ['afile']);
});
