import type { Rng } from '../../util/rng.ts';
import { sbxCrossover } from './crossover-sbx.ts';
import { polynomialMutation } from './mutation-polynomial.ts';
import type { Nsga2Operators } from './nsga2.ts';

/** Settings of real-coded NSGA-II operators. */
export interface RealOperatorSettings {
  readonly lower: readonly number[];
  readonly upper: readonly number[];
  /** SBX distribution index. @defaultValue 15 */
  readonly crossoverEta?: number;
  /** Polynomial-mutation distribution index. @defaultValue 20 */
  readonly mutationEta?: number;
  /** Per-variable mutation probability. @defaultValue 1/n */
  readonly mutationProb?: number;
}

/**
 * Real-coded NSGA-II operators (Deb et al. 2002, §V): uniform initialisation within the bounds, SBX
 * crossover and polynomial mutation; exact duplicates (a child equal to an earlier vector) are
 * re-bred like in the discrete case.
 */
export function realOperators(s: RealOperatorSettings, rng: Rng): Nsga2Operators<number[]> {
  const seen = new Set<string>();
  const n = s.lower.length;
  const etaC = s.crossoverEta ?? 15;
  const etaM = s.mutationEta ?? 20;
  const pm = s.mutationProb ?? 1 / n;
  const claim = (x: readonly number[]): boolean => {
    const k = x.join(',');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  };
  return {
    sampleNew() {
      for (let t = 0; t < 100; t++) {
        const x = s.lower.map((lo, i) => rng.uniform(lo, s.upper[i]!));
        if (claim(x)) return x;
      }
      return null;
    },
    claim,
    crossover: (a, b, r: Rng) => sbxCrossover(a, b, s.lower, s.upper, r, etaC),
    mutate: (x, r: Rng) => polynomialMutation(x, s.lower, s.upper, pm, r, etaM),
  };
}
