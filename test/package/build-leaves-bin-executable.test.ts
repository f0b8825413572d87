import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/cli.ts';
import { ROOT } from '../helpers/cli-process.ts';

/**
 * `npm run build` (also what `npm pack`, `npm ci` and the test pretest run) leaves `dist/cli/bin.js`
 * executable, so that `npx hwnas` works right after it. Built in a copy of the repository (its own
 * dist/, the same node_modules) so that the tests running beside this one keep theirs.
 */
test('npm run build leaves dist/cli/bin.js executable and npx hwnas runs', { timeout: 120_000 }, () => {
  const dir = tempDir('hwnas-build-');
  for (const f of ['package.json', 'tsconfig.json', 'tsconfig.build.json', '.npmrc', 'src', 'spaces']) cpSync(join(ROOT, f), join(dir, f), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  execFileSync('npm', ['run', 'build'], { cwd: dir, stdio: 'pipe' });
  const mode = statSync(join(dir, 'dist', 'cli', 'bin.js')).mode;
  assert.equal(mode & 0o111, 0o111, `dist/cli/bin.js mode ${(mode & 0o777).toString(8)} has every execute bit`);
  const out = execFileSync('npx', ['--no-install', 'hwnas', 'spaces'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.match(out, /^nb201 /m);
  assert.match(out, /^nasbench-macro /m);
});
