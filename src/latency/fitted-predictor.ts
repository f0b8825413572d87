import { nnls } from './nnls.ts';

/**
 * A layer-wise additive latency model fitted from whole-model measurements (as the layer-wise
 * predictors of BRP-NAS, Dudziak et al. NeurIPS 2020, and HELP, Lee et al. NeurIPS 2021, compare
 * against): latency(model) ≈ c₀ + Σ_f count_f(model) · c_f, where f runs over the distinct layer
 * configurations (op × input/output shape × stride, i.e. `SpaceLayer.key`) and optional extra
 * features. The costs c ≥ 0 are fitted by non-negative least squares (Lawson–Hanson, `nnls.ts`), so
 * each is a latency share in ms that can be read like a LUT entry.
 */

/** Feature values of one model: feature name → value (layer key → count). */
export type Features = ReadonlyMap<string, number>;

/** Name of the always-1 intercept feature. */
export const INTERCEPT = '(intercept)';

export interface FittedModel {
  /** Non-negative cost (ms per unit) of each feature seen in training, intercept included. */
  readonly costs: ReadonlyMap<string, number>;
  /** Features seen in training. */
  readonly features: readonly string[];
  /** Root-mean-square training residual (ms). */
  readonly trainRmsMs: number;
}

/** Counts of each key (a model's layer keys → features). */
export function countFeatures(keys: readonly string[]): Map<string, number> {
  const f = new Map<string, number>();
  for (const k of keys) f.set(k, (f.get(k) ?? 0) + 1);
  return f;
}

/** Fit costs to `(features, latencyMs)` pairs by NNLS, with an intercept. */
export function fitAdditive(samples: readonly Features[], latencyMs: readonly number[]): FittedModel {
  if (samples.length !== latencyMs.length) throw new Error(`fitAdditive: ${samples.length} samples, ${latencyMs.length} latencies`);
  if (samples.length === 0) throw new Error('fitAdditive: no samples');
  const names = [INTERCEPT, ...[...new Set(samples.flatMap((s) => [...s.keys()]))].sort()];
  const col = new Map(names.map((n, i) => [n, i]));
  const rows = samples.map((s) => {
    const row = new Float64Array(names.length);
    row[0] = 1;
    for (const [k, v] of s) row[col.get(k)!]! += v;
    return row;
  });
  const { x, residualNorm } = nnls(rows, latencyMs);
  return { costs: new Map(names.map((n, i) => [n, x[i]!])), features: names, trainRmsMs: residualNorm / Math.sqrt(samples.length) };
}

/** Prediction (ms) of a fitted model; features unseen in training cost nothing (listed in `unseen`). */
export function predictAdditive(model: FittedModel, features: Features): { latencyMs: number; unseen: string[] } {
  let total = model.costs.get(INTERCEPT) ?? 0;
  const unseen: string[] = [];
  for (const [k, v] of features) {
    const c = model.costs.get(k);
    if (c === undefined) unseen.push(k);
    else total += c * v;
  }
  return { latencyMs: total, unseen };
}
