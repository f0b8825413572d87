import type { LatencyProvider } from '../latency/latency-provider.ts';
import { chainFlopsTable } from '../search/dnas/flops-latency-table.ts';
import type { LayerCosts } from '../search/strategy.ts';
import type { Genotype, SearchSpace } from '../space/search-space.ts';

/**
 * Per-layer cost of each choice of a chain space on a device, for a supernet's latency term: from
 * a LUT device the exact additive cost (difference of LUT predictions against the all-first-choice
 * architecture — exact because a LUT is a sum over layers); otherwise per-layer MFLOPs, since
 * measuring L × C variants on a live device would cost more than the search.
 */
export async function layerCosts(space: SearchSpace, provider: LatencyProvider): Promise<LayerCosts> {
  if (provider.kind !== 'lut') return { ...chainFlopsTable(space), source: 'FLOPs (NAS-Bench-Macro counting)' };
  const base: Genotype = space.decisions.map(() => 0);
  const at = async (g: Genotype) => (await provider.latency(space, g, space.build(g))).metrics.latencyMs!;
  const baseMs = await at(base);
  const table: number[][] = [];
  let fixed = baseMs;
  for (const [l, d] of space.decisions.entries()) {
    const row: number[] = [];
    for (let i = 0; i < d.choices.length; i++) {
      const g = base.slice();
      g[l] = i;
      row.push(i === 0 ? 0 : (await at(g)) - baseMs);
    }
    const lo = Math.min(...row);
    table.push(row.map((v) => v - lo)); // every entry ≥ 0; the shift goes to `fixed`
    fixed += lo;
  }
  return { table, fixed: Math.max(fixed, 1e-6), unit: 'ms', source: provider.deviceId };
}
