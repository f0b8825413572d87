/**
 * How far a set of measured latencies can be trusted (docs/latency-protocol.md): how many rows
 * missed the tolerance of their 95 % CI, how many were measured while the reference network had
 * drifted by more than the tolerance, and the one loud line that says so in the terminal and at the
 * top of the report.
 */

/** What a measured row says about its timing (the `ciHalfWidthPct` metric, the `referenceDriftPct` fact). */
export interface TimedRow {
  ciHalfWidthPct: number;
  /** Absent in rows measured before the reference network existed. */
  referenceDriftPct?: number;
}

export interface TimingQuality {
  device: string;
  tolerancePct: number;
  /** Rows with a CI (measured rows). */
  measured: number;
  /** Rows whose CI is wider than ±tolerance. */
  missedTolerance: number;
  /** Rows measured while the reference had drifted by more than ±tolerance from the run's first batch. */
  drifted: number;
  medianCiHalfWidthPct: number;
  /** Largest |reference drift| of any row, %. */
  maxAbsReferenceDriftPct: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** Quality of measured rows on one device; undefined when none of them was timed (table, LUT devices). */
export function timingQuality(device: string, tolerancePct: number, rows: readonly TimedRow[]): TimingQuality | undefined {
  const timed = rows.filter((r) => Number.isFinite(r.ciHalfWidthPct));
  if (timed.length === 0) return undefined;
  const drift = timed.map((r) => Math.abs(r.referenceDriftPct ?? 0)).filter(Number.isFinite);
  return {
    device, tolerancePct, measured: timed.length,
    missedTolerance: timed.filter((r) => r.ciHalfWidthPct > tolerancePct).length,
    drifted: drift.filter((d) => d > tolerancePct).length,
    medianCiHalfWidthPct: median(timed.map((r) => r.ciHalfWidthPct)),
    maxAbsReferenceDriftPct: drift.reduce((a, b) => Math.max(a, b), 0),
  };
}

/**
 * The timing facts of result rows (`metrics`/`info` as journaled; in a joint search each name has the
 * suffix `@<device>`).
 */
export function timedRows(rows: readonly { metrics: Readonly<Record<string, number>>; info?: Readonly<Record<string, string | number>> | undefined }[], suffix = ''): TimedRow[] {
  return rows.flatMap((r) => {
    const ci = r.metrics[`ciHalfWidthPct${suffix}`];
    if (ci === undefined) return [];
    const d = r.info?.[`referenceDriftPct${suffix}`];
    return [{ ciHalfWidthPct: ci, ...(typeof d === 'number' && { referenceDriftPct: d }) }];
  });
}

/** Whether the timing of these rows is not to be trusted. */
export function timingFlagged(q: TimingQuality | undefined): boolean {
  return q !== undefined && (q.missedTolerance > 0 || q.drifted > 0);
}

const pct = (x: number) => `${Number(x.toFixed(1))}%`;

/** The warning line (without a prefix), or undefined when the timing reached its tolerance. */
export function timingWarningText(q: TimingQuality | undefined): string | undefined {
  if (!q || !timingFlagged(q)) return undefined;
  const parts: string[] = [];
  if (q.missedTolerance > 0) parts.push(`${q.missedTolerance} of ${q.measured} measured rows missed the ±${q.tolerancePct}% tolerance of their 95% CI (median ±${pct(q.medianCiHalfWidthPct)})`);
  if (q.drifted > 0) parts.push(`${q.drifted} of ${q.measured} were measured while the reference network had drifted more than ±${q.tolerancePct}% (up to ${pct(q.maxAbsReferenceDriftPct)})`);
  return `latency on ${q.device} is not trustworthy: ${parts.join('; ')}. The machine was busy or unstable: see docs/latency-protocol.md`;
}

/** Exit code of a run whose timing missed its tolerance under `--strict-timing`. */
export const STRICT_TIMING_EXIT_CODE = 4;
