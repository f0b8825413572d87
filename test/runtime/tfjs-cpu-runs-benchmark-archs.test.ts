import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDevice } from '../../src/latency/device-profile.ts';
import { measureGraph } from '../../src/latency/measure.ts';
import { getRuntime } from '../../src/runtime/runtime-registry.ts';
import { loadSpace } from '../../src/space/space-registry.ts';

test('tfjs-cpu runs a NAS-Bench-Macro and a NAS-Bench-201 architecture to a [1,10] output', async () => {
  const rt = getRuntime('tfjs-cpu');
  assert.ok(rt);
  assert.deepEqual(await rt.probe(), { available: true });
  for (const [spaceId, arch] of [['nasbench-macro', '00000000'], ['nb201', '|nor_conv_1x1~0|+|none~0|skip_connect~1|+|avg_pool_3x3~0|none~1|nor_conv_3x3~2|']] as const) {
    const space = loadSpace(spaceId);
    const r = await rt.load(space.build(space.decode(arch)));
    await r.run();
    assert.deepEqual(r.outputShape(), [1, 10]);
    await r.dispose();
  }
  assert.deepEqual(rt.info(), { runtime: 'tfjs-cpu', version: rt.info().version, provider: 'cpu', threads: 1 });
  assert.match(rt.info().version, /tfjs-core 4\./);
});

test('tfjs-wasm measures a NAS-Bench-Macro architecture through its device profile', async () => {
  const dev = loadDevice('tfjs-wasm');
  assert.equal(dev.kind, 'measured');
  if (dev.kind !== 'measured') return;
  const rt = getRuntime(dev.runtime)!;
  const space = loadSpace('nasbench-macro');
  const m = await measureGraph(rt, space.build(space.decode('00000000')), { ...dev, timing: { warmupRuns: 1, warmupMs: 0, iterations: 3, minTimeMs: 0, minRounds: 6, ciTolerancePct: 2, maxTimeMs: 0 } });
  assert.deepEqual(m.outputShape, [1, 10]);
  assert.ok(m.stats.medianMs > 0);
  assert.equal(m.info.provider, 'wasm');
});
