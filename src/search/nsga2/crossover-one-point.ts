import type { Genotype } from '../../space/search-space.ts';
import type { Rng } from '../../util/rng.ts';

/**
 * One-point crossover (Holland 1975): a cut uniformly in 1..L−1; the children swap their tails.
 * Genotypes shorter than two genes are copied.
 */
export function onePointCrossover(a: Genotype, b: Genotype, rng: Rng): [number[], number[]] {
  const n = a.length;
  if (n < 2) return [a.slice(), b.slice()];
  const cut = 1 + rng.int(n - 1);
  return [[...a.slice(0, cut), ...b.slice(cut)], [...b.slice(0, cut), ...a.slice(cut)]];
}
