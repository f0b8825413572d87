import type { Genotype } from '../../space/search-space.ts';
import type { Rng } from '../../util/rng.ts';

/**
 * Random-reset mutation: each gene i, with probability `prob` (usually 1/L), is set to a uniformly
 * chosen *different* choice among its `choiceCounts[i]`; a gene with one choice never changes.
 */
export function randomResetMutation(g: Genotype, choiceCounts: readonly number[], prob: number, rng: Rng): number[] {
  const out = g.slice();
  for (let i = 0; i < out.length; i++) {
    const k = choiceCounts[i]!;
    if (k < 2 || !(rng.next() < prob)) continue;
    const v = rng.int(k - 1);
    out[i] = v >= g[i]! ? v + 1 : v;
  }
  return out;
}
