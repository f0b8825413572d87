import { existsSync, readFileSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../errors.ts';
import { parseJson } from '../util/json-file.ts';

/**
 * Per-layer latency lookup tables (LUTs). Four key formats:
 * - `proxyless`: ProxylessNAS mobile LUT (Cai et al., ICLR 2019): `expanded_conv-input:HxWxC-output:HxWxC-expand:E-kernel:K-stride:S-idskip:I`, `Conv`, `Conv_1`, `Logits`;
 * - `ofa`: Once-for-All LUTs (Cai et al., ICLR 2020): the same plus `-se:0/1-hs:0/1`, `expand` = mid channels, `AvgPool2D`, `Conv_2`;
 * - `nsganetv2`: NSGANetV2 LUT (Lu et al., ECCV 2020): `MBConv-...-expand:E-...-se:S`, `first_conv`, `final_expand_layer`, `feature_mix_layer`, `classifier`;
 * - `hwnas`: written by `hwnas profile`, keyed by {@link SpaceLayer.key}, with the measured per-run overhead.
 * Values are milliseconds (the mean of the published LUTs; the overhead-subtracted median of ours).
 */
export type LutFormat = 'proxyless' | 'ofa' | 'nsganetv2' | 'hwnas';

export interface Lut {
  readonly id: string;
  readonly file: string;
  readonly format: LutFormat;
  /** Latency (ms) by key. */
  readonly entries: ReadonlyMap<string, number>;
  /** Fixed cost of one whole-model run added once (ms); 0 for the published LUTs. */
  readonly baseMs: number;
  /**
   * Affine correction of the raw sum fitted on whole-model measurements (`hwnas profile`):
   * prediction = offsetMs + scale · (baseMs + Σ entries). Absent for the published LUTs.
   */
  readonly calibration?: LutCalibration;
}

/** Affine calibration of a LUT sum against measured whole models. */
export interface LutCalibration {
  offsetMs: number;
  scale: number;
  /** Whole models it was fitted on. */
  models: number;
}

/** One entry of an `hwnas` LUT. */
export interface HwnasLutEntry {
  /** Median of the layer graph minus the measured per-run overhead (ms); may be slightly negative. */
  latencyMs: number;
  /** Median of the layer graph as measured (ms). */
  rawMedianMs: number;
  /** Per-run overhead subtracted (ms). */
  overheadMs: number;
  cv: number;
  samples: number;
}

/** File written by `hwnas profile` (`devices/luts/<device>-<space>.json`). */
export interface HwnasLutFile {
  format: 'hwnas-lut/1';
  device: string;
  space: string;
  runtime: Record<string, string | number>;
  /** How the entries were measured, in words. */
  method: string;
  /** Statistic of each graph's timed runs behind the entries and the calibration (absent in older files: median). */
  statistic?: 'median' | 'min';
  /** Round-robin visits of each graph the statistic was taken over (absent in older files: 1). */
  rounds?: number;
  /** Per-run overhead of a whole model (ms): an input → flatten graph with the model's output shape. */
  baseMs: number;
  entries: Record<string, HwnasLutEntry>;
  /** Written by `hwnas profile` once it has measured whole models. */
  calibration?: LutCalibration;
}

/**
 * Folder of the LUTs written by `hwnas profile`, with a trailing separator.
 * @defaultValue `devices/luts/`; the environment variable `HWNAS_LUT_DIR` (read once, at load) overrides it.
 */
export const GENERATED_LUT_DIR = process.env['HWNAS_LUT_DIR']
  ? `${resolve(process.env['HWNAS_LUT_DIR'])}${sep}`
  : fileURLToPath(new URL('../../devices/luts/', import.meta.url));

/** Path of the LUT `hwnas profile` writes for a device and a space: `<GENERATED_LUT_DIR><device>-<space>.json`. */
export function generatedLutFile(deviceId: string, spaceId: string): string {
  return `${GENERATED_LUT_DIR}${deviceId}-${spaceId}.json`;
}

function vendoredPath(id: string): string {
  return fileURLToPath(new URL(`../../data/luts/${id}.json.gz`, import.meta.url));
}

/** Path of a LUT id: `devices/luts/<id>.json` (generated) first, then `data/luts/<id>.json.gz` (vendored). */
export function lutPath(id: string): string | undefined {
  const generated = `${GENERATED_LUT_DIR}${id}.json`;
  if (existsSync(generated)) return generated;
  const vendored = vendoredPath(id);
  return existsSync(vendored) ? vendored : undefined;
}

/** Format of a published LUT, told from its keys. */
function detectFormat(keys: readonly string[]): LutFormat | undefined {
  if (keys.some((k) => k.startsWith('MBConv-'))) return 'nsganetv2';
  const ec = keys.filter((k) => k.startsWith('expanded_conv-'));
  if (ec.length === 0) return undefined;
  return ec.every((k) => /-se:\d-hs:\d$/.test(k)) ? 'ofa' : 'proxyless';
}

const cache = new Map<string, Lut>();

/** Load a LUT by id; an unknown id or a malformed file is an {@link InputError}. */
export function loadLut(id: string): Lut {
  const hit = cache.get(id);
  if (hit) return hit;
  const file = lutPath(id);
  if (!file) throw new InputError('unknown-id', `no LUT "${id}"`, { path: '/lut', expected: `a file devices/luts/${id}.json or data/luts/${id}.json.gz` });
  const text = file.endsWith('.gz') ? gunzipSync(readFileSync(file)).toString('utf8') : readFileSync(file, 'utf8');
  const raw = parseJson(text, file) as Record<string, unknown>;
  let lut: Lut;
  if (raw['format'] === 'hwnas-lut/1') {
    const f = raw as unknown as HwnasLutFile;
    const entries = new Map<string, number>();
    for (const [k, v] of Object.entries(f.entries ?? {})) {
      if (typeof v?.latencyMs !== 'number') throw new InputError('schema', 'LUT entry has no latencyMs', { file, path: `/entries/${k}` });
      entries.set(k, v.latencyMs);
    }
    if (typeof f.baseMs !== 'number') throw new InputError('schema', 'LUT has no baseMs', { file, path: '/baseMs' });
    const c = f.calibration;
    if (c !== undefined && !(Number.isFinite(c.offsetMs) && Number.isFinite(c.scale) && c.scale > 0)) {
      throw new InputError('schema', 'LUT calibration needs a finite offsetMs and a positive scale', { file, path: '/calibration' });
    }
    lut = c ? { id, file, format: 'hwnas', entries, baseMs: f.baseMs, calibration: c } : { id, file, format: 'hwnas', entries, baseMs: f.baseMs };
  } else {
    const format = detectFormat(Object.keys(raw));
    if (!format) throw new InputError('schema', 'unknown LUT key format', { file, expected: 'ProxylessNAS, OFA, NSGANetV2 or hwnas-lut/1 keys' });
    const entries = new Map<string, number>();
    for (const [k, v] of Object.entries(raw)) {
      const mean = (v as { mean?: unknown } | null)?.mean;
      if (typeof mean !== 'number' || !Number.isFinite(mean)) throw new InputError('schema', 'LUT entry has no numeric mean', { file, path: `/${k}` });
      entries.set(k, mean);
    }
    lut = { id, file, format, entries, baseMs: 0 };
  }
  cache.set(id, lut);
  return lut;
}

/** Forget loaded LUTs (after `hwnas profile` rewrote one). */
export function clearLutCache(): void {
  cache.clear();
}
