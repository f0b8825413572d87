import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { ROOT } from '../helpers/cli-process.ts';
import { tempDir } from '../helpers/cli.ts';

// A module hook that refuses to resolve bullmq and ioredis: a run that loads them fails.
const hooks = `export async function resolve(s, c, next) { if (s === 'bullmq' || s === 'ioredis') throw new Error('the queue packages were loaded: ' + s); return next(s, c); }`;
const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', '--import', `data:text/javascript,${encodeURIComponent(register)}`, resolve(ROOT, 'src/cli/bin.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });

test('without --redis neither BullMQ nor ioredis is loaded: the embedded path stays as it was', { timeout: 120_000 }, () => {
  const out = join(tempDir(), 'run');
  const plain = run(['search', '--space', 'nb201', '--device', 'fpga', '--budget', '5', '--out', out]);
  assert.equal(plain.status, 0, plain.stderr);
  // The hook does catch them: with --redis the same search fails to load them.
  const queued = run(['search', '--space', 'nb201', '--device', 'fpga', '--budget', '5', '--out', `${out}-q`, '--redis', 'redis://127.0.0.1:1']);
  assert.notEqual(queued.status, 0);
  assert.match(queued.stderr, /the queue packages were loaded: (ioredis|bullmq)/);
});
