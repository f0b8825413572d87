import type { Rng } from '../../util/rng.ts';

/**
 * Simulated binary crossover, SBX (Deb & Agrawal 1995, Complex Systems 9), in the bounded form of
 * Deb's NSGA-II reference code: for each variable, with probability `perVariableProb` and when the
 * parents differ, the spread factor βq is drawn from the polynomial distribution of index η whose
 * tails are cut at the variable bounds (α = 2 − β^−(η+1), β = 1 + 2·(distance to bound)/(y2 − y1)),
 * children c = ½[(y1 + y2) ∓ βq (y2 − y1)], clipped to the bounds and swapped with probability ½.
 *
 * @param eta distribution index η (larger = children closer to parents) @defaultValue 15
 * @param perVariableProb probability that a variable is recombined @defaultValue 0.5
 */
export function sbxCrossover(a: readonly number[], b: readonly number[], lower: readonly number[], upper: readonly number[], rng: Rng, eta = 15, perVariableProb = 0.5): [number[], number[]] {
  const c1 = a.slice();
  const c2 = b.slice();
  const e1 = 1 / (eta + 1);
  for (let i = 0; i < a.length; i++) {
    if (!(rng.next() < perVariableProb)) continue;
    const x1 = a[i]!;
    const x2 = b[i]!;
    if (Math.abs(x1 - x2) <= 1e-14) continue;
    const lo = lower[i]!;
    const hi = upper[i]!;
    const y1 = Math.min(x1, x2);
    const y2 = Math.max(x1, x2);
    const u = rng.next();
    const betaq = (beta: number): number => {
      const alpha = 2 - Math.pow(beta, -(eta + 1));
      return u <= 1 / alpha ? Math.pow(u * alpha, e1) : Math.pow(1 / (2 - u * alpha), e1);
    };
    let v1 = 0.5 * (y1 + y2 - betaq(1 + (2 * (y1 - lo)) / (y2 - y1)) * (y2 - y1));
    let v2 = 0.5 * (y1 + y2 + betaq(1 + (2 * (hi - y2)) / (y2 - y1)) * (y2 - y1));
    v1 = Math.min(Math.max(v1, lo), hi);
    v2 = Math.min(Math.max(v2, lo), hi);
    if (rng.next() < 0.5) {
      c1[i] = v2;
      c2[i] = v1;
    } else {
      c1[i] = v1;
      c2[i] = v2;
    }
  }
  return [c1, c2];
}
