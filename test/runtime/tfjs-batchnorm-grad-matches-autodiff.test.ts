import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '../../src/runtime/tfjs/tfjs-gradients.ts';
import { useTfjsBackend } from '../../src/runtime/tfjs/tfjs-backends.ts';
import { batchNormTrain } from '../../src/runtime/tfjs/batch-norm-train.ts';

const wave = (n: number, phase: number, scale = 1): Float32Array => Float32Array.from({ length: n }, (_, i) => scale * Math.sin(i * 0.377 + phase) + 0.3 * Math.cos(i * 1.91));

/** Output and ∂x, ∂γ, ∂β of Σ BN(x)·r, with batchNormTrain or with tfjs autodiff of the textbook formula. */
function valueAndGrads(shape: [number, number, number, number], custom: boolean): Float32Array {
  return tf.tidy(() => {
    const c = shape[3];
    const size = shape.reduce((a, b) => a * b, 1);
    // An offset mean (2.5) and unequal channel scales, as convolution outputs have.
    const x = tf.add(tf.tensor4d(wave(size, 1, 3), shape), 2.5);
    const gamma = tf.tensor1d(wave(c, 2));
    const beta = tf.tensor1d(wave(c, 3));
    const eps = 1e-5;
    const bn = (xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor => {
      if (custom) return batchNormTrain(xi, g as tf.Tensor1D, b as tf.Tensor1D, eps);
      const { mean, variance } = tf.moments(xi, [0, 1, 2]);
      return tf.add(tf.mul(tf.div(tf.sub(xi, mean), tf.sqrt(tf.add(variance, eps))), g), b);
    };
    const r = tf.sin(tf.reshape(tf.range(0, size), shape));
    const y = bn(x, gamma, beta);
    const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(bn(a, g, b), r)))([x, gamma, beta]);
    return Float32Array.from([...y.dataSync(), ...grads.flatMap((t) => [...t.dataSync()])]);
  });
}

test('training batch norm with its hand-written gradient equals autodiff of the textbook formula, on cpu and wasm', async () => {
  const shapes: [number, number, number, number][] = [[4, 5, 3, 6], [2, 3, 3, 9], [8, 1, 1, 4]];
  await useTfjsBackend('cpu');
  const expected = shapes.map((s) => valueAndGrads(s, false));
  for (const backend of ['cpu', 'wasm'] as const) {
    await useTfjsBackend(backend);
    shapes.forEach((s, i) => {
      const got = valueAndGrads(s, true);
      const want = expected[i]!;
      assert.equal(got.length, want.length);
      for (let j = 0; j < want.length; j++) {
        assert.ok(Math.abs(got[j]! - want[j]!) < 2e-4 * (1 + Math.abs(want[j]!)), `${backend} [${s}] entry ${j}: ${got[j]} vs ${want[j]}`);
      }
    });
  }
});
