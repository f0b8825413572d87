import { quantile } from './stats.ts';
import type { Rng } from './rng.ts';

/**
 * How well one ranking of items agrees with another: Kendall's τ-b, the precision of a top fraction,
 * and percentile bootstrap intervals for any such statistic. Spearman's ρ is in `spearman.ts`.
 */

/**
 * Kendall's τ-b of paired values (Kendall 1945, the tie-corrected form; as scipy.stats.kendalltau):
 * τ_b = (C − D) / √((n₀ − n₁)(n₀ − n₂)), with C and D the concordant and discordant pairs,
 * n₀ = n(n−1)/2, n₁ = Σ t(t−1)/2 over tie groups of `a`, n₂ the same for `b`. Counted in
 * O(n log n) by Knight's method (Knight 1966, "A computer method for calculating Kendall's tau with
 * ungrouped data"): sort by (a, b), count pairs tied in a and in both, then count the swaps a merge
 * sort by b needs (the discordant pairs). NaN when either side is constant or fewer than 2 pairs.
 */
export function kendallTauB(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`kendallTauB: ${a.length} vs ${b.length} values`);
  const n = a.length;
  if (n < 2) return NaN;
  const order = a.map((_, i) => i).sort((i, j) => a[i]! - a[j]! || b[i]! - b[j]!);
  // Pairs tied in a (n1), and tied in both a and b (n3), from runs of the sorted order.
  let n1 = 0;
  let n3 = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && a[order[j + 1]!] === a[order[i]!]) j++;
    const t = j - i + 1;
    n1 += (t * (t - 1)) / 2;
    for (let k = i; k <= j; ) {
      let m = k;
      while (m + 1 <= j && b[order[m + 1]!] === b[order[k]!]) m++;
      const u = m - k + 1;
      n3 += (u * (u - 1)) / 2;
      k = m + 1;
    }
    i = j + 1;
  }
  // Discordant pairs = swaps of a stable merge sort of the b values (in a-order) by b.
  let ys = order.map((i) => b[i]!);
  let tmp = new Array<number>(n);
  let swaps = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (ys[j]! < ys[i]!) {
          swaps += mid - i;
          tmp[k++] = ys[j++]!;
        } else tmp[k++] = ys[i++]!;
      }
      while (i < mid) tmp[k++] = ys[i++]!;
      while (j < hi) tmp[k++] = ys[j++]!;
    }
    [ys, tmp] = [tmp, ys];
  }
  // ys is now sorted by b: pairs tied in b (n2).
  let n2 = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && ys[j + 1] === ys[i]) j++;
    const t = j - i + 1;
    n2 += (t * (t - 1)) / 2;
    i = j + 1;
  }
  const n0 = (n * (n - 1)) / 2;
  // C − D = n0 − n1 − n2 + n3 − 2·D (every pair is concordant, discordant or tied in a or b).
  const cMinusD = n0 - n1 - n2 + n3 - 2 * swaps;
  const denom = Math.sqrt((n0 - n1) * (n0 - n2));
  return denom === 0 ? NaN : cMinusD / denom;
}

/**
 * How many items a top `fraction` holds: ⌈fraction · n⌉, at least 1. @defaultValue fraction 0.1
 */
export function topCount(n: number, fraction = 0.1): number {
  return Math.max(1, Math.ceil(fraction * n - 1e-9));
}

/**
 * Membership weights of the top `m` of `values` (largest first): 1 for items strictly above the
 * cut, 0 below it, and for the tie group straddling the cut the share of places left for it
 * (the expectation over every order of the tied items).
 */
function topWeights(values: readonly number[], m: number): number[] {
  const order = values.map((_, i) => i).sort((i, j) => values[j]! - values[i]!);
  const w = new Array<number>(values.length).fill(0);
  let taken = 0;
  for (let i = 0; i < order.length && taken < m; ) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]!] === values[order[i]!]) j++;
    const group = j - i + 1;
    const share = Math.min(group, m - taken) / group;
    for (let k = i; k <= j; k++) w[order[k]!] = share;
    taken += group * share;
    i = j + 1;
  }
  return w;
}

/**
 * Precision of the top fraction: of the ⌈fraction · n⌉ items ranked highest by `signal`, the share
 * that are also among the ⌈fraction · n⌉ highest by `truth`. Ties at either cut count fractionally
 * (the expected precision when tied items are ordered at random), so the value does not depend on
 * input order. NaN for no items.
 */
export function topPrecision(signal: readonly number[], truth: readonly number[], fraction = 0.1): number {
  if (signal.length !== truth.length) throw new Error(`topPrecision: ${signal.length} vs ${truth.length} values`);
  if (signal.length === 0) return NaN;
  const m = topCount(signal.length, fraction);
  const ws = topWeights(signal, m);
  const wt = topWeights(truth, m);
  let hit = 0;
  for (let i = 0; i < ws.length; i++) hit += ws[i]! * wt[i]!;
  return hit / m;
}

/** A two-sided interval. */
export type Interval = [lo: number, hi: number];

/**
 * Percentile bootstrap intervals (Efron & Tibshirani 1993, "An Introduction to the Bootstrap",
 * §13.3) of statistics of n paired items: `resamples` times draw n item indices with replacement
 * from `rng` and evaluate `statistics(indices)`; interval k is the (1 − level)/2 and (1 + level)/2
 * quantiles of the finite values of statistic k (a resample with a constant side gives NaN and is
 * left out). Every statistic sees the same resamples, and the same rng state gives the same
 * resamples. [NaN, NaN] for a statistic that no resample gives a finite value.
 */
export function bootstrapIntervals(n: number, statistics: (indices: readonly number[]) => readonly number[], rng: Rng, resamples = 1000, level = 0.95): Interval[] {
  if (!(level > 0 && level < 1)) throw new Error(`bootstrapIntervals: level must be in (0, 1), got ${level}`);
  if (!Number.isSafeInteger(resamples) || resamples < 1) throw new Error(`bootstrapIntervals: resamples must be a positive integer, got ${resamples}`);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`bootstrapIntervals: needs at least one item, got ${n}`);
  const values: number[][] = [];
  const idx = new Array<number>(n);
  for (let r = 0; r < resamples; r++) {
    for (let k = 0; k < n; k++) idx[k] = rng.int(n);
    statistics(idx).forEach((v, k) => {
      values[k] ??= [];
      if (Number.isFinite(v)) values[k]!.push(v);
    });
  }
  return values.map((vs): Interval => (vs.length === 0 ? [NaN, NaN] : [quantile(vs, (1 - level) / 2), quantile(vs, (1 + level) / 2)]));
}

/** {@link bootstrapIntervals} of one statistic. */
export function bootstrapInterval(n: number, statistic: (indices: readonly number[]) => number, rng: Rng, resamples = 1000, level = 0.95): Interval {
  return bootstrapIntervals(n, (idx) => [statistic(idx)], rng, resamples, level)[0]!;
}

/** `xs` at `indices` (a bootstrap resample). */
export function pick(xs: readonly number[], indices: readonly number[]): number[] {
  return indices.map((i) => xs[i]!);
}
