import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
// tfjs-core's Node bundle registers no gradient functions; the union package's bundle does, into the
// global gradient registry that tfjs-core reads. Imported only for that side effect.
import '@tensorflow/tfjs';

/** Backends the zero-cost proxies, the surrogate-free DNAS supernet and their tests can run on. */
export type ZeroCostBackend = 'wasm' | 'cpu';

let ready: Promise<ZeroCostBackend> | null = null;

/**
 * Make the zero-cost backend the active TF.js backend (on every call: another module, such as the
 * TF.js runtime, may have switched it): `wasm` (XNNPACK, SIMD; measured ≈ 15× faster than `cpu`
 * for a 3×3 convolution here) unless `HWNAS_TF_BACKEND=cpu`. The wasm backend has no
 * `Conv2DBackpropFilter` kernel, so every convolution goes through `src/runtime/tfjs/conv-grads.ts`, whose
 * gradients use only forward kernels. Throws if the chosen backend cannot start (no silent fallback).
 */
export async function tfBackend(): Promise<ZeroCostBackend> {
  ready ??= (async () => {
    const want: ZeroCostBackend = process.env['HWNAS_TF_BACKEND'] === 'cpu' ? 'cpu' : 'wasm';
    if (!(await tf.setBackend(want))) throw new Error(`TF.js backend ${want} failed to start`);
    await tf.ready();
    return want;
  })();
  const want = await ready;
  if (tf.getBackend() !== want) {
    if (!(await tf.setBackend(want))) throw new Error(`TF.js backend ${want} failed to start`);
    await tf.ready();
  }
  return want;
}

export { tf };
