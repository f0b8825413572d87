import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli-process.ts';

/**
 * npm 11 blocks dependency install scripts it has no decision for and ends `npm ci` with a list of
 * them for the user to act on. package.json's `allowScripts` decides every one, so a fresh
 * `npm ci` prints no such list.
 */
test('every dependency install script has a decision in allowScripts (npm ci asks the user nothing)', (t) => {
  const probe = spawnSync('npm', ['install-scripts', '--help'], { cwd: ROOT, encoding: 'utf8' });
  if (probe.status !== 0) {
    t.skip(`this npm (${execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim()}) has no install-scripts command: it runs install scripts without asking`);
    return;
  }
  const ls = execFileSync('npm', ['install-scripts', 'ls', '--loglevel=error'], { cwd: ROOT, encoding: 'utf8' });
  assert.match(ls, /No packages with unreviewed install scripts/, ls);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { allowScripts: Record<string, boolean> };
  // onnxruntime-node's would fetch CUDA binaries from outside npm: never run.
  assert.equal(pkg.allowScripts['onnxruntime-node'], false);
});
