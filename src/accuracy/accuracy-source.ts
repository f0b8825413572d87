import { InputError } from '../errors.ts';
import type { Genotype, SearchSpace } from '../space/search-space.ts';

/**
 * Where the accuracy of an architecture comes from: a benchmark table (exact published results) or
 * a proxy (trained or scored here). One source serves one space.
 */
export interface AccuracySource {
  /** Source id as reported next to its numbers (`nb201`, `nasbench-macro`, ...). */
  readonly id: string;
  /** Name of the searched (maximised) metric among those {@link AccuracySource.metrics} returns. @defaultValue 'accuracy' */
  readonly metric: string;
  /** One line for reports: dataset, split, training budget, provenance. */
  readonly description: string;
  /**
   * Metrics of one architecture, in % for accuracies; always includes {@link AccuracySource.metric}.
   * Rejects with a plain `Error` when the architecture cannot be scored (recorded as a failed outcome).
   */
  metrics(space: SearchSpace, g: Genotype): Promise<Record<string, number>>;
}

/** A named kind of accuracy source, creating the source for a space (or refusing the space). */
export interface AccuracySourceFactory {
  /** Name given with `--accuracy`. */
  readonly id: string;
  /** One line for `--help` listings. */
  readonly description: string;
  /** The source for this space; a space it cannot serve is an {@link InputError} (`incompatible`). */
  create(space: SearchSpace): AccuracySource;
}

const factories = new Map<string, AccuracySourceFactory>();

/** Register an accuracy source kind by id (`table`, `nb201`, ...). */
export function registerAccuracySource(factory: AccuracySourceFactory): void {
  factories.set(factory.id, factory);
}

/** Ids of the registered accuracy sources. */
export function accuracySourceIds(): string[] {
  return [...factories.keys()].sort();
}

/** Description of a registered accuracy source id, or `undefined`. */
export function accuracySourceDescription(id: string): string | undefined {
  return factories.get(id)?.description;
}

/** The accuracy source `name` for `space`; an unknown name or an unserved space is an {@link InputError}. */
export function getAccuracySource(name: string, space: SearchSpace): AccuracySource {
  const factory = factories.get(name);
  if (!factory) {
    throw new InputError('unknown-id', `unknown accuracy source "${name}"`, { path: '--accuracy', expected: `one of ${accuracySourceIds().join(', ')}` });
  }
  return factory.create(space);
}

import { tableAccuracyFactories } from './table-accuracy.ts';
for (const f of tableAccuracyFactories) registerAccuracySource(f);
