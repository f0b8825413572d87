import * as tf from '@tensorflow/tfjs-core';
import { simdKernels, type WasmBackendInternals } from './simd-module.ts';

/**
 * The filter gradient of a depthwise convolution (channel multiplier 1) as one kernel on tfjs's wasm
 * backend, written here in WebAssembly SIMD:
 *
 *   ∂w[a,b,c] = Σ_{n,i,j} x[n, i·s+a−p, j·s+b−p, c] · ∂y[n,i,j,c]      (taps outside x count 0)
 *
 * Why: tfjs-wasm has no depthwise backprop kernel, and the forward-op formulation (a depthwise
 * correlation of x with ∂y as a 16×16 or 8×8 kernel) falls off XNNPACK's fast depthwise paths
 * (2×2, 3×3 and 5×5 only): it repacked ∂y into 8× its size for a GEMM of width 1, 4–7× the cost of
 * the forward convolution and the largest item of a training step of MBConv networks. This kernel
 * reads ∂y once and x k² times from cache, accumulating into the k·k·C result (an L1/L2-sized array),
 * four channels per instruction. The summation order is fixed (n, i, j, then taps), so results are
 * identical from run to run.
 *
 * It runs in hwnas's SIMD module (`./simd-module.ts`) on the backend's own memory (no copies).
 */

/** Kernel name in tfjs's registry. */
export const DEPTHWISE_FILTER_GRAD = 'HwnasDepthwiseConv2dFilterGrad';

export interface DepthwiseFilterGradAttrs {
  kernel: number;
  stride: number;
  pad: number;
}

/** Register {@link DEPTHWISE_FILTER_GRAD} on the wasm backend (inputs `x` `[N,H,W,C]`, `dy` `[N,oh,ow,C]`; output `[k,k,C,1]`). */
export function registerDepthwiseFilterGrad(): void {
  if (tf.getKernel(DEPTHWISE_FILTER_GRAD, 'wasm')) return;
  tf.registerKernel({
    kernelName: DEPTHWISE_FILTER_GRAD,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const be = backend as unknown as WasmBackendInternals;
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const { kernel: k, stride, pad } = attrs as unknown as DepthwiseFilterGradAttrs;
      const [n, h, w, c] = x.shape as [number, number, number, number];
      const [, oh, ow] = dy.shape as [number, number, number, number];
      const out = be.makeOutput([k, k, c, 1], 'float32');
      be.typedArrayFromHeap(out).fill(0);
      const at = (t: tf.TensorInfo) => be.dataIdMap.get(t.dataId).memoryOffset;
      simdKernels(be.wasm.asm.memory).dwFilterGrad(at(x), at(dy), at(out), n, h, w, c, oh, ow, k, stride, pad);
      return out;
    },
  });
}

/** Whether {@link depthwiseFilterGradKernel} runs on the active backend. */
export function hasDepthwiseFilterGradKernel(): boolean {
  return tf.getKernel(DEPTHWISE_FILTER_GRAD, tf.getBackend()) !== undefined;
}

/** ∂w `[k,k,C,1]` of a depthwise convolution (multiplier 1) with the registered kernel. */
export function depthwiseFilterGradKernel(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: DepthwiseFilterGradAttrs): tf.Tensor4D {
  return tf.engine().runKernel(DEPTHWISE_FILTER_GRAD, { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}
