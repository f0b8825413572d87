/** Summary of timed runs of one model on one runtime. All times in milliseconds. */
export interface LatencyStats {
  medianMs: number;
  meanMs: number;
  p90Ms: number;
  /** Interquartile range (p75 − p25). */
  iqrMs: number;
  /** Coefficient of variation (standard deviation / mean). */
  cv: number;
  /** Number of timed runs. */
  samples: number;
}

/** Linear-interpolated quantile (type 7, as numpy's default) of sorted values. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Stats of raw sample times (ms). */
export function summarize(samplesMs: readonly number[]): LatencyStats {
  const s = [...samplesMs].sort((a, b) => a - b);
  const n = s.length;
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(n, 1);
  const variance = n > 1 ? s.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  return {
    medianMs: quantileSorted(s, 0.5),
    meanMs: mean,
    p90Ms: quantileSorted(s, 0.9),
    iqrMs: quantileSorted(s, 0.75) - quantileSorted(s, 0.25),
    cv: mean > 0 ? Math.sqrt(variance) / mean : 0,
    samples: n,
  };
}
