import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCheckpoint } from '../../../src/accuracy/supernet/supernet-checkpoint.ts';
import { tinyCifarDir } from '../../helpers/tiny-cifar.ts';

const CHILD = fileURLToPath(new URL('../../helpers/supernet-train-child.ts', import.meta.url));

/** Run the child; `killAt`: SIGKILL it once it prints `checkpoint <killAt>`. Resolves with its stdout lines and exit signal. */
function runChild(data: string, cache: string, killAt?: number): Promise<{ lines: string[]; signal: NodeJS.Signals | null; code: number | null }> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', CHILD, data, cache, ...(killAt !== undefined ? [String(killAt)] : [])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let buf = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        lines.push(line);
        if (killAt !== undefined && line === `checkpoint ${killAt}`) child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal === null) reject(new Error(`child exited ${code}: ${err}`));
      else resolve({ lines, signal, code });
    });
  });
}

function onlyEntry(cache: string): string {
  const keys = readdirSync(cache);
  assert.equal(keys.length, 1, `one supernet in ${cache}`);
  return join(cache, keys[0]!);
}

test('a supernet training killed with SIGKILL resumes from its checkpoint and ends with the weights of an uninterrupted run', async () => {
  const data = tinyCifarDir(128, 16);
  const killed = mkdtempSync(join(tmpdir(), 'hwnas-sn-killed-'));
  const whole = mkdtempSync(join(tmpdir(), 'hwnas-sn-whole-'));

  const first = await runChild(data, killed, 5);
  assert.equal(first.signal, 'SIGKILL');
  assert.ok(!first.lines.some((l) => l.startsWith('done')), 'it never finished');
  const entry = onlyEntry(killed);
  assert.ok(!existsSync(join(entry, 'supernet.bin')), 'no trained supernet yet');
  const ck = readCheckpoint(join(entry, 'checkpoint.bin'))!;
  assert.equal(ck.header.step, 5, 'the checkpoint of step 5 survived the kill');
  assert.equal(ck.header.totalSteps, 16);
  assert.ok(ck.header.tensors.some((t) => t.kind === 'momentum'), 'optimizer state is saved');

  const second = await runChild(data, killed);
  assert.equal(second.lines[0], 'resume 5', 'the second run resumes at the checkpoint');
  assert.equal(second.lines.at(-1), 'done resumedAt=5 cached=false');
  assert.ok(!existsSync(join(entry, 'checkpoint.bin')), 'the checkpoint is removed once trained');

  const third = await runChild(data, whole);
  assert.equal(third.lines[0], 'start 0');
  assert.equal(third.lines.at(-1), 'done resumedAt=0 cached=false');

  const a = readCheckpoint(join(entry, 'supernet.bin'))!;
  const b = readCheckpoint(join(onlyEntry(whole), 'supernet.bin'))!;
  assert.equal(a.header.key, b.header.key);
  assert.equal(a.header.step, 16);
  assert.deepEqual(a.header.tensors, b.header.tensors);
  assert.ok(Buffer.from(a.values.buffer).equals(Buffer.from(b.values.buffer)), 'bit-identical weights');
  assert.deepEqual(a.header.epochLoss, b.header.epochLoss, 'same losses');

  const fourth = await runChild(data, killed);
  assert.deepEqual(fourth.lines, ['done resumedAt=0 cached=true'], 'a trained supernet is loaded, not trained again');
});
