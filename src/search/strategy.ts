import type { Decision, Genotype } from '../space/search-space.ts';
import type { Rng } from '../util/rng.ts';

/** One evaluated architecture as a strategy sees it. */
export interface Trial {
  readonly genotype: Genotype;
  /**
   * Objective values to **minimise**, in the order of the search's objectives (a maximised metric
   * such as accuracy arrives negated). `null` when the evaluation failed.
   */
  readonly values: readonly number[] | null;
  /** Total constraint violation (0 = feasible), Deb et al. 2002 constrained domination. */
  readonly violation: number;
}

/** A trial whose evaluation succeeded (`values` present). */
export type SucceededTrial = Trial & { readonly values: readonly number[] };

/**
 * A search strategy. It only proposes genotypes (`ask`) and learns from their results (`tell`); it
 * never sees a runtime, a device or a file.
 */
export interface Strategy {
  readonly id: string;
  /** Propose up to `n` genotypes to evaluate next (fewer when the space is exhausted). */
  ask(n: number): Genotype[];
  /** Results of earlier asks, in any order and batching. */
  tell(trials: readonly Trial[]): void;
}

/** What a strategy is built from. */
export interface StrategyContext {
  /** The space's decisions (choice lists); genotypes index into them. */
  readonly decisions: readonly Decision[];
  /** Number of objectives (length of `Trial.values`). */
  readonly objectiveCount: number;
  /** Seeded random source; the strategy's only randomness. */
  readonly rng: Rng;
  /** Total evaluations the run will make, if known (for schedules). */
  readonly budget?: number;
  /** Strategy-specific options (population size...), from flags or a config file. */
  readonly options: Readonly<Record<string, number | string | boolean>>;
}

export type StrategyFactory = (ctx: StrategyContext) => Strategy;

const strategies = new Map<string, { factory: StrategyFactory; summary: string }>();

/** Register a strategy under its CLI id. */
export function registerStrategy(id: string, summary: string, factory: StrategyFactory): void {
  strategies.set(id, { factory, summary });
}

/** Registered strategy ids with their one-line summaries. */
export function strategyIds(): { id: string; summary: string }[] {
  return [...strategies.entries()].map(([id, s]) => ({ id, summary: s.summary })).sort((a, b) => a.id.localeCompare(b.id));
}

/** Build a registered strategy; undefined when the id is unknown. */
export function createStrategy(id: string, ctx: StrategyContext): Strategy | undefined {
  return strategies.get(id)?.factory(ctx);
}

/** Canonical key of a genotype, for duplicate elimination. */
export function genotypeKey(g: Genotype): string {
  return g.join(',');
}
