/**
 * Distribution-free confidence interval of a median from order statistics (Conover 1999,
 * "Practical Nonparametric Statistics", §3.2; Hollander, Wolfe & Chicken 2014, §3.6).
 *
 * For n independent values with sorted order x(1) ≤ … ≤ x(n), the number of values below the true
 * median is Binomial(n, ½), so [x(j), x(n−j+1)] covers the median with probability
 * 1 − 2·P(B ≤ j−1), B ~ Binomial(n, ½), whatever the distribution. The interval uses the largest j
 * whose coverage is still at least the confidence asked; with fewer than 6 values no interval reaches
 * 95 % (x(1)..x(5) covers 1 − 2/32 = 93.75 %).
 */

/** P(B ≤ k) for B ~ Binomial(n, ½), summed in log space so that large n does not underflow early. */
export function binomialHalfCdf(n: number, k: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  const logHalfN = -n * Math.LN2;
  let logC = 0; // log C(n, 0)
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    sum += Math.exp(logC + logHalfN);
  }
  return Math.min(1, sum);
}

/** Ranks (1-based) of the interval and its exact coverage. */
export interface MedianCiRanks {
  /** Rank of the lower end, j. */
  lower: number;
  /** Rank of the upper end, n − j + 1. */
  upper: number;
  /** Exact coverage 1 − 2·P(B ≤ j−1). */
  coverage: number;
}

const ranksCache = new Map<string, MedianCiRanks | undefined>();

/**
 * The ranks of the narrowest order-statistic interval with coverage ≥ `confidence`, or undefined
 * when n is too small for any (n < 6 at 95 %).
 */
export function medianCiRanks(n: number, confidence = 0.95): MedianCiRanks | undefined {
  const key = `${n}/${confidence}`;
  if (ranksCache.has(key)) return ranksCache.get(key);
  const alpha = 1 - confidence;
  let found: MedianCiRanks | undefined;
  // P(B ≤ j−1) grows with j: walk up while the two tails stay within alpha.
  let cdf = 0; // P(B ≤ j−1)
  const logHalfN = -n * Math.LN2;
  let logC = 0;
  for (let j = 1; j <= Math.floor((n + 1) / 2); j++) {
    if (j > 1) logC += Math.log(n - (j - 1) + 1) - Math.log(j - 1);
    // cdf before adding the pmf at j−1 is P(B ≤ j−2); add pmf(j−1).
    cdf += Math.exp(logC + logHalfN);
    if (2 * cdf > alpha) break;
    found = { lower: j, upper: n - j + 1, coverage: 1 - 2 * cdf };
  }
  if (ranksCache.size > 10_000) ranksCache.clear();
  ranksCache.set(key, found);
  return found;
}

/** A median with its distribution-free confidence interval. */
export interface MedianCi {
  medianMs: number;
  lowMs: number;
  highMs: number;
  /** Largest distance of an end from the median, as % of the median: the interval lies within ± this. */
  halfWidthPct: number;
  coverage: number;
}

/** Median (type 7) of values and its order-statistic CI; undefined when too few values for one. */
export function medianCi(values: readonly number[], confidence = 0.95): MedianCi | undefined {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  const ranks = medianCiRanks(n, confidence);
  if (!ranks) return undefined;
  const medianMs = n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
  const lowMs = s[ranks.lower - 1]!;
  const highMs = s[ranks.upper - 1]!;
  const halfWidthPct = medianMs > 0 ? (100 * Math.max(medianMs - lowMs, highMs - medianMs)) / medianMs : 0;
  return { medianMs, lowMs, highMs, halfWidthPct, coverage: ranks.coverage };
}
