import type { Rng } from '../../util/rng.ts';

/**
 * ParEGO scalarisation (Knowles 2006, IEEE TEC 10(1), §III-B, Eq. 2): the augmented Tchebycheff
 * function f_λ(x) = max_j (λ_j f_j(x)) + ρ Σ_j λ_j f_j(x), ρ = 0.05, on objectives normalised to
 * [0, 1]; λ is drawn each iteration uniformly from the weight vectors with components in
 * {0, 1/s, …, 1} summing to 1 (Eq. 1). Our choice of s: 10 for two objectives (11 vectors), 4 for
 * three (15 vectors), 3 for more (C(s + k − 1, k − 1) vectors).
 */
export function augmentedTchebycheff(f: readonly number[], lambda: readonly number[], rho = 0.05): number {
  let max = -Infinity;
  let sum = 0;
  for (let j = 0; j < f.length; j++) {
    const v = lambda[j]! * f[j]!;
    if (v > max) max = v;
    sum += v;
  }
  return max + rho * sum;
}

/** All weight vectors of `k` components in steps of 1/s summing to 1 (Knowles 2006, Eq. 1). */
export function weightLattice(k: number, s: number): number[][] {
  const out: number[][] = [];
  const rec = (prefix: number[], left: number): void => {
    if (prefix.length === k - 1) {
      out.push([...prefix, left].map((v) => v / s));
      return;
    }
    for (let v = 0; v <= left; v++) rec([...prefix, v], left - v);
  };
  rec([], s);
  return out;
}

/** A uniformly drawn ParEGO weight vector for `k` objectives. */
export function randomParegoWeights(k: number, rng: Rng): number[] {
  const s = k === 2 ? 10 : k === 3 ? 4 : 3;
  return rng.pick(weightLattice(k, s));
}
