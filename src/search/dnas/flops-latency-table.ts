import { countFlops } from '../../graph/count.ts';
import type { SearchSpace } from '../../space/search-space.ts';
import { chainPieces } from './chain-supernet.ts';

/**
 * A FLOPs-based stand-in for a per-layer latency table of a chain space: `table[l][i]` is the
 * multiply-accumulates of candidate i of layer l, and `fixed` those of stem and head, in millions
 * (MFLOPs, NAS-Bench-Macro counting), at the space's full width and input size. Summed over an
 * architecture it equals `countFlops` of its graph (nasbench-macro `00000000` → 7.71328,
 * `22222222` → 105.660928). A cost proxy, not a measured latency.
 */
export function chainFlopsTable(space: SearchSpace): { table: number[][]; fixed: number; unit: 'MFLOPs' } {
  const p = chainPieces(space);
  return {
    table: p.blocks.map((row) => row.map((g) => countFlops(g) / 1e6)),
    fixed: (countFlops(p.stem) + countFlops(p.head)) / 1e6,
    unit: 'MFLOPs',
  };
}
