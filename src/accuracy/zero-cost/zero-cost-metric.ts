import { countFlops, countParams } from '../../graph/count.ts';
import type { ModelGraph } from '../../graph/model-graph.ts';
import { Rng } from '../../util/rng.ts';
import type { Genotype, SearchSpace } from '../../space/search-space.ts';
import { Registry } from '../../util/registry.ts';
import { imageBatch, type ImageBatch } from './image-batch.ts';

/**
 * Zero-cost accuracy proxies by id, each scoring an untrained network (higher = predicted more
 * accurate). `params` and `flops` are the baselines (counted on the IR, `src/graph/count.ts`).
 */
export interface ZeroCostBatch {
  /** Images in the data batch (NASWOT, grad_norm, snip). @defaultValue 64 */
  n?: number;
  /** Seed of the weight initialisation and of the image draw. @defaultValue 0 */
  seed?: number;
  /** Folder of the image data set (NASWOT, grad_norm, snip). @defaultValue the vendored CIFAR-10 subset */
  data?: string;
}

/** A zero-cost proxy: what it measures and how it scores a graph (its TF.js code loaded on first use). */
export interface ZeroCostProxy {
  readonly summary: string;
  /** Whether it reads the data batch. */
  readonly usesData: boolean;
  /** Whether it runs a TF.js network (on the training backend); params and flops do not. @defaultValue true */
  readonly usesTfjs?: boolean;
  score(graph: ModelGraph, batch: ImageBatch, rng: Rng): Promise<number>;
}

/** Zero-cost proxies by metric id; add yours with `zeroCostProxies.register`. */
export const zeroCostProxies = new Registry<ZeroCostProxy>('zero-cost metric', '--metrics')
  .register('synflow', {
    summary: 'synflow (Tanaka et al. 2020): Σ|θ ⊙ ∂R/∂θ|, |θ|, no BN, all-ones input',
    usesData: false,
    score: async (graph, _b, rng) => (await (await import('./synflow.ts')).synflow(graph, rng)).score,
  })
  .register('naswot', {
    summary: 'NASWOT (Mellor et al. 2021): log|det K_H| of ReLU codes of a batch',
    usesData: true,
    score: async (graph, b, rng) => (await import('./naswot.ts')).naswot(graph, b, rng),
  })
  .register('grad_norm', {
    summary: 'grad_norm (Abdelfattah et al. 2021): Σ_layers ‖∂L/∂W‖ on a batch',
    usesData: true,
    score: async (graph, b, rng) => (await (await import('./gradient-proxies.ts')).gradientProxies(graph, b, rng)).gradNorm,
  })
  .register('snip', {
    summary: 'snip (Lee et al. 2019): Σ|θ ⊙ ∂L/∂θ| on a batch',
    usesData: true,
    score: async (graph, b, rng) => (await (await import('./gradient-proxies.ts')).gradientProxies(graph, b, rng)).snip,
  })
  .register('params', { summary: 'trainable parameter count (baseline)', usesData: false, usesTfjs: false, score: async (graph) => countParams(graph) })
  .register('flops', { summary: 'multiply-accumulates (baseline)', usesData: false, usesTfjs: false, score: async (graph) => countFlops(graph) });

/** Ids of the registered zero-cost metrics. */
export function zeroCostMetricIds(): string[] {
  return zeroCostProxies.ids();
}

/** One-line summary of a registered zero-cost metric. */
export function zeroCostMetricSummary(id: string): string | undefined {
  return zeroCostProxies.find(id)?.summary;
}

const batches = new Map<string, ImageBatch>();

/**
 * The data batch for a space: `n` training images of the data set in `data` (the vendored CIFAR-10
 * subset by default) drawn with `seed`, prepared for the space's input (image-batch.ts).
 */
export function zeroCostImages(space: Pick<SearchSpace, 'inputShape'>, n: number, seed: number, data?: string): ImageBatch {
  const [channels, size] = space.inputShape as [number, number, number];
  const key = JSON.stringify([n, seed, size, channels, data ?? null]);
  let b = batches.get(key);
  if (!b) {
    b = imageBatch({ n, size, channels, rng: new Rng(seed).fork('zero-cost-images'), ...(data !== undefined && { data }) });
    batches.set(key, b);
  }
  return b;
}

/**
 * Score architecture `g` of `space` with the zero-cost metric `name`. Weights come from
 * `Rng(seed).fork(name)`; the same seed gives the same number. Throws an `InputError`
 * (`unknown-id`) for an unknown name.
 */
export async function zeroCostMetric(name: string, space: SearchSpace, g: Genotype, batch: ZeroCostBatch = {}): Promise<number> {
  const proxy = zeroCostProxies.get(name);
  const seed = batch.seed ?? 0;
  const graph = space.build(g);
  // The graph's own input shape: a space may build models at several resolutions (ofa-mbv3).
  const n = proxy.usesData ? (batch.n ?? 64) : 1;
  const run = (): Promise<number> => proxy.score(graph, zeroCostImages({ inputShape: graph.input }, n, seed, batch.data), new Rng(seed).fork(name));
  if (proxy.usesTfjs === false) return run();
  // One network that does not fit the wasm backend must not fail every later one (wasm-guard.ts).
  const { scoreGuarded } = await import('./wasm-guard.ts');
  return scoreGuarded(graph, n, run);
}
