import { pathToFileURL } from 'node:url';
import { loadDevice } from '../src/latency/device-profile.ts';
import { loadLut } from '../src/latency/lut-file.ts';
import { lutIdFor, lutPredict, predictWithLut } from '../src/latency/lut-predictor.ts';
import { Rng } from '../src/util/rng.ts';
import { isLayeredSpace } from '../src/space/layered-space.ts';
import type { Genotype } from '../src/space/search-space.ts';
import { loadSpace } from '../src/space/space-registry.ts';

export interface LutPredictResult {
  bench: 'lut-predict';
  device: string;
  space: string;
  lut: string;
  /** Distinct random genotypes cycled through. */
  genotypes: number;
  /** LUT predictions per second: `lutPredict` (the per-layer view of the genotype, key building, lookups, sum). */
  predictionsPerSecond: number;
  /** Per-layer views per second (`space.layers(g)`), the part of a prediction before any lookup. */
  layerViewsPerSecond: number;
  /** Lookups + sum alone per second (`predictWithLut` on layer views built beforehand): the bound if layer views were cached. */
  lookupsPerSecond: number;
  /** Baseline, same run, same genotypes: model graphs built per second (`space.build(g)`, shapes inferred), what a measurement or a FLOP count needs first and a LUT lets you skip. */
  graphBuildsPerSecond: number;
  /** predictionsPerSecond / graphBuildsPerSecond. */
  speedupOverGraphBuild: number;
  /** Mean predicted latency over the genotypes (ms), so the work cannot be optimised away and the numbers can be checked. */
  meanPredictedMs: number;
}

/** Calls of `fn` over `items` (cycling) per second, running for at least `minMs` after one untimed pass. */
function rate<T>(items: readonly T[], fn: (x: T) => void, minMs: number): number {
  for (const x of items) fn(x);
  let calls = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs) {
    for (const x of items) fn(x);
    calls += items.length;
    t = performance.now();
  }
  return calls / ((t - t0) / 1000);
}

/**
 * LUT predictions per second on `pixel1-lut` × `proxyless-mobile` (ProxylessNAS's published Pixel 1
 * LUT), with the graph build of the same genotypes as the baseline in the same run.
 */
export async function lutPredictBench(opts: { device?: string; space?: string; genotypes?: number; seed?: number; minMs?: number } = {}): Promise<LutPredictResult> {
  const device = loadDevice(opts.device ?? 'pixel1-lut');
  if (device.kind !== 'lut') throw new Error(`${device.id} is not a LUT device`);
  const space = loadSpace(opts.space ?? 'proxyless-mobile');
  if (!isLayeredSpace(space)) throw new Error(`${space.id} has no per-layer view`);
  const rng = new Rng(opts.seed ?? 11);
  const gs: Genotype[] = Array.from({ length: opts.genotypes ?? 200 }, () => space.decisions.map((d) => rng.int(d.choices.length)));
  const minMs = opts.minMs ?? 1000;
  let sum = 0;
  const predictionsPerSecond = rate(gs, (g) => {
    sum += lutPredict(device, space, g).latencyMs;
  }, minMs);
  const layerViewsPerSecond = rate(gs, (g) => {
    sum += space.layers(g).length;
  }, minMs);
  const views = gs.map((g) => space.layers(g));
  // One LUT for all when the id has no resolution placeholder (pixel1-lut); OFA picks one per resolution.
  const luts = views.map((layers) => loadLut(lutIdFor(device, layers)));
  const indices = views.map((_, i) => i);
  const lookupsPerSecond = rate(indices, (i) => {
    sum += predictWithLut(luts[i]!, views[i]!).latencyMs;
  }, minMs);
  const graphBuildsPerSecond = rate(gs, (g) => {
    sum += space.build(g).nodes.length;
  }, minMs);
  const meanPredictedMs = gs.reduce((a, g) => a + lutPredict(device, space, g).latencyMs, 0) / gs.length;
  if (!Number.isFinite(sum)) throw new Error('non-finite checksum');
  return {
    bench: 'lut-predict', device: device.id, space: space.id, lut: lutPredict(device, space, gs[0]!).lut, genotypes: gs.length,
    predictionsPerSecond, layerViewsPerSecond, lookupsPerSecond, graphBuildsPerSecond,
    speedupOverGraphBuild: predictionsPerSecond / graphBuildsPerSecond,
    meanPredictedMs,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await lutPredictBench(), null, 2));
}
