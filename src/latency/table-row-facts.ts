import { countFlops, countParams } from '../graph/count.ts';
import type { SearchSpace } from '../space/search-space.ts';
import type { LatencyTable } from '../tables/table-data.ts';
import type { Features } from './fitted-predictor.ts';
import { layerFeatures } from './op-features.ts';

/**
 * What hwnas can compute about every row (architecture) of a latency table without any device:
 * FLOPs, parameter count (`graph/count.ts`) and layer features (`op-features.ts`). Built once per
 * table and space (15,625 `nb201` graphs: about a second) and shared.
 */
export interface TableRowFacts {
  flops: Float64Array;
  params: Float64Array;
  layers: Features[];
}

const cache = new WeakMap<readonly string[], Map<string, TableRowFacts>>();

/** FLOPs, params and layer features of every row of `table`, decoded with `space`. */
export function tableRowFacts(table: LatencyTable, space: SearchSpace): TableRowFacts {
  const archs = table.archStrings();
  let bySpace = cache.get(archs);
  if (!bySpace) cache.set(archs, (bySpace = new Map()));
  let f = bySpace.get(space.id);
  if (!f) {
    const flops = new Float64Array(archs.length);
    const params = new Float64Array(archs.length);
    const layers: Features[] = [];
    archs.forEach((a, r) => {
      const g = space.decode(a);
      const graph = space.build(g);
      flops[r] = countFlops(graph);
      params[r] = countParams(graph);
      layers.push(layerFeatures(space, g));
    });
    f = { flops, params, layers };
    bySpace.set(space.id, f);
  }
  return f;
}
