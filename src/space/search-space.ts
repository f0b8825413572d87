import type { ModelGraph, Shape } from '../graph/model-graph.ts';

/** An architecture: one choice index per decision of its space. */
export type Genotype = readonly number[];

/** One decision of a space (a layer's op, an edge's op, a block's kernel...). */
export interface Decision {
  /** Name of the decision, e.g. `layer3` or `edge(2,1)`. */
  readonly name: string;
  /** Names of its choices; a genotype holds an index into this list. */
  readonly choices: readonly string[];
}

/**
 * A search space: a fixed skeleton plus decisions. Built from a `spaces/<id>.json` file by the
 * family registered under its `family` field.
 */
export interface SearchSpace {
  readonly id: string;
  /** Builder family, e.g. `chain` or `nb201-cell`. */
  readonly family: string;
  /** The space file it was loaded from. */
  readonly file: string;
  readonly decisions: readonly Decision[];
  /** Input shape without batch, `[channels, height, width]`. */
  readonly inputShape: Shape;
  readonly classes: number;
  /** Canonical arch string of a genotype. Throws an `InputError` (`bad-arch`) for an invalid genotype. */
  encode(g: Genotype): string;
  /** Genotype of a canonical arch string. Throws an `InputError` (`bad-arch`) naming what is wrong. */
  decode(arch: string): Genotype;
  /** Model graph of a genotype, shapes inferred. */
  build(g: Genotype): ModelGraph;
}

/** Number of architectures in a space (product of choice counts). */
export function spaceSize(space: Pick<SearchSpace, 'decisions'>): number {
  return space.decisions.reduce((n, d) => n * d.choices.length, 1);
}

/** Throws unless `g` has one in-range integer per decision. */
export function checkGenotype(space: Pick<SearchSpace, 'id' | 'decisions'>, g: Genotype): void {
  if (g.length !== space.decisions.length) {
    throw new Error(`genotype for ${space.id} needs ${space.decisions.length} entries, got ${g.length}`);
  }
  g.forEach((v, i) => {
    const n = space.decisions[i]!.choices.length;
    if (!Number.isInteger(v) || v < 0 || v >= n) throw new Error(`genotype entry ${i} of ${space.id} must be in [0, ${n}), got ${v}`);
  });
}

/** Mixed-radix index of a genotype (first decision most significant), for enumeration and tables. */
export function genotypeIndex(space: Pick<SearchSpace, 'decisions'>, g: Genotype): number {
  let idx = 0;
  space.decisions.forEach((d, i) => {
    idx = idx * d.choices.length + g[i]!;
  });
  return idx;
}

/** Inverse of {@link genotypeIndex}. */
export function genotypeAt(space: Pick<SearchSpace, 'decisions'>, index: number): number[] {
  const g = new Array<number>(space.decisions.length);
  for (let i = space.decisions.length - 1; i >= 0; i--) {
    const n = space.decisions[i]!.choices.length;
    g[i] = index % n;
    index = Math.floor(index / n);
  }
  return g;
}
