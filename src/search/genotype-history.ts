import type { Decision, Genotype } from '../space/search-space.ts';
import type { Rng } from '../util/rng.ts';
import { genotypeKey } from './strategy.ts';

/** Spaces up to this size may be enumerated to find the last unseen genotypes. */
const ENUMERABLE = 1_000_000;

/**
 * Every genotype a strategy has proposed, for duplicate elimination against the whole history, and
 * uniform sampling of genotypes not proposed yet. In a space of up to a million genotypes, once half
 * is seen the unseen ones are enumerated, so every genotype is eventually proposed exactly once and
 * {@link sampleNew} returns null only when the space is exhausted.
 */
export class GenotypeHistory {
  private readonly seen = new Set<string>();
  /** Number of genotypes in the space (product of choice counts; may exceed 2^53 as a float). */
  readonly spaceSize: number;
  private pool: number[] | null = null;

  constructor(readonly decisions: readonly Decision[], private readonly rng: Rng) {
    if (decisions.length === 0) throw new Error('GenotypeHistory: a space needs at least one decision');
    for (const d of decisions) if (d.choices.length === 0) throw new Error(`GenotypeHistory: decision ${d.name} has no choices`);
    this.spaceSize = decisions.reduce((n, d) => n * d.choices.length, 1);
  }

  /** Number of distinct genotypes seen. */
  get count(): number {
    return this.seen.size;
  }

  /** Whether every genotype of the space has been seen. */
  get exhausted(): boolean {
    return this.seen.size >= this.spaceSize;
  }

  has(g: Genotype): boolean {
    return this.seen.has(genotypeKey(g));
  }

  /** Record `g`; false when it was seen before. */
  claim(g: Genotype): boolean {
    const k = genotypeKey(g);
    if (this.seen.has(k)) return false;
    this.seen.add(k);
    return true;
  }

  /** A uniformly random genotype (seen or not). */
  random(): number[] {
    return this.decisions.map((d) => this.rng.int(d.choices.length));
  }

  /** A uniformly random unseen genotype, claimed; null when the space is exhausted. */
  sampleNew(): number[] | null {
    if (this.exhausted) return null;
    if (this.pool === null) {
      const enumerate = this.spaceSize <= ENUMERABLE && this.seen.size * 2 >= this.spaceSize;
      if (!enumerate) {
        for (let t = 0; t < 64; t++) {
          const g = this.random();
          if (this.claim(g)) return g;
        }
        if (this.spaceSize > ENUMERABLE) return null;
      }
      // Enumerate the unseen genotypes once, in random order; later calls pop and skip seen ones.
      const pool: number[] = [];
      for (let i = 0; i < this.spaceSize; i++) if (!this.seen.has(genotypeKey(this.at(i)))) pool.push(i);
      this.pool = this.rng.shuffle(pool);
    }
    while (this.pool.length > 0) {
      const g = this.at(this.pool.pop()!);
      if (this.claim(g)) return g;
    }
    return null;
  }

  /** Mixed-radix genotype of index `i` (first decision most significant). */
  private at(index: number): number[] {
    const g = new Array<number>(this.decisions.length);
    for (let i = this.decisions.length - 1; i >= 0; i--) {
      const n = this.decisions[i]!.choices.length;
      g[i] = index % n;
      index = Math.floor(index / n);
    }
    return g;
  }
}

/** The genotypes one decision away from `g` (every other choice of every decision). */
export function neighbours(g: Genotype, decisions: readonly Decision[]): number[][] {
  const out: number[][] = [];
  decisions.forEach((d, i) => {
    for (let v = 0; v < d.choices.length; v++) {
      if (v === g[i]) continue;
      const n = g.slice();
      n[i] = v;
      out.push(n);
    }
  });
  return out;
}

/** `g` with one uniformly chosen decision (among those with ≥ 2 choices) set to a different choice. */
export function mutateOneDecision(g: Genotype, decisions: readonly Decision[], rng: Rng): number[] {
  const free = decisions.map((d, i) => (d.choices.length > 1 ? i : -1)).filter((i) => i >= 0);
  const out = g.slice();
  if (free.length === 0) return out;
  const i = rng.pick(free);
  const k = decisions[i]!.choices.length;
  const v = rng.int(k - 1);
  out[i] = v >= g[i]! ? v + 1 : v;
  return out;
}
