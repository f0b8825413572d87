import { errorMessage, InputError } from '../../errors.ts';
import { isWasmAbort, restartWasmBackend, trainingBackendName, WASM_HEAP_LIMIT_BYTES, WASM_MAX_TENSOR_BYTES, wasmHeapBytes } from '../../runtime/tfjs/tfjs-backends.ts';
import { countFlops, countParams } from '../../graph/count.ts';
import type { ModelGraph } from '../../graph/model-graph.ts';
import { Rng } from '../../util/rng.ts';
import type { Genotype, SearchSpace } from '../../space/search-space.ts';
import { gradientProxies } from './gradient-proxies.ts';
import { imageBatch, type ImageBatch } from './image-batch.ts';
import { naswot } from './naswot.ts';
import { synflow } from './synflow.ts';

/**
 * Zero-cost accuracy proxies by id, each scoring an untrained network (higher = predicted more
 * accurate). `params` and `flops` are the baselines (counted on the IR, `src/graph/count.ts`).
 */
export interface ZeroCostBatch {
  /** Images in the data batch (NASWOT, grad_norm, snip). @defaultValue 64 */
  n?: number;
  /** Seed of the weight initialisation and of the image draw. @defaultValue 0 */
  seed?: number;
}

interface ZeroCostProxy {
  summary: string;
  /** Whether it reads the data batch. */
  usesData: boolean;
  /** Whether it runs a TF.js network (on the training backend); params and flops do not. @defaultValue true */
  usesTfjs?: boolean;
  score(graph: ModelGraph, batch: ImageBatch, rng: Rng): Promise<number>;
}

const proxies = new Map<string, ZeroCostProxy>();

/** Register a proxy under its metric id. */
export function registerZeroCostMetric(id: string, proxy: ZeroCostProxy): void {
  proxies.set(id, proxy);
}

/** Ids of the registered zero-cost metrics. */
export function zeroCostMetricIds(): string[] {
  return [...proxies.keys()].sort();
}

/** One-line summary of a registered zero-cost metric. */
export function zeroCostMetricSummary(id: string): string | undefined {
  return proxies.get(id)?.summary;
}

const batches = new Map<string, ImageBatch>();

/** The data batch for a space: `n` Fashion-MNIST images drawn with `seed`, shaped to the space's input. */
export function zeroCostImages(space: Pick<SearchSpace, 'inputShape'>, n: number, seed: number): ImageBatch {
  const [channels, size] = space.inputShape as [number, number, number];
  const key = `${n}:${seed}:${size}:${channels}`;
  let b = batches.get(key);
  if (!b) {
    b = imageBatch({ n, size, channels, rng: new Rng(seed).fork('zero-cost-images') });
    batches.set(key, b);
  }
  return b;
}

/**
 * Score architecture `g` of `space` with the zero-cost metric `name`. Weights come from
 * `Rng(seed).fork(name)`; the same seed gives the same number. Throws an `InputError`
 * (`bad-metric`) for an unknown name.
 */
export async function zeroCostMetric(name: string, space: SearchSpace, g: Genotype, batch: ZeroCostBatch = {}): Promise<number> {
  const proxy = proxies.get(name);
  if (!proxy) throw new InputError('bad-metric', `unknown zero-cost metric "${name}"`, { path: '--metrics', expected: `one of ${zeroCostMetricIds().join(', ')}` });
  const seed = batch.seed ?? 0;
  const graph = space.build(g);
  // The graph's own input shape: a space may build models at several resolutions (ofa-mbv3).
  const n = proxy.usesData ? (batch.n ?? 64) : 1;
  if (proxy.usesTfjs !== false && trainingBackendName() === 'wasm') {
    // Refuse what the wasm kernels cannot hold rather than let them fault on it.
    const largest = n * Math.max(...[graph.input, ...graph.nodes.map((nd) => nd.shape)].map((s) => s.reduce((a, d) => a * d, 1)));
    if (largest * 4 > WASM_MAX_TENSOR_BYTES) {
      throw new Error(`a tensor of this network at a batch of ${n} takes ${(largest * 4 / 1024 ** 3).toFixed(1)} GiB; the tfjs wasm backend holds at most 2 GiB per tensor (4 GiB in all)`);
    }
  }
  const images = zeroCostImages({ inputShape: graph.input }, n, seed);
  try {
    return await proxy.score(graph, images, new Rng(seed).fork(name));
  } catch (e) {
    if (!isWasmAbort(e)) throw e;
    // One network that does not fit must not fail every later one: a fresh backend for the next.
    const heap = wasmHeapBytes();
    await restartWasmBackend();
    const why = heap >= WASM_HEAP_LIMIT_BYTES - 64 * 1024 * 1024
      ? `ran out of memory (32-bit wasm heap of 4 GiB; the batch of ${images.n} images at ${graph.input.slice(1).join('×')} needs more)`
      : `failed (${errorMessage(e)}, heap ${(heap / 1024 ** 3).toFixed(1)} GiB)`;
    throw new Error(`the tfjs wasm backend ${why}; it was restarted for the next architecture`);
  }
}

registerZeroCostMetric('synflow', {
  summary: 'synflow (Tanaka et al. 2020): Σ|θ ⊙ ∂R/∂θ|, |θ|, no BN, all-ones input',
  usesData: false,
  score: async (graph, _b, rng) => (await synflow(graph, rng)).score,
});
registerZeroCostMetric('naswot', {
  summary: 'NASWOT (Mellor et al. 2021): log|det K_H| of ReLU codes of a batch',
  usesData: true,
  score: (graph, b, rng) => naswot(graph, b, rng),
});
registerZeroCostMetric('grad_norm', {
  summary: 'grad_norm (Abdelfattah et al. 2021): Σ_layers ‖∂L/∂W‖ on a batch',
  usesData: true,
  score: async (graph, b, rng) => (await gradientProxies(graph, b, rng)).gradNorm,
});
registerZeroCostMetric('snip', {
  summary: 'snip (Lee et al. 2019): Σ|θ ⊙ ∂L/∂θ| on a batch',
  usesData: true,
  score: async (graph, b, rng) => (await gradientProxies(graph, b, rng)).snip,
});
registerZeroCostMetric('params', { summary: 'trainable parameter count (baseline)', usesData: false, usesTfjs: false, score: async (graph) => countParams(graph) });
registerZeroCostMetric('flops', { summary: 'multiply-accumulates (baseline)', usesData: false, usesTfjs: false, score: async (graph) => countFlops(graph) });
