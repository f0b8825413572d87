import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { readImageSplit } from '../../../src/accuracy/image-data.ts';
import { normalisedBatch } from '../../../src/accuracy/supernet/image-batch.ts';
import { supernetLayout } from '../../../src/accuracy/supernet/supernet-layout.ts';
import { recalibrateBatchNorm } from '../../../src/accuracy/supernet/supernet-score.ts';
import { SupernetWeights } from '../../../src/accuracy/supernet/supernet-weights.ts';
import { useTrainingBackend } from '../../../src/runtime/tfjs/tfjs-backends.ts';
import { loadSpace } from '../../../src/space/space-registry.ts';
import { tinyCifarDir } from '../../helpers/tiny-cifar.ts';

const TINY = fileURLToPath(new URL('../fixtures/tiny-chain.json', import.meta.url));

test('batch-norm re-estimation replaces the statistics by their cumulative average over the batches, whatever they were before', async () => {
  await useTrainingBackend();
  const space = loadSpace(TINY);
  const w = new SupernetWeights(supernetLayout(space), 1);
  const train = readImageSplit(tinyCifarDir(96, 10), 'train');
  const batch = (from: number) => normalisedBatch(train, Array.from({ length: 32 }, (_, i) => from + i), 3);
  const [b1, b2, b3] = [batch(0), batch(32), batch(64)];
  const path = w.pathOf(space.decode('212'));
  const stats = () => w.pathVariables(path).filter((v) => v.role === 'runningMean' || v.role === 'runningVar');
  const read = () => stats().map((v) => Array.from(v.variable.dataSync()));
  try {
    const initial = read();
    assert.ok(initial.length >= 8, 'the path has batch norms (mean and variance of each)');
    await recalibrateBatchNorm(w, path, [b1, b2]);
    const s12 = read();
    assert.notDeepEqual(s12, initial, 're-estimation changed the statistics');
    assert.ok(s12.every((s) => s.every(Number.isFinite)));

    // Whatever the statistics were (here: those of another batch), the result is the same.
    tf.dispose(w.forwardStatistics(path, b3));
    assert.notDeepEqual(read(), s12);
    await recalibrateBatchNorm(w, path, [b1, b2]);
    assert.deepEqual(read(), s12, 'deterministic, independent of the previous statistics');

    // Cumulative average: each batch normalises with its own statistics, so the average over two
    // batches is the mean of the two single-batch estimates.
    await recalibrateBatchNorm(w, path, [b1]);
    const s1 = read();
    await recalibrateBatchNorm(w, path, [b2]);
    const s2 = read();
    s12.forEach((s, i) => s.forEach((v, j) => {
      const want = (s1[i]![j]! + s2[i]![j]!) / 2;
      assert.ok(Math.abs(v - want) <= 1e-5 * Math.max(1, Math.abs(want)), `${stats()[i]!.name}[${j}]: ${v} vs ${want}`);
    }));
    // The running variance is the unbiased batch variance (PyTorch's), positive.
    assert.ok(stats().every((v, i) => v.role !== 'runningVar' || s12[i]!.every((x) => x > 0)));
  } finally {
    tf.dispose([b1, b2, b3]);
    w.dispose();
  }
});
