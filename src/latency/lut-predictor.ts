import { InputError } from '../errors.ts';
import { isLayeredSpace, type LayeredSpace, type SpaceLayer } from '../space/layered-space.ts';
import type { Genotype, SearchSpace } from '../space/search-space.ts';
import { checkDeviceForSpace, type LutDevice } from './device-profile.ts';
import type { LatencyProvider } from './latency-provider.ts';
import { loadLut, type Lut } from './lut-file.ts';
import { lutKeys } from './lut-keys.ts';

/**
 * LUT prediction (ProxylessNAS, Cai et al. ICLR 2019, §3.3.1; FBNet, Wu et al. CVPR 2019, Eq. 5):
 * latency(model) = base + Σ_layers Σ_keys LUT[key], the layer-wise additive model. `base` is 0 for
 * the published LUTs (their stem/head/logits entries are layers like any other) and the measured
 * per-run overhead for LUTs written by `hwnas profile`.
 */

/** Placeholder in a LUT device's `lut` id replaced by the model's input resolution (OFA: one LUT per resolution). */
export const RESOLUTION_PLACEHOLDER = '{resolution}';

/** One term of a prediction. */
export interface LutTerm {
  key: string;
  latencyMs: number;
}

export interface LutPrediction {
  latencyMs: number;
  /** LUT id used (placeholder resolved). */
  lut: string;
  terms: LutTerm[];
}

/** The LUT id of a device for a model with these layers (resolves {@link RESOLUTION_PLACEHOLDER}). */
export function lutIdFor(device: Pick<LutDevice, 'lut'>, layers: readonly SpaceLayer[]): string {
  const res = layers[0]?.inShape[1];
  return device.lut.replace(RESOLUTION_PLACEHOLDER, String(res));
}

/** Sum of the LUT entries of `layers`; a key the LUT lacks is an {@link InputError} naming it. */
export function predictWithLut(lut: Lut, layers: readonly SpaceLayer[]): LutPrediction {
  const terms: LutTerm[] = [];
  let total = lut.baseMs;
  for (const layer of layers) {
    let keys: string[];
    try {
      keys = lutKeys(lut.format, layer);
    } catch (e) {
      throw new InputError('incompatible', `LUT "${lut.id}" cannot describe a layer: ${(e as Error).message}`, { file: lut.file });
    }
    for (const key of keys) {
      const ms = lut.entries.get(key);
      if (ms === undefined) throw new InputError('incompatible', `LUT "${lut.id}" has no entry for key "${key}"`, { file: lut.file, expected: 'a LUT made for this space' });
      terms.push({ key, latencyMs: ms });
      total += ms;
    }
  }
  const c = lut.calibration;
  return { latencyMs: c ? c.offsetMs + c.scale * total : total, lut: lut.id, terms };
}

function layered(space: SearchSpace, device: LutDevice): LayeredSpace {
  if (!isLayeredSpace(space)) {
    throw new InputError('incompatible', `space "${space.id}" has no per-layer view, so LUT device "${device.id}" cannot price it`, { path: '--space' });
  }
  return space;
}

/** Predicted latency of genotype `g` of `space` on LUT device `device`. */
export function lutPredict(device: LutDevice, space: SearchSpace, g: Genotype): LutPrediction {
  checkDeviceForSpace(device, space.id);
  const layers = layered(space, device).layers(g);
  return predictWithLut(loadLut(lutIdFor(device, layers)), layers);
}

/** Latency provider of a LUT device (no model is run). */
export function lutLatencyProvider(device: LutDevice, space: SearchSpace): LatencyProvider {
  checkDeviceForSpace(device, space.id);
  layered(space, device);
  if (!device.lut.includes(RESOLUTION_PLACEHOLDER)) loadLut(device.lut);
  return {
    deviceId: device.id,
    kind: 'lut',
    metricNames: ['latencyMs'],
    latency: async (sp, g) => {
      const p = lutPredict(device, sp, g);
      return { metrics: { latencyMs: p.latencyMs }, info: { latencySource: `lut:${p.lut}` } };
    },
  };
}
