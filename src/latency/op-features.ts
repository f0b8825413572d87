import { isLayeredSpace } from '../space/layered-space.ts';
import type { Genotype, SearchSpace } from '../space/search-space.ts';
import { countFeatures } from './fitted-predictor.ts';

/**
 * Features of an architecture for additive latency models (feature name → value).
 *
 * - {@link layerFeatures}: the count of each distinct layer configuration, the features of the
 *   layer-wise NNLS model (`fitted-predictor.ts`). Layered spaces: `SpaceLayer.key` counts (empty
 *   identity layers cost nothing and are left out). `nb201-cell` spaces: the count of each op over the
 *   cell's edges — every edge of a stage has the same shapes and every cell repeats the genotype, so
 *   the layer configurations are (op, stage) and each stage holds the same count of each op; `none`
 *   is no layer. Other spaces: one-hot `decision=choice`.
 * - {@link opCounts}: how often each choice name occurs over all decisions, position ignored (for
 *   `nb201` the same as its layer features; for FBNet the 9 block types over 22 layers). Few features,
 *   so they can be weighed from a handful of measurements.
 */

/** The op an `nb201-cell` edge carries when it has none. */
const NO_OP = 'none';

/** Count of each layer configuration (see the module comment). */
export function layerFeatures(space: SearchSpace, g: Genotype): Map<string, number> {
  if (isLayeredSpace(space)) return countFeatures(space.layers(g).filter((l) => !l.empty).map((l) => l.key));
  if (space.family === 'nb201-cell') return opCounts(space, g);
  return new Map(space.decisions.map((d, i) => [`${d.name}=${d.choices[g[i]!]}`, 1]));
}

/** Occurrences of each choice name over the genotype's decisions (`none` left out). */
export function opCounts(space: SearchSpace, g: Genotype): Map<string, number> {
  const names: string[] = [];
  space.decisions.forEach((d, i) => {
    const c = d.choices[g[i]!];
    if (c === undefined) throw new Error(`genotype entry ${i} of ${space.id} is out of range`);
    if (c !== NO_OP) names.push(c);
  });
  return countFeatures(names);
}
