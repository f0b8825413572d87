import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { GraphBuilder } from '../../src/graph/graph-builder.ts';
import { useTfjsBackend } from '../../src/runtime/tfjs/tfjs-backends.ts';
import { buildTfjsModel } from '../../src/runtime/tfjs/tfjs-model.ts';

test('tfjs batch norm normalises with batch statistics in training and folds them into the running ones, on cpu and wasm', async () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    await useTfjsBackend(backend);
    const b = new GraphBuilder('bn', [2, 2, 2]);
    const model = buildTfjsModel(b.build(b.batchnorm(b.input)), { bnMomentum: 0.1, bnEpsilon: 0 });
    // Channel 0 holds 1..8, channel 1 holds 10·(1..8): batch of 2 images of 2×2 pixels.
    const values = Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 1 : 10) * (Math.floor(i / 2) + 1));
    const x = tf.tensor4d(values, [2, 2, 2, 2]);
    const y = model.forward(x, { training: true });
    const out = await y.data();
    // Channel 0: mean 4.5, biased variance 5.25.
    for (let i = 0; i < 8; i++) assert.ok(Math.abs(out[2 * i]! - (i + 1 - 4.5) / Math.sqrt(5.25)) < 1e-5);
    const mean = model.variables.find((v) => v.role === 'runningMean')!.variable;
    const variance = model.variables.find((v) => v.role === 'runningVar')!.variable;
    const m = await mean.data();
    const v = await variance.data();
    assert.ok(Math.abs(m[0]! - 0.45) < 1e-5 && Math.abs(m[1]! - 4.5) < 1e-4);
    // Running variance takes the unbiased batch variance 6 (0.9·1 + 0.1·6 = 1.5) and 600 for channel 1.
    assert.ok(Math.abs(v[0]! - 1.5) < 1e-5 && Math.abs(v[1]! - (0.9 + 60)) < 1e-3);
    const inf = await model.forward(x).data();
    assert.ok(Math.abs(inf[0]! - (1 - 0.45) / Math.sqrt(1.5)) < 1e-5, 'inference uses the running statistics');
    for (const t of [x, y]) t.dispose();
    model.dispose();
  }
});
