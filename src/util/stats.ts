/**
 * Small statistics for comparing search strategies over seeds: quantiles (median, IQR), mean and
 * standard deviation, and the Wilcoxon rank-sum / Mann–Whitney U test (exact permutation distribution
 * for small samples, normal approximation with tie and continuity correction for large ones).
 */

/**
 * Sample quantile by linear interpolation between order statistics (Hyndman & Fan 1996, "Sample
 * quantiles in statistical packages", definition 7; R's and NumPy's default):
 * Q(p) = x_(⌊h⌋) + (h − ⌊h⌋)(x_(⌊h⌋+1) − x_(⌊h⌋)) with h = (n − 1)p on the sorted, 0-based sample.
 * NaN for an empty sample.
 */
export function quantile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 1)) throw new Error(`quantile: p must be in [0, 1], got ${p}`);
  if (values.length === 0) return NaN;
  const s = values.slice().sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

/** Median (the 0.5 {@link quantile}). */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** First and third quartiles and their difference (interquartile range), by {@link quantile}. */
export function quartiles(values: readonly number[]): { q1: number; median: number; q3: number; iqr: number } {
  const q1 = quantile(values, 0.25);
  const q3 = quantile(values, 0.75);
  return { q1, median: median(values), q3, iqr: q3 - q1 };
}

/** Arithmetic mean; NaN for an empty sample. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Sample standard deviation (divisor n − 1, as papers report "mean ± std" over seeds); NaN when n < 2. */
export function sampleStd(values: readonly number[]): number {
  if (values.length < 2) return NaN;
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) ** 2;
  return Math.sqrt(ss / (values.length - 1));
}

/** Which way the rank-sum test looks: `greater` asks whether x tends to be larger than y. */
export type Alternative = 'greater' | 'less' | 'two-sided';

/** Result of {@link rankSumTest}. */
export interface RankSumResult {
  /** Mann–Whitney U of the first sample: #{(i, j): x_i > y_j} + ½ #{x_i = y_j}. */
  u: number;
  /** Wilcoxon rank-sum W of the first sample (sum of its mid-ranks in the pooled sample). */
  w: number;
  /** p-value for the chosen alternative. */
  p: number;
  /** How p was computed. */
  method: 'exact' | 'normal';
  /** Standardised statistic of the normal approximation (also given for the exact method). */
  z: number;
}

/** Options of {@link rankSumTest}. */
export interface RankSumOptions {
  /** @defaultValue 'greater' */
  alternative?: Alternative;
  /**
   * `exact`: the permutation distribution of the rank sum (all C(n1+n2, n1) splits equally likely,
   * mid-ranks kept, so it is exact with ties too); `normal`: the normal approximation; `auto`: exact
   * when n1 + n2 ≤ {@link EXACT_LIMIT}. @defaultValue 'auto'
   */
  method?: 'auto' | 'exact' | 'normal';
  /** Continuity correction of ½ in the normal approximation (as R's `wilcox.test`). @defaultValue true */
  continuity?: boolean;
}

/** Largest pooled sample size for which `auto` uses the exact distribution. */
export const EXACT_LIMIT = 60;

/**
 * Wilcoxon rank-sum test, equivalently the Mann–Whitney U test (Wilcoxon 1945; Mann & Whitney 1947),
 * of samples x and y. With the default `alternative: 'greater'` it tests H0 "x and y come from the same
 * distribution" against "x is stochastically larger than y" (one-sided).
 *
 * Ranks: pooled sample sorted, tied values get the mean of their ranks (mid-ranks). W = Σ ranks of x,
 * U = W − n1(n1+1)/2.
 *
 * Normal approximation (e.g. Hollander, Wolfe & Chicken, "Nonparametric Statistical Methods", 3rd ed.,
 * §4.1, Eq. 4.8 with the tie-corrected variance): E[U] = n1n2/2,
 * Var[U] = n1n2/12 · ((n+1) − Σ_g (t_g³ − t_g) / (n(n−1))), n = n1 + n2, t_g the size of tie group g;
 * z = (U − E[U] ∓ ½)/√Var[U] with the continuity correction towards the mean.
 *
 * Exact: the null distribution of W over all C(n, n1) equally likely assignments of the pooled
 * (mid-)ranks to x, counted by dynamic programming over doubled ranks (integers); p = P(W ≥ w_obs) for
 * `greater`, P(W ≤ w_obs) for `less`, and min(1, 2·min of both) for `two-sided`.
 *
 * @param x first sample (e.g. HV ratios of a strategy over seeds)
 * @param y second sample (e.g. those of random search)
 */
