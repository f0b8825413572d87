import * as tf from '@tensorflow/tfjs-core';
import { simdKernels, type WasmBackendInternals } from './simd-module.ts';

/**
 * Training-mode batch norm as two kernels on tfjs's wasm backend (hwnas's SIMD module), the math of
 * `./batch-norm-train.ts` in 3 passes over the activation forward and 2 backward instead of 6 and 7
 * tfjs ops — whose per-channel broadcasts are several times slower than plain element-wise ops when
 * C is small (NAS-Bench-201's 16–64 channels).
 *
 * - {@link BATCH_NORM_TRAIN}: inputs `x` `[..., C]`, `gamma`, `beta` `[C]`, attr `eps`; outputs
 *   `[y, xc, mean, variance, invStd]` (xc = x − mean, variance biased, invStd = 1/√(variance + ε)).
 * - {@link BATCH_NORM_TRAIN_GRAD}: inputs `dy`, `xc`, `gamma`, `invStd`; outputs `[dx, dGamma, dBeta]`.
 */

export const BATCH_NORM_TRAIN = 'HwnasBatchNormTrain';
export const BATCH_NORM_TRAIN_GRAD = 'HwnasBatchNormTrainGrad';

type Info = { dataId: object; shape: number[]; dtype: 'float32' };

function channels(x: tf.TensorInfo): { m: number; c: number } {
  const c = x.shape[x.shape.length - 1]!;
  return { m: x.shape.reduce((a, b) => a * b, 1) / c, c };
}

function forward({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo[] {
  const be = backend as WasmBackendInternals;
  const { x, gamma, beta } = inputs as { x: tf.TensorInfo; gamma: tf.TensorInfo; beta: tf.TensorInfo };
  const eps = (attrs as { eps: number }).eps;
  const { m, c } = channels(x);
  const mean = be.makeOutput([c], 'float32');
  const variance = be.makeOutput([c], 'float32');
  const invStd = be.makeOutput([c], 'float32');
  const scale = be.makeOutput([c], 'float32');
  const xc = be.makeOutput([...x.shape], 'float32');
  const y = be.makeOutput([...x.shape], 'float32');
  const at = (t: { dataId: object }) => be.dataIdMap.get(t.dataId).memoryOffset;
  const k = simdKernels(be.wasm.asm.memory);
  // Views after every allocation (a growing heap detaches older ones).
  be.typedArrayFromHeap(mean).fill(0);
  be.typedArrayFromHeap(variance).fill(0);
  k.colSum(at(x), at(mean), m, c);
  const mv = be.typedArrayFromHeap(mean);
  for (let i = 0; i < c; i++) mv[i] = mv[i]! / m;
  k.center(at(x), at(mean), at(xc), at(variance), m, c);
  const vv = be.typedArrayFromHeap(variance);
  const rv = be.typedArrayFromHeap(invStd);
  const sv = be.typedArrayFromHeap(scale);
  const gv = be.typedArrayFromHeap(gamma as Info);
  for (let i = 0; i < c; i++) {
    vv[i] = vv[i]! / m;
    rv[i] = 1 / Math.sqrt(vv[i]! + eps);
    sv[i] = gv[i]! * rv[i]!;
  }
  k.affine(at(xc), at(scale), at(beta), at(y), m, c);
  be.disposeData(scale.dataId);
  return [y, xc, mean, variance, invStd];
}

function backward({ inputs, backend }: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo[] {
  const be = backend as WasmBackendInternals;
  const { dy, xc, gamma, invStd } = inputs as { dy: tf.TensorInfo; xc: tf.TensorInfo; gamma: tf.TensorInfo; invStd: tf.TensorInfo };
  const { m, c } = channels(dy);
  const dBeta = be.makeOutput([c], 'float32');
  const dyXc = be.makeOutput([c], 'float32');
  const dGamma = be.makeOutput([c], 'float32');
  const coef = be.makeOutput([3, c], 'float32');
  const dx = be.makeOutput([...dy.shape], 'float32');
  const at = (t: { dataId: object }) => be.dataIdMap.get(t.dataId).memoryOffset;
  const k = simdKernels(be.wasm.asm.memory);
  be.typedArrayFromHeap(dBeta).fill(0);
  be.typedArrayFromHeap(dyXc).fill(0);
  k.backSums(at(dy), at(xc), at(dBeta), at(dyXc), m, c);
  const sb = be.typedArrayFromHeap(dBeta);
  const sx = be.typedArrayFromHeap(dyXc);
  const dg = be.typedArrayFromHeap(dGamma);
  const cf = be.typedArrayFromHeap(coef);
  const gv = be.typedArrayFromHeap(gamma as Info);
  const rv = be.typedArrayFromHeap(invStd as Info);
  for (let i = 0; i < c; i++) {
    const r = rv[i]!;
    const gr = gv[i]! * r;
    dg[i] = r * sx[i]!;
    cf[i] = gr;
    cf[c + i] = -(gr * r * r * sx[i]!) / m;
    cf[2 * c + i] = -(gr * sb[i]!) / m;
  }
  const base = at(coef);
  k.backDx(at(dy), at(xc), base, base + 4 * c, base + 8 * c, at(dx), m, c);
  be.disposeData(dyXc.dataId);
  be.disposeData(coef.dataId);
  return [dx, dGamma, dBeta];
}

/** Register both kernels on the wasm backend. */
export function registerBatchNormKernels(): void {
  if (tf.getKernel(BATCH_NORM_TRAIN, 'wasm')) return;
  tf.registerKernel({ kernelName: BATCH_NORM_TRAIN, backendName: 'wasm', kernelFunc: forward as unknown as tf.KernelFunc });
  tf.registerKernel({ kernelName: BATCH_NORM_TRAIN_GRAD, backendName: 'wasm', kernelFunc: backward as unknown as tf.KernelFunc });
}

/** Whether the kernels run on the active backend. */
export function hasBatchNormKernels(): boolean {
  return tf.getKernel(BATCH_NORM_TRAIN, tf.getBackend()) !== undefined;
}
