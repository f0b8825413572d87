import { existsSync } from 'node:fs';
import { errorMessage, InputError } from '../errors.ts';
import type { LatencyProvider } from '../latency/latency-provider.ts';
import { generatedLutFile, loadLut } from '../latency/lut-file.ts';
import { predictWithLut } from '../latency/lut-predictor.ts';
import { chainFlopsTable } from '../search/dnas/flops-latency-table.ts';
import type { LayerCosts } from '../search/strategy.ts';
import { isLayeredSpace } from '../space/layered-space.ts';
import type { Genotype, SearchSpace } from '../space/search-space.ts';

/** How {@link layerCosts} gets a cost: the device's latency (always ms), or FLOPs when asked for by name. */
export type LayerCostSource = 'device' | 'flops';

/** Latency of one architecture in ms. */
type LatencyOf = (g: Genotype) => Promise<number>;

/**
 * Per-layer latency of each choice of a chain space: the all-first-choice architecture, and each
 * single-layer change of it, one architecture per choice beyond the first
 * (1 + Σ_l (C_l − 1) in all). A choice's cost is its difference from the base; each row is shifted
 * to a minimum of 0 and the shift goes to `fixed`. Exact for a LUT (a sum over layers); for a
 * measurement or a table, the additive approximation FBNet's latency term itself makes.
 */
async function oneHotCosts(space: SearchSpace, at: LatencyOf, source: string): Promise<LayerCosts> {
  const base: Genotype = space.decisions.map(() => 0);
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
  return { table, fixed: Math.max(fixed, 1e-6), unit: 'ms', source };
}

/** Architectures {@link oneHotCosts} evaluates. */
export function oneHotCount(space: SearchSpace): number {
  return 1 + space.decisions.reduce((s, d) => s + d.choices.length - 1, 0);
}

/**
 * Per-layer cost of each choice of a chain space on a device, for a supernet's latency term
 * (FBNet, Wu et al. 2019, eq. 6), always the device's own latency in ms:
 * - a LUT device: its LUT, exactly;
 * - a measured device with a LUT written by `hwnas profile` for this space: that LUT;
 * - any other measured device: measured on it now (see {@link oneHotCosts}; `onNote` says so first);
 * - a table device: its table (or the layer-wise model fitted on it for architectures it omits).
 *
 * FLOPs stand in for latency only when `source` is `'flops'`, asked for by name. A device that
 * cannot give a latency for these architectures is an {@link InputError} naming it.
 */
export async function layerCosts(space: SearchSpace, provider: LatencyProvider, source: LayerCostSource = 'device', onNote?: (text: string) => void): Promise<LayerCosts> {
  if (source === 'flops') return { ...chainFlopsTable(space), source: 'FLOPs (NAS-Bench-Macro counting), asked for with cost=flops: not a latency' };
  const dev = provider.deviceId;
  const lutFile = generatedLutFile(dev, space.id);
  if (provider.kind === 'measured' && isLayeredSpace(space) && existsSync(lutFile)) {
    const lut = loadLut(`${dev}-${space.id}`);
    return guarded(dev, () => oneHotCosts(space, async (g) => predictWithLut(lut, space.layers(g)).latencyMs, `lut:${lut.id} (written by hwnas profile)`));
  }
  const n = oneHotCount(space);
  if (provider.kind === 'measured') {
    onNote?.(`per-layer latency for the supernet: measuring ${n} architectures on ${dev} (a LUT from \`hwnas profile --device ${dev} --space ${space.id}\` is used instead when there is one)`);
  }
  const measured = async (g: Genotype) => {
    const ms = (await provider.latency(space, g)).metrics.latencyMs;
    if (ms === undefined || !Number.isFinite(ms)) throw new Error(`no latencyMs for ${space.encode(g)}`);
    return ms;
  };
  const what = provider.kind === 'measured' ? `measured on ${dev}` : provider.kind === 'lut' ? `lut:${dev}` : `table:${dev}`;
  return guarded(dev, () => oneHotCosts(space, measured, `${what} (${n} architectures, per-layer differences)`));
}

async function guarded(device: string, f: () => Promise<LayerCosts>): Promise<LayerCosts> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError('incompatible', `dnas needs the per-layer latency of device "${device}", which it cannot give: ${errorMessage(e)}`, {
      path: '--device', expected: 'a device that gives latency for every architecture of the space (measured, LUT, or a table with a fitted fallback), or --option cost=flops to penalise FLOPs instead',
    });
  }
}
