import type { SearchSpace } from './search-space.ts';

/** A family of spaces: a JSON Schema for its files and a factory from a validated definition. */
export interface SpaceFamily<D = unknown> {
  readonly name: string;
  /** JSON Schema of a space file of this family (common fields included). */
  readonly schema: object;
  create(def: D, file: string): SearchSpace;
}
