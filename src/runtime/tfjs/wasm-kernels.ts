import * as tf from '@tensorflow/tfjs-core';
import { registerBatchNormKernels } from './batch-norm-kernels.ts';
import { registerDepthwiseKernels } from './depthwise-kernels.ts';

/**
 * Kernels hwnas replaces on tfjs's wasm backend (through tfjs's public kernel registry).
 *
 * - `Identity` and same-type `Cast`: tfjs-backend-wasm copies the whole tensor, and tfjs clones
 *   (Identity) every tensor a differentiable op saves for its gradient — each activation of a
 *   training step was copied once more per op that reads it. The replacement shares the buffer and
 *   counts a reference, exactly as tfjs's cpu backend does; tfjs never writes into a kernel's input,
 *   and the wasm backend frees a buffer when its last reference goes (its own `Reshape` shares
 *   buffers the same way).
 * - Depthwise convolution with both gradients, which tfjs-wasm lacks (`./depthwise-kernels.ts`),
 *   and training-mode batch norm forward and backward (`./batch-norm-kernels.ts`): hwnas's own
 *   WebAssembly SIMD kernels (`./simd-module.ts`).
 */

interface RefCountingBackend {
  incRef(dataId: object): void;
}

let installed = false;

/** Install the replacements once (call after the wasm backend is registered). */
export function installWasmKernels(): void {
  if (installed) return;
  installed = true;
  const share = (x: tf.TensorInfo, backend: RefCountingBackend): tf.TensorInfo => {
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  const identity = tf.getKernel(tf.Identity, 'wasm');
  if (identity) {
    tf.unregisterKernel(tf.Identity, 'wasm');
    tf.registerKernel({
      kernelName: tf.Identity,
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend }) => share((inputs as { x: tf.TensorInfo }).x, backend as unknown as RefCountingBackend),
    });
  }
  registerDepthwiseKernels();
  registerBatchNormKernels();
  const cast = tf.getKernel(tf.Cast, 'wasm');
  if (cast) {
    tf.unregisterKernel(tf.Cast, 'wasm');
    tf.registerKernel({
      ...cast,
      kernelFunc: (args) => {
        const x = (args.inputs as { x: tf.TensorInfo }).x;
        if ((args.attrs as { dtype?: string } | undefined)?.dtype === x.dtype) return share(x, args.backend as unknown as RefCountingBackend);
        return cast.kernelFunc(args);
      },
    });
  }
}
