import type { Genotype } from '../../space/search-space.ts';
import type { Rng } from '../../util/rng.ts';

/** Uniform crossover (Syswerda 1989): each gene is swapped between the two children with probability ½. */
export function uniformCrossover(a: Genotype, b: Genotype, rng: Rng): [number[], number[]] {
  const c1 = a.slice();
  const c2 = b.slice();
  for (let i = 0; i < a.length; i++) {
    if (rng.next() < 0.5) {
      c1[i] = b[i]!;
      c2[i] = a[i]!;
    }
  }
  return [c1, c2];
}
