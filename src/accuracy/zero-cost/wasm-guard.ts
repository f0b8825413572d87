import { errorMessage } from '../../errors.ts';
import type { ModelGraph } from '../../graph/model-graph.ts';
import { isWasmAbort, restartWasmBackend, trainingBackendName, WASM_HEAP_LIMIT_BYTES, WASM_MAX_TENSOR_BYTES, wasmHeapBytes } from '../../runtime/tfjs/tfjs-backends.ts';

/**
 * Run a TF.js proxy `score` of `graph` on a batch of `n` images so that one network cannot poison the
 * process. On the wasm backend (a 32-bit module: 4 GiB in all, kernels that fault on a tensor of
 * 2 GiB or more) a network with such a tensor is refused before it runs; one that makes the module
 * abort (its heap full) fails with the reason, and the backend is replaced by a fresh instance so
 * the next network is scored as if this one never ran.
 */
export async function scoreGuarded(graph: ModelGraph, n: number, score: () => Promise<number>): Promise<number> {
  if (trainingBackendName() !== 'wasm') return score();
  const largest = n * Math.max(...[graph.input, ...graph.nodes.map((nd) => nd.shape)].map((s) => s.reduce((a, d) => a * d, 1)));
  if (largest * 4 > WASM_MAX_TENSOR_BYTES) {
    throw new Error(`a tensor of this network at a batch of ${n} takes ${(largest * 4 / 1024 ** 3).toFixed(1)} GiB; the tfjs wasm backend holds at most 2 GiB per tensor (4 GiB in all)`);
  }
  try {
    return await score();
  } catch (e) {
    if (!isWasmAbort(e)) throw e;
    const heap = wasmHeapBytes();
    await restartWasmBackend();
    // Out of memory when the heap is full or cannot grow by the network's largest tensor: a failed
    // allocation surfaces as an abort or as an out-of-bounds access of the kernel that needed it.
    const why = heap >= WASM_HEAP_LIMIT_BYTES - 64 * 1024 * 1024 || heap + largest * 4 > WASM_HEAP_LIMIT_BYTES
      ? `ran out of memory (32-bit wasm heap of 4 GiB; the batch of ${n} images at ${graph.input.slice(1).join('×')} needs more)`
      : `failed (${errorMessage(e)}, heap ${(heap / 1024 ** 3).toFixed(1)} GiB)`;
    throw new Error(`the tfjs wasm backend ${why}; it was restarted for the next architecture`);
  }
}
