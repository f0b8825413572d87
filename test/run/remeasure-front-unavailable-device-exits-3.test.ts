import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../helpers/cli.ts';

test('an unavailable --remeasure-device stops the search before it starts: exit 3, nothing written', async (t) => {
  const out = join(tempDir(), 'run');
  // No GPU on the test machine: ort-webgpu cannot start. (On a machine with a WebGPU adapter this
  // probe succeeds, and the case does not apply.)
  const r = await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--budget', '5', '--out', out, '--remeasure-device', 'ort-webgpu']);
  if (r.code === 0) {
    t.skip('ort-webgpu is available here');
    return;
  }
  assert.equal(r.code, 3, r.err);
  assert.match(r.err, /unavailable: /);
  assert.equal(r.err.trim().split('\n').length, 1, r.err);
  assert.equal(existsSync(join(out, 'config.json')), false);
});

test('a table device as --remeasure-device is bad input: exit 2, nothing written', async () => {
  const out = join(tempDir(), 'run');
  const r = await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--budget', '5', '--out', out, '--remeasure-device', 'pixel3']);
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /--remeasure-device/);
  assert.equal(existsSync(join(out, 'config.json')), false);
});
