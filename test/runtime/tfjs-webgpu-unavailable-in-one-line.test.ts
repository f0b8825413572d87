import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isOneLine, runCliProcess } from '../helpers/cli-process.ts';

// Dawn writes "Warning: Couldn't load Vulkan…" straight to file descriptor 2; the adapter is asked
// for in a child process, so the user sees only hwnas's own line (and the hint inside it).
test('tfjs-webgpu without an adapter says "unavailable" in one stderr line and nothing of Dawn', async () => {
  const r = await runCliProcess(['eval', '--space', 'nasbench-macro', '--arch', '00000000', '--metrics', 'latency', '--device', 'tfjs-webgpu'], { timeoutMs: 120_000 });
  assert.equal(r.timedOut, false);
  assert.doesNotMatch(r.err, /^Warning|BackendVk|at operator\(\)/m);
  if (r.code === 0) return; // a machine with a WebGPU adapter
  assert.equal(r.code, 3, r.err);
  assert.ok(isOneLine(r.err), r.err);
  assert.match(r.err, /^hwnas eval: device tfjs-webgpu \(tfjs-webgpu\) unavailable: no WebGPU adapter/);
  const d = await runCliProcess(['devices'], { timeoutMs: 120_000 });
  assert.equal(d.code, 0);
  assert.equal(d.err, '');
});
