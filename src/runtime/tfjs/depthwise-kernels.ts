import * as tf from '@tensorflow/tfjs-core';
import { simdKernels, type WasmBackendInternals } from './simd-module.ts';

/**
 * A depthwise convolution (channel multiplier 1) and both its gradients as kernels on tfjs's wasm
 * backend, written in WebAssembly SIMD (`./simd-module.ts`), for training:
 *
 *   y[n,i,j,c]  = Σ_{a,b} x[n, i·s+a−p, j·s+b−p, c] · w[a,b,c]
 *   ∂x[n, i·s+a−p, j·s+b−p, c] += ∂y[n,i,j,c] · w[a,b,c]
 *   ∂w[a,b,c]   = Σ_{n,i,j} x[n, i·s+a−p, j·s+b−p, c] · ∂y[n,i,j,c]      (taps outside x count 0)
 *
 * Why: tfjs-wasm has no depthwise backprop kernels. Written with forward ops, ∂w is a depthwise
 * correlation of x with ∂y as a 16×16 or 8×8 kernel, which falls off XNNPACK's fast depthwise
 * paths (2×2, 3×3 and 5×5 only) and repacked ∂y into 8× its size for a GEMM of width 1: 4–7× the
 * cost of the forward convolution, the largest item of an MBConv training step. ∂x of a strided
 * convolution convolved a zero-interleaved ∂y (4× the work at stride 2); here it is a scatter. The
 * forward kernel is XNNPACK's equal or faster for these shapes (NHWC rows of C channels, four per
 * instruction) and is used for training only: inference and latency keep tfjs's own kernel.
 * Summation orders are fixed, so results repeat exactly.
 */

export const DEPTHWISE_FORWARD = 'HwnasDepthwiseConv2d';
export const DEPTHWISE_INPUT_GRAD = 'HwnasDepthwiseConv2dInputGrad';
export const DEPTHWISE_FILTER_GRAD = 'HwnasDepthwiseConv2dFilterGrad';

/** Geometry of a square depthwise convolution. */
export interface DepthwiseAttrs {
  kernel: number;
  stride: number;
  pad: number;
}

const outSize = (size: number, a: DepthwiseAttrs): number => Math.floor((size + 2 * a.pad - a.kernel) / a.stride) + 1;

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

function run(args: KernelArgs, outShape: number[], call: (at: (t: tf.TensorInfo) => number, out: number, be: WasmBackendInternals) => void): tf.TensorInfo {
  const be = args.backend as WasmBackendInternals;
  const out = be.makeOutput(outShape, 'float32');
  be.typedArrayFromHeap(out).fill(0);
  call((t) => be.dataIdMap.get(t.dataId).memoryOffset, be.dataIdMap.get(out.dataId).memoryOffset, be);
  return out;
}

/** Register the three kernels on the wasm backend. */
export function registerDepthwiseKernels(): void {
  if (tf.getKernel(DEPTHWISE_FILTER_GRAD, 'wasm')) return;
  const kernels = (be: WasmBackendInternals) => simdKernels(be.wasm.asm.memory);
  tf.registerKernel({
    kernelName: DEPTHWISE_FORWARD, backendName: 'wasm',
    // inputs x [N,H,W,C], filter [k,k,C,1] → y [N,oh,ow,C]
    kernelFunc: ((args: KernelArgs) => {
      const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
      const a = args.attrs as unknown as DepthwiseAttrs;
      const [n, h, w, c] = x.shape as [number, number, number, number];
      const [oh, ow] = [outSize(h, a), outSize(w, a)];
      return run(args, [n, oh, ow, c], (at, out, be) => kernels(be).dwForward(out, at(x), at(filter), n, h, w, c, oh, ow, a.kernel, a.stride, a.pad));
    }) as unknown as tf.KernelFunc,
  });
  tf.registerKernel({
    kernelName: DEPTHWISE_INPUT_GRAD, backendName: 'wasm',
    // inputs dy [N,oh,ow,C], filter [k,k,C,1]; attr xShape [N,H,W,C] → dx
    kernelFunc: ((args: KernelArgs) => {
      const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
      const a = args.attrs as unknown as DepthwiseAttrs & { xShape: number[] };
      const [n, h, w, c] = a.xShape as [number, number, number, number];
      const [, oh, ow] = dy.shape as [number, number, number, number];
      return run(args, [n, h, w, c], (at, out, be) => kernels(be).dwInputGrad(out, at(dy), at(filter), n, h, w, c, oh, ow, a.kernel, a.stride, a.pad));
    }) as unknown as tf.KernelFunc,
  });
  tf.registerKernel({
    kernelName: DEPTHWISE_FILTER_GRAD, backendName: 'wasm',
    // inputs x [N,H,W,C], dy [N,oh,ow,C] → ∂w [k,k,C,1]
    kernelFunc: ((args: KernelArgs) => {
      const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const a = args.attrs as unknown as DepthwiseAttrs;
      const [n, h, w, c] = x.shape as [number, number, number, number];
      const [, oh, ow] = dy.shape as [number, number, number, number];
      return run(args, [a.kernel, a.kernel, c, 1], (at, out, be) => kernels(be).dwFilterGrad(out, at(x), at(dy), n, h, w, c, oh, ow, a.kernel, a.stride, a.pad));
    }) as unknown as tf.KernelFunc,
  });
}

/** Whether the kernels run on the active backend. */
export function hasDepthwiseKernels(): boolean {
  return tf.getKernel(DEPTHWISE_FILTER_GRAD, tf.getBackend()) !== undefined;
}

const attrMap = (a: object): tf.NamedAttrMap => a as unknown as tf.NamedAttrMap;

/** y of a depthwise convolution (multiplier 1) with the registered kernel. */
export function depthwiseForwardKernel(x: tf.Tensor4D, filter: tf.Tensor4D, a: DepthwiseAttrs): tf.Tensor4D {
  return tf.engine().runKernel(DEPTHWISE_FORWARD, { x, filter }, attrMap(a)) as tf.Tensor4D;
}

/** ∂x `[N,H,W,C]` of a depthwise convolution (multiplier 1) with the registered kernel. */
export function depthwiseInputGradKernel(dy: tf.Tensor4D, filter: tf.Tensor4D, xShape: readonly number[], a: DepthwiseAttrs): tf.Tensor4D {
  return tf.engine().runKernel(DEPTHWISE_INPUT_GRAD, { dy, filter }, attrMap({ ...a, xShape: [...xShape] })) as tf.Tensor4D;
}

/** ∂w `[k,k,C,1]` of a depthwise convolution (multiplier 1) with the registered kernel. */
export function depthwiseFilterGradKernel(x: tf.Tensor4D, dy: tf.Tensor4D, a: DepthwiseAttrs): tf.Tensor4D {
  return tf.engine().runKernel(DEPTHWISE_FILTER_GRAD, { x, dy }, attrMap(a)) as tf.Tensor4D;
}