export function rankSumTest(x: readonly number[], y: readonly number[], opts: RankSumOptions = {}): RankSumResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new Error(`rankSumTest: empty sample (${n1} and ${n2} values)`);
  for (const v of [...x, ...y]) if (Number.isNaN(v)) throw new Error('rankSumTest: NaN in a sample');
  const alternative = opts.alternative ?? 'greater';
  const n = n1 + n2;
  const pooled = [...x.map((v) => ({ v, fromX: true })), ...y.map((v) => ({ v, fromX: false }))].sort((a, b) => a.v - b.v);
  // Doubled mid-ranks (integers): a tie group over 1-based positions i..j has rank (i + j)/2.
  const rank2 = new Array<number>(n);
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && pooled[j + 1]!.v === pooled[i]!.v) j++;
    for (let k = i; k <= j; k++) rank2[k] = i + 1 + (j + 1);
    const t = j - i + 1;
    tieTerm += t ** 3 - t;
    i = j + 1;
  }
  let w2 = 0;
  pooled.forEach((p, k) => {
    if (p.fromX) w2 += rank2[k]!;
  });
  const w = w2 / 2;
  const u = w - (n1 * (n1 + 1)) / 2;
  const meanU = (n1 * n2) / 2;
  const varU = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const zRaw = varU > 0 ? (u - meanU) / Math.sqrt(varU) : 0;
  const method = opts.method === 'exact' || (opts.method !== 'normal' && n <= EXACT_LIMIT) ? 'exact' : 'normal';
  let p: number;
  if (method === 'exact') {
    const { upper, lower } = exactTails(rank2, n1, w2);
    p = alternative === 'greater' ? upper : alternative === 'less' ? lower : Math.min(1, 2 * Math.min(upper, lower));
  } else if (varU <= 0) {
    p = 1; // every value equal: no evidence either way
  } else {
    const cc = opts.continuity === false ? 0 : 0.5;
    const sd = Math.sqrt(varU);
    const d = u - meanU;
    if (alternative === 'greater') p = normalSf((d - cc) / sd);
    else if (alternative === 'less') p = normalCdf((d + cc) / sd);
    else p = Math.min(1, 2 * normalSf((Math.abs(d) - cc) / sd));
  }
  return { u, w, p: Math.min(1, Math.max(0, p)), method, z: zRaw };
}

/** P(W2 ≥ w2) and P(W2 ≤ w2) under the permutation null, W2 = doubled rank sum of n1 of the n ranks. */
function exactTails(rank2: readonly number[], n1: number, w2: number): { upper: number; lower: number } {
  const total = rank2.reduce((a, b) => a + b, 0);
  // ways[k][s]: number of k-subsets of the ranks seen so far with doubled sum s (counts as doubles:
  // C(60, 30) ≈ 1.2e17 is still exact to 16 digits relative, ample for a p-value).
  const ways: Float64Array[] = [];
  for (let k = 0; k <= n1; k++) ways.push(new Float64Array(total + 1));
  ways[0]![0] = 1;
  let reach = 0;
  for (const r of rank2) {
    reach += r;
    for (let k = n1; k >= 1; k--) {
      const to = ways[k]!;
      const from = ways[k - 1]!;
      for (let s = reach; s >= r; s--) {
        const f = from[s - r]!;
        if (f !== 0) to[s] = to[s]! + f;
      }
    }
  }
  const dist = ways[n1]!;
  let all = 0;
  let upper = 0;
  let lower = 0;
  for (let s = 0; s <= total; s++) {
    const c = dist[s]!;
    if (c === 0) continue;
    all += c;
    if (s >= w2) upper += c;
    if (s <= w2) lower += c;
  }
  return { upper: upper / all, lower: lower / all };
}

/** Standard normal CDF Φ(z). */
export function normalCdf(z: number): number {
  return z >= 0 ? 1 - 0.5 * erfc(z / Math.SQRT2) : 0.5 * erfc(-z / Math.SQRT2);
}

/** Standard normal survival function 1 − Φ(z), accurate in the upper tail. */
export function normalSf(z: number): number {
  return normalCdf(-z);
}

/**
 * Complementary error function erfc(x) for x ≥ 0 (negative x by erfc(−x) = 2 − erfc(x)).
 * Small x: the Maclaurin series erf(x) = 2/√π Σ_k (−1)^k x^(2k+1) / (k! (2k+1)) (Abramowitz & Stegun
 * 7.1.5). Large x: the continued fraction erfc(x) = e^(−x²)/√π · 1/(x + ½/(x + 1/(x + 3/2/(x + ...))))
 * (A&S 7.1.14), evaluated by the modified Lentz method. Relative error about 1e-14.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2.5) {
    let term = x;
    let sum = x;
    for (let k = 1; k < 200; k++) {
      term *= (-x * x) / k;
      const add = term / (2 * k + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  if (x > 27) return 0;
  // Lentz for f = x + a1/(x + a2/(x + ...)), a_k = k/2.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}
