import { spearman } from '../util/spearman.ts';

/** How well predicted latencies match measured ones. */
export interface PredictionAccuracy {
  /** Share (0–1) of models predicted within ±5 % of the measured latency. */
  within5: number;
  /** Share (0–1) within ±10 %. */
  within10: number;
  /** Mean absolute percentage error, in % (mean of |pred − meas| / meas × 100). */
  mape: number;
  /** Spearman's ρ between predicted and measured. */
  spearman: number;
  count: number;
}

/** Accuracy of `predictedMs` against `measuredMs` (paired). */
export function predictionAccuracy(predictedMs: readonly number[], measuredMs: readonly number[]): PredictionAccuracy {
  if (predictedMs.length !== measuredMs.length) throw new Error(`predictionAccuracy: ${predictedMs.length} vs ${measuredMs.length} values`);
  const n = measuredMs.length;
  let w5 = 0;
  let w10 = 0;
  let ape = 0;
  for (let i = 0; i < n; i++) {
    const rel = Math.abs(predictedMs[i]! - measuredMs[i]!) / measuredMs[i]!;
    if (rel <= 0.05) w5++;
    if (rel <= 0.1) w10++;
    ape += rel;
  }
  return { within5: n ? w5 / n : NaN, within10: n ? w10 / n : NaN, mape: n ? (100 * ape) / n : NaN, spearman: spearman(predictedMs, measuredMs), count: n };
}
