import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UnavailableError } from '../../src/errors.ts';
import { getRuntime } from '../../src/runtime/runtime-registry.ts';
import { loadSpace } from '../../src/space/space-registry.ts';

test('ort-webgpu is unavailable with a reason where no WebGPU adapter exists, and never falls back to CPU', async () => {
  const rt = getRuntime('ort-webgpu')!;
  assert.deepEqual({ ...rt.info(), version: 'x' }, { runtime: 'ort-webgpu', version: 'x', provider: 'webgpu', threads: 0 });
  const probe = await rt.probe();
  const space = loadSpace('nb201');
  const graph = space.build(space.decode('|nor_conv_3x3~0|+|skip_connect~0|none~1|+|avg_pool_3x3~0|none~1|nor_conv_1x1~2|'));
  if (probe.available) {
    // A machine with a WebGPU adapter: the model must run there (and only there).
    const r = await rt.load(graph);
    await r.run();
    assert.deepEqual([...r.outputShape()], [1, 10]);
    await r.dispose();
  } else {
    assert.match(probe.reason, /\S{10,}/);
    assert.match(probe.reason, /adapter|WebGPU|Vulkan|webgpu/i);
    await assert.rejects(rt.load(graph), (e: unknown) => e instanceof UnavailableError && e.message.includes(probe.reason));
  }
  // The probe is cached: asking again is immediate and says the same.
  assert.deepEqual(await rt.probe(), probe);
});
