import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnavailableError } from '../../src/errors.ts';
import { GraphBuilder } from '../../src/graph/graph-builder.ts';
import { getRuntime } from '../../src/runtime/runtime-registry.ts';

function tiny() {
  const b = new GraphBuilder('tiny', [3, 8, 8]);
  return b.build(b.linear(b.flatten(b.globalAvgPool(b.conv(b.input, 4, { kernel: 3 }))), 10));
}

// On a machine without a GPU (CI, this project's dev box) both GPU runtimes are unavailable with a
// reason, and load() refuses rather than running on the CPU. Where a GPU exists the probe is available.
test('tfjs-webgpu is unavailable with a reason where Dawn finds no WebGPU adapter, and never falls back', async () => {
  const rt = getRuntime('tfjs-webgpu')!;
  const p = await rt.probe();
  if (p.available) return;
  assert.match(p.reason, /WebGPU|webgpu/);
  await assert.rejects(rt.load(tiny()), (e: unknown) => e instanceof UnavailableError && e.message.includes('tfjs-webgpu unavailable'));
});

test('tfjs-node-gpu is unavailable while @tensorflow/tfjs-node-gpu is not installed, saying how to install it', async () => {
  const rt = getRuntime('tfjs-node-gpu')!;
  const p = await rt.probe();
  if (p.available) return;
  assert.equal(p.reason, '@tensorflow/tfjs-node-gpu is not installed (npm install @tensorflow/tfjs-node-gpu; needs CUDA 11.2)');
  await assert.rejects(rt.load(tiny()), UnavailableError);
  const node = await getRuntime('tfjs-node')!.probe();
  if (!node.available) assert.match(node.reason, /@tensorflow\/tfjs-node is not installed/);
});
