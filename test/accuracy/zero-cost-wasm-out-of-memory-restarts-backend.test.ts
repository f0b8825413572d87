import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../helpers/cli.ts';

/**
 * Arch "1" expands 64 channels to 1,024 at 64×64 (grouped 1×1 convs, cheap to compute): each of its
 * activations for the batch of 64 takes 1 GiB, and a few of them pass the 4 GiB a 32-bit wasm heap
 * can hold: the Emscripten module aborts. Arch "0" is small. Before the fix every evaluation after
 * the abort failed too ("memory access out of bounds").
 */
function wasmOomSpace(input: number): object {
  return {
    id: 'wasm-oom', family: 'chain', input: [3, input, input], classes: 10,
    stem: [{ op: 'conv', channels: 64, kernel: 1, stride: 1 }],
    stages: [{ layers: 1, channels: 64, stride: 1 }],
    blocks: { identity: { op: 'identity' }, wide: { op: 'mbconv', expand: 16, kernel: 1, groups: 64 } },
    choices: ['identity', 'wide'], head: [], encoding: { kind: 'digits' },
  };
}

test('snip on a network that overflows the wasm heap fails that row with a clear error; later rows get a fresh backend', async () => {
  const file = join(tempDir(), 'wasm-oom.json');
  writeFileSync(file, JSON.stringify(wasmOomSpace(64)));
  const r = await runCli(['eval', '--space', file, '--arch', '0', '--arch', '1', '--arch', '0', '--metrics', 'snip', '--format', 'json']);
  assert.equal(r.code, 1, r.err);
  // No "Aborted()" from Emscripten: the row says what happened.
  assert.equal(r.err, 'hwnas eval: 1 of 3 architectures failed (see the error column)\n');
  const rows = JSON.parse(r.out) as { arch: string; snip?: number; error?: string }[];
  assert.ok(Number.isFinite(rows[0]!.snip), JSON.stringify(rows[0]));
  assert.match(rows[1]!.error!, /^snip: the tfjs wasm backend ran out of memory \(32-bit wasm heap of 4 GiB; the batch of 64 images at 64×64 needs more\); it was restarted for the next architecture$/);
  // The same number as before the abort: a clean backend, not a poisoned one.
  assert.equal(rows[2]!.snip, rows[0]!.snip);
});

test('a network with a tensor of 2 GiB or more is refused before the wasm kernels see it', async () => {
  const file = join(tempDir(), 'wasm-oom.json');
  writeFileSync(file, JSON.stringify(wasmOomSpace(96)));
  const r = await runCli(['eval', '--space', file, '--arch', '1', '--metrics', 'grad_norm', '--format', 'json']);
  assert.equal(r.code, 1, r.err);
  const rows = JSON.parse(r.out) as { arch: string; error?: string }[];
  assert.equal(rows[0]!.error, 'grad_norm: a tensor of this network at a batch of 64 takes 2.3 GiB; the tfjs wasm backend holds at most 2 GiB per tensor (4 GiB in all)');
});
