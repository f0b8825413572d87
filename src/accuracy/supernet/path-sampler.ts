import type { Rng } from '../../util/rng.ts';
import type { SupernetLayout } from './supernet-layout.ts';
import type { SupernetPath } from './supernet-weights.ts';

/**
 * How a supernet training step picks the paths it trains:
 *
 * - `uniform` — SPOS (Guo et al., ECCV 2020, §3.2, Eq. 6–7): one path per step, each searchable
 *   layer's choice drawn uniformly and independently.
 * - `fair` — FairNAS strict fairness (Chu et al., ICCV 2021, §3.3, Alg. 1): m paths per step,
 *   m = the largest number of choices of a layer; each layer takes its choices in a random
 *   permutation, so within a step every choice of every layer is trained exactly once on the same
 *   batch, and the gradients of the m paths are combined into one update. A layer with fewer than m
 *   choices continues with a fresh permutation (its choices are then trained ⌊m/n⌋ or ⌈m/n⌉ times).
 */
export type PathSampling = 'uniform' | 'fair';

/** Names of {@link PathSampling}. */
export const PATH_SAMPLINGS: readonly PathSampling[] = ['uniform', 'fair'];

/** Paths trained by one step under `sampling`, drawn with `rng` (seeded per step by the caller). */
export function samplePaths(layout: SupernetLayout, sampling: PathSampling, rng: Rng): SupernetPath[] {
  const counts = layout.positions.map((p) => p.layers.length);
  if (sampling === 'uniform') return [counts.map((n) => (n > 1 ? rng.int(n) : 0))];
  const m = Math.max(1, ...counts);
  const columns = counts.map((n) => {
    if (n <= 1) return new Array<number>(m).fill(0);
    const seq: number[] = [];
    while (seq.length < m) seq.push(...rng.shuffle(Array.from({ length: n }, (_, i) => i)));
    return seq.slice(0, m);
  });
  return Array.from({ length: m }, (_, k) => columns.map((col) => col[k]!));
}
