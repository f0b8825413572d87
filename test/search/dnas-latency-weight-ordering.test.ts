import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSpace } from '../../src/space/space-registry.ts';
import { runDnas, type DnasOptions } from '../../src/search/dnas/run-dnas.ts';
import { chainFlopsTable } from '../../src/search/dnas/flops-latency-table.ts';

// A proxy search small enough for a unit test: nasbench-macro at 1/8 width on 8×8 CIFAR-10
// images (resized bilinearly from 32×32), 200 images, batch 16, 3 epochs of 2 w-steps and 2 θ-steps.
// The latency table is the full-size space's per-layer MFLOPs, so "latency" is that of the real net.
test('DNAS with a high latency weight derives a cheaper architecture than with no latency weight', async () => {
  const space = loadSpace('nasbench-macro');
  const t = chainFlopsTable(space);
  const base: Omit<DnasOptions, 'beta'> = {
    space, latencyTable: t.table, fixedLatency: t.fixed, epochs: 3, warmupEpochs: 1, batchSize: 16,
    stepsPerEpoch: 2, images: 200, thetaLr: 0.1, shrink: { widthMultiplier: 0.125, inputSize: 8 }, seed: 3,
  };
  const low = await runDnas({ ...base, beta: 0 });
  const high = await runDnas({ ...base, beta: 20 });
  for (const r of [low, high]) {
    assert.equal(r.arch.length, 8);
    assert.ok(r.history.every((h) => Number.isFinite(h.crossEntropy) && Number.isFinite(h.expectedLatency)));
  }
  assert.ok(high.latency < low.latency, `high-β arch ${high.arch} (${high.latency} MFLOPs) vs low-β ${low.arch} (${low.latency} MFLOPs)`);
  assert.ok(high.history.at(-1)!.expectedLatency < low.history.at(-1)!.expectedLatency);
});
