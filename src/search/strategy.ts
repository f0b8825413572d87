import type { Decision, Genotype, SearchSpace } from '../space/search-space.ts';
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
  /**
   * Results of earlier asks, in any order and batching. It may also carry trials the strategy never
   * asked for (records of a resumed run): learn from them and never propose those genotypes again.
   */
  tell(trials: readonly Trial[]): void;
  /**
   * Choices the strategy made at run time that a user should see (a default latency target, the
   * architecture a supernet derived…), as JSON-able values; printed and written by the Study.
   */
  summary?(): Readonly<Record<string, unknown>>;
  /**
   * How many candidates the strategy proposes in all, when it knows that is fewer than any budget
   * (dnas: the one architecture its supernet derives); progress counts against it.
   * @defaultValue the budget
   */
  readonly proposals?: number;
}

/** An objective as a strategy sees it: a metric name and whether the metric is maximised. */
export interface ObjectiveSpec {
  readonly metric: string;
  readonly direction: 'min' | 'max';
}

/** Per-layer cost of each choice on the target device (for supernet training, FBNet eq. 6). */
export interface LayerCosts {
  /** `table[l][i]`: cost (≥ 0) of choice i of decision l. */
  readonly table: readonly (readonly number[])[];
  /** Cost of the fixed part (stem, head), same unit. */
  readonly fixed: number;
  /** `ms` (the device's latency) or `MFLOPs` (only when FLOPs were asked for by name). */
  readonly unit: string;
  /** Where the costs came from (LUT, measurement, table, or FLOPs). */
  readonly source: string;
}

/** What a strategy is built from. */
export interface StrategyContext {
  /** The space's decisions (choice lists); genotypes index into them. */
  readonly decisions: readonly Decision[];
  /** Number of objectives (length of `Trial.values`). */
  readonly objectiveCount: number;
  /** The objectives in `Trial.values` order; a maximised metric arrives negated. @defaultValue unnamed */
  readonly objectives?: readonly ObjectiveSpec[];
  /** Seeded random source; the strategy's only randomness. */
  readonly rng: Rng;
  /** Total evaluations the run will make, if known (for schedules). */
  readonly budget?: number;
  /** Strategy-specific options (population size...), from flags or a config file. */
  readonly options: Readonly<Record<string, number | string | boolean>>;
  /** The space itself, for strategies that build networks (a DNAS supernet); others use `decisions`. */
  readonly space?: SearchSpace;
  /**
   * Per-layer costs of the target device, computed on request (a DNAS supernet's latency term): its
   * latency in ms, or FLOPs when `source` is `'flops'`. @defaultValue source 'device'
   */
  readonly layerCosts?: (source?: 'device' | 'flops') => Promise<LayerCosts>;
  /** Progress of a strategy that works before its first ask (a DNAS supernet's epochs). */
  readonly onNote?: (text: string) => void;
}

/** Builds a strategy; one that trains first (DNAS) resolves when it is ready to ask. */
export type StrategyFactory = (ctx: StrategyContext) => Strategy | Promise<Strategy>;

/** Canonical key of a genotype, for duplicate elimination. */
export function genotypeKey(g: Genotype): string {
  return g.join(',');
}
