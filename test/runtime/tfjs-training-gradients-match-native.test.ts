import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '../../src/runtime/tfjs/tfjs-gradients.ts';
import { GraphBuilder } from '../../src/graph/graph-builder.ts';
import { useTfjsBackend } from '../../src/runtime/tfjs/tfjs-backends.ts';
import { buildTfjsModel } from '../../src/runtime/tfjs/tfjs-model.ts';

/** An MBConv-like net: stem conv, depthwise and 1×1 convs, batch norm, ReLU, residual, global pool, linear. */
function net() {
  const b = new GraphBuilder('grads', [3, 9, 9]);
  const stem = b.act(b.batchnorm(b.conv(b.input, 36, { kernel: 3, stride: 1 })), 'relu');
  let x = b.act(b.batchnorm(b.conv(stem, 36, { kernel: 5, stride: 1, groups: 36 })), 'relu');
  x = b.batchnorm(b.conv(x, 36, { kernel: 1 }));
  x = b.add(x, stem);
  x = b.act(b.batchnorm(b.conv(x, 36, { kernel: 3, stride: 2, groups: 36 })), 'relu6');
  x = b.act(b.batchnorm(b.conv(x, 20, { kernel: 1 })), 'relu');
  return b.build(b.linear(b.flatten(b.globalAvgPool(x)), 10));
}

const wave = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.61) + 0.2 * Math.cos(i * 2.3));

/** Loss and gradients of every trainable variable, training mode, with or without hwnas's training ops. */
function lossAndGrads(customGradients: boolean): Float32Array {
  const model = buildTfjsModel(net(), { seed: 5 });
  try {
    return tf.tidy(() => {
      const x = tf.tensor4d(wave(4 * 9 * 9 * 3), [4, 9, 9, 3]);
      const labels = tf.oneHot(tf.tensor1d([1, 7, 3, 1], 'int32'), 10);
      const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(labels, model.forward(x, { training: true, customGradients })) as tf.Scalar, model.trainableVariables());
      return Float32Array.from([...value.dataSync(), ...Object.keys(grads).sort().flatMap((k) => [...grads[k]!.dataSync()])]);
    });
  } finally {
    model.dispose();
  }
}

test('training gradients of a whole model with hwnas ops (conv gradients, wasm kernels, global pool) equal tfjs-cpu native ones', async () => {
  await useTfjsBackend('cpu');
  const expected = lossAndGrads(false);
  for (const backend of ['cpu', 'wasm'] as const) {
    await useTfjsBackend(backend);
    const got = lossAndGrads(true);
    assert.equal(got.length, expected.length);
    for (let i = 0; i < got.length; i++) {
      assert.ok(Math.abs(got[i]! - expected[i]!) < 1e-4 * (1 + Math.abs(expected[i]!)), `${backend} entry ${i}: ${got[i]} vs ${expected[i]}`);
    }
  }
});

test('asking for the gradient w.r.t. the images fails loudly unless the model computes input gradients', async () => {
  await useTfjsBackend('cpu');
  const x = tf.tensor4d(wave(2 * 9 * 9 * 3), [2, 9, 9, 3]);
  const skip = buildTfjsModel(net(), { seed: 5 });
  assert.throws(() => tf.grad((xi: tf.Tensor) => tf.sum(skip.forward(xi as tf.Tensor4D, { training: true })))(x), /shape/);
  const full = buildTfjsModel(net(), { seed: 5, inputGradients: true });
  const g = tf.grad((xi: tf.Tensor) => tf.sum(full.forward(xi as tf.Tensor4D, { training: true })))(x);
  assert.deepEqual(g.shape, [2, 9, 9, 3]);
  assert.ok(g.dataSync().some((v) => v !== 0));
  for (const t of [x, g]) t.dispose();
  skip.dispose();
  full.dispose();
});
