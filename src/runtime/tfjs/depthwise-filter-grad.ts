import * as tf from '@tensorflow/tfjs-core';
import { assembleModule, forLoop, op } from './wasm-assembler.ts';

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
 * It runs in its own small module that imports the wasm backend's memory, and reads and writes the
 * tensors where the backend keeps them (no copies). Layout NHWC; float32.
 */

/** Kernel name in tfjs's registry. */
export const DEPTHWISE_FILTER_GRAD = 'HwnasDepthwiseConv2dFilterGrad';

export interface DepthwiseFilterGradAttrs {
  kernel: number;
  stride: number;
  pad: number;
}

// Parameters, then locals (indices in this order).
const [X, DY, OUT, N, H, W, C, OH, OW, K, S, P] = Array.from({ length: 12 }, (_, i) => i);
const [BN, I, J, A, B, R, Q, DYPIX, XPIX, OPIX, OFF, ROW, ROW4] = Array.from({ length: 13 }, (_, i) => 12 + i);

const g = op.get;

/** Body of `dwFilterGrad(x, dy, out, n, h, w, c, oh, ow, k, s, p)`; pointers are byte offsets, `out` zeroed. */
function kernelBody(): number[] {
  const simd = forLoop(OFF, op.i32(0), g(ROW4), op.i32(16),
    g(OPIX), g(OFF), op.add,
    g(OPIX), g(OFF), op.add, op.v128Load,
    g(XPIX), g(OFF), op.add, op.v128Load,
    g(DYPIX), g(OFF), op.add, op.v128Load,
    op.f32x4Mul, op.f32x4Add, op.v128Store,
  );
  const tail = forLoop(OFF, g(ROW4), g(ROW), op.i32(4),
    g(OPIX), g(OFF), op.add,
    g(OPIX), g(OFF), op.add, op.f32Load,
    g(XPIX), g(OFF), op.add, op.f32Load,
    g(DYPIX), g(OFF), op.add, op.f32Load,
    op.f32Mul, op.f32Add, op.f32Store,
  );
  const tapB = forLoop(B, op.i32(0), g(K), op.i32(1),
    // q = j·s + b − p; outside [0, w) (unsigned compare also catches q < 0): next tap.
    g(J), g(S), op.mul, g(B), op.add, g(P), op.sub, op.set(Q),
    g(Q), g(W), op.geU, op.brIf(0),
    // xPix = x + ((bn·h + r)·w + q)·row; oPix = out + (a·k + b)·row
    g(X), g(BN), g(H), op.mul, g(R), op.add, g(W), op.mul, g(Q), op.add, g(ROW), op.mul, op.add, op.set(XPIX),
    g(OUT), g(A), g(K), op.mul, g(B), op.add, g(ROW), op.mul, op.add, op.set(OPIX),
    simd, tail,
  );
  const tapA = forLoop(A, op.i32(0), g(K), op.i32(1),
    g(I), g(S), op.mul, g(A), op.add, g(P), op.sub, op.set(R),
    g(R), g(H), op.geU, op.brIf(0),
    tapB,
  );
  const pixel = forLoop(J, op.i32(0), g(OW), op.i32(1),
    // dyPix = dy + ((bn·oh + i)·ow + j)·row
    g(DY), g(BN), g(OH), op.mul, g(I), op.add, g(OW), op.mul, g(J), op.add, g(ROW), op.mul, op.add, op.set(DYPIX),
    tapA,
  );
  return [
    // row = c·4 bytes per pixel; row4 = the part of it that whole f32x4 vectors cover.
    ...g(C), ...op.i32(4), ...op.mul, ...op.set(ROW),
    ...g(C), ...op.i32(-4), ...op.and, ...op.i32(4), ...op.mul, ...op.set(ROW4),
    ...forLoop(BN, op.i32(0), g(N), op.i32(1),
      forLoop(I, op.i32(0), g(OH), op.i32(1), pixel),
    ),
  ];
}

type DwFilterGradFn = (x: number, dy: number, out: number, n: number, h: number, w: number, c: number, oh: number, ow: number, k: number, s: number, p: number) => void;

interface WasmBackendInternals {
  wasm: { asm: { memory: WebAssembly.Memory } };
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}

let compiled: WebAssembly.Module | undefined;
const instances = new WeakMap<WebAssembly.Memory, DwFilterGradFn>();

function kernelFor(memory: WebAssembly.Memory): DwFilterGradFn {
  let fn = instances.get(memory);
  if (!fn) {
    compiled ??= new WebAssembly.Module(assembleModule([{ name: 'dwFilterGrad', params: 12, locals: 13, body: kernelBody() }]));
    fn = new WebAssembly.Instance(compiled, { env: { memory } }).exports['dwFilterGrad'] as DwFilterGradFn;
    instances.set(memory, fn);
  }
  return fn;
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
      kernelFor(be.wasm.asm.memory)(at(x), at(dy), at(out), n, h, w, c, oh, ow, k, stride, pad);
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
