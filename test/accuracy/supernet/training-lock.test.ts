import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { STALE_LOCK_MS, tryTrainingLock } from '../../../src/accuracy/supernet/training-lock.ts';

test('one holder at a time; a lock of a dead process or an untouched one is taken over', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hwnas-sn-lock-'));
  const file = join(dir, 'training.lock');
  const a = tryTrainingLock(dir);
  assert.ok(a, 'a free lock is taken');
  assert.equal(readFileSync(file, 'utf8'), `${hostname()} ${process.pid}\n`);
  assert.equal(tryTrainingLock(dir), undefined, 'a held lock is not');
  a.release();
  assert.ok(!existsSync(file));

  // A process that has exited (as after kill -9) holds nothing.
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
  writeFileSync(file, `${hostname()} ${dead}\n`);
  const b = tryTrainingLock(dir);
  assert.ok(b, 'the lock of a dead process is taken over');
  b.release();

  // Another host's lock is waited on while it is touched, taken over once untouched for long.
  writeFileSync(file, `elsewhere.example 1\n`);
  assert.equal(tryTrainingLock(dir), undefined);
  const old = new Date(Date.now() - STALE_LOCK_MS - 1000);
  utimesSync(file, old, old);
  const c = tryTrainingLock(dir);
  assert.ok(c, 'a stale lock is taken over');
  c.touch();
  assert.equal(tryTrainingLock(dir), undefined, "a touched lock is held");
  c.release();
});
