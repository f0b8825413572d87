import type { Rng } from '../../util/rng.ts';

/**
 * Polynomial mutation (Deb & Goyal 1996; bounded form of Deb 2001, §4.2.2 as in the NSGA-II reference
 * code): each variable, with probability `prob`, moves by δq·(upper − lower), where with δ1, δ2 the
 * normalised distances to the lower / upper bound and u uniform,
 *   u < ½: δq = [2u + (1 − 2u)(1 − δ1)^(η+1)]^(1/(η+1)) − 1
 *   u ≥ ½: δq = 1 − [2(1 − u) + 2(u − ½)(1 − δ2)^(η+1)]^(1/(η+1)),
 * then clipped to the bounds.
 *
 * @param prob per-variable probability, usually 1/n
 * @param eta distribution index η @defaultValue 20
 */
export function polynomialMutation(x: readonly number[], lower: readonly number[], upper: readonly number[], prob: number, rng: Rng, eta = 20): number[] {
  const out = x.slice();
  const pow = 1 / (eta + 1);
  for (let i = 0; i < x.length; i++) {
    if (!(rng.next() < prob)) continue;
    const lo = lower[i]!;
    const hi = upper[i]!;
    const range = hi - lo;
    if (!(range > 0)) continue;
    const y = x[i]!;
    const d1 = (y - lo) / range;
    const d2 = (hi - y) / range;
    const u = rng.next();
    let dq: number;
    if (u < 0.5) {
      const val = 2 * u + (1 - 2 * u) * Math.pow(1 - d1, eta + 1);
      dq = Math.pow(val, pow) - 1;
    } else {
      const val = 2 * (1 - u) + 2 * (u - 0.5) * Math.pow(1 - d2, eta + 1);
      dq = 1 - Math.pow(val, pow);
    }
    out[i] = Math.min(Math.max(y + dq * range, lo), hi);
  }
  return out;
}
