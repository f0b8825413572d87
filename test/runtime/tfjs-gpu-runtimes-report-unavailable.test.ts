import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnavailableError } from '../../src/errors.ts';
import { GraphBuilder } from '../../src/graph/graph-builder.ts';
import { getRuntime } from '../../src/runtime/runtime-registry.ts';
import type { Runtime } from '../../src/runtime/runtime.ts';

function tiny() {
  const b = new GraphBuilder('tiny', [3, 8, 8]);
  return b.build(b.linear(b.flatten(b.globalAvgPool(b.conv(b.input, 4, { kernel: 3 }))), 10));
}

/** Where the GPU runtime can start, a model runs on it and reports the GPU provider; where not, the reason. */
async function checkGpuRuntime(rt: Runtime, provider: string, reason: RegExp): Promise<void> {
  const p = await rt.probe();
  if (p.available) {
    assert.equal(rt.info().provider, provider);
    const r = await rt.load(tiny());
    await r.run();
    assert.deepEqual([...r.outputShape()], [1, 10]);
    await r.dispose();
  } else {
    assert.match(p.reason, reason);
    await assert.rejects(rt.load(tiny()), (e: unknown) => e instanceof UnavailableError && e.message.includes(`${rt.id} unavailable`));
  }
  // Never a silent CPU fallback: the provider named is the GPU one either way.
  assert.notEqual(rt.info().provider, 'cpu');
}

test('tfjs-webgpu runs a model on a WebGPU adapter, or is unavailable with the reason and never falls back', async () => {
  await checkGpuRuntime(getRuntime('tfjs-webgpu')!, 'webgpu', /WebGPU|webgpu/);
});

test('tfjs-node-gpu runs on CUDA, or says how to install @tensorflow/tfjs-node-gpu', async () => {
  await checkGpuRuntime(getRuntime('tfjs-node-gpu')!, 'tensorflow', /@tensorflow\/tfjs-node-gpu is not installed \(npm install @tensorflow\/tfjs-node-gpu; needs CUDA 11\.2\)|found no CUDA GPU/);
  const node = await getRuntime('tfjs-node')!.probe();
  assert.ok(node.available || /@tensorflow\/tfjs-node is not installed/.test(node.reason), node.available ? '' : node.reason);
});
