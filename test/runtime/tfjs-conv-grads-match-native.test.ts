import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '../../src/runtime/tfjs/tfjs-gradients.ts';
import { useTfjsBackend } from '../../src/runtime/tfjs/tfjs-backends.ts';
import { conv2dWithGrad, depthwiseConv2dWithGrad } from '../../src/runtime/tfjs/conv-grads.ts';

type Case = { depthwise: boolean; k: number; s: number; p: number; h: number; c: number; o: number };

const cases: Case[] = [];
const geometries = [[1, 1, 0, 7], [1, 2, 0, 8], [1, 2, 0, 7], [3, 1, 1, 7], [3, 2, 1, 8], [3, 2, 1, 7], [5, 2, 2, 8], [5, 1, 2, 6], [3, 2, 0, 8], [3, 1, 0, 6]] as const;
for (const [k, s, p, h] of geometries) {
  // Regular convolutions with fewer and with more output than input channels (∂w transposes the narrower side).
  cases.push({ depthwise: false, k, s, p, h, c: 3, o: 4 }, { depthwise: false, k, s, p, h, c: 6, o: 2 });
  // Depthwise with multiplier 2 (forward-op gradients), and multiplier 1 with 8 and 5 channels: the
  // wasm filter-gradient kernel's 4-channel vectors, and vectors plus a scalar tail.
  cases.push({ depthwise: true, k, s, p, h, c: 3, o: 2 }, { depthwise: true, k, s, p, h, c: 8, o: 1 }, { depthwise: true, k, s, p, h, c: 5, o: 1 });
  // ≥ 32 channels: the wasm kernels do the forward convolution and ∂x too.
  cases.push({ depthwise: true, k, s, p, h, c: 34, o: 1 });
}

const wave = (n: number, phase: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.731 + phase));

/** Output, ∂x and ∂w of Σ y·r for a fixed r, with tfjs's own kernels or hwnas's gradients. */
function valueAndGrads(t: Case, custom: boolean): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(wave(2 * t.h * t.h * t.c, 1), [2, t.h, t.h, t.c]);
    const w = tf.tensor4d(wave(t.k * t.k * t.c * t.o, 2), [t.k, t.k, t.c, t.o]); // depthwise: o is the multiplier
    const pad = t.p === 0 ? 'valid' : t.p;
    const f = custom
      ? (t.depthwise ? depthwiseConv2dWithGrad(t.s, t.p) : conv2dWithGrad(t.s, t.p))
      : (a: tf.Tensor4D, b: tf.Tensor4D) => (t.depthwise ? tf.depthwiseConv2d(a, b, t.s, pad) : tf.conv2d(a, b, t.s, pad));
    const y = f(x, w);
    const r = tf.sin(tf.reshape(tf.range(0, y.size), y.shape));
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a as tf.Tensor4D, b as tf.Tensor4D), r)))([x, w]);
    return Float32Array.from([...y.dataSync(), ...dx!.dataSync(), ...dw!.dataSync()]);
  });
}

test('hwnas conv gradients equal tfjs-cpu native gradients, on cpu and on wasm (which has no conv backprop-filter kernel)', async () => {
  await useTfjsBackend('cpu');
  const expected = cases.map((t) => valueAndGrads(t, false));
  for (const backend of ['cpu', 'wasm'] as const) {
    await useTfjsBackend(backend);
    cases.forEach((t, i) => {
      const got = valueAndGrads(t, true);
      const want = expected[i]!;
      assert.equal(got.length, want.length);
      for (let j = 0; j < want.length; j++) {
        assert.ok(Math.abs(got[j]! - want[j]!) < 1e-4, `${backend} ${JSON.stringify(t)} entry ${j}: ${got[j]} vs ${want[j]}`);
      }
    });
  }
});
