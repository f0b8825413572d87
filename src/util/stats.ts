/**
 * Small statistics for comparing search strategies over seeds and problems: quantiles (median, IQR),
 * mean and standard deviation, the Wilcoxon rank-sum / Mann–Whitney U test (exact permutation
 * distribution for small samples, normal approximation with tie and continuity correction for large
 * ones), and for comparisons over several problems (Demšar 2006) the Friedman test, the Wilcoxon
 * signed-rank test, Holm's correction and the Nemenyi critical difference.
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

/**
 * Mid-ranks (1-based) of `values`: tied values share the mean of the ranks they span. With
 * `best: 'highest'` the largest value gets rank 1 (as when ranking strategies by HV ratio);
 * `best: 'lowest'` ranks ascending. Also returns Σ(t³ − t) over tie groups of size t.
 */
export function midRanks(values: readonly number[], best: 'highest' | 'lowest' = 'lowest'): { ranks: number[]; tieTerm: number } {
  for (const v of values) if (Number.isNaN(v)) throw new Error('midRanks: NaN in the values');
  const order = values.map((_, i) => i).sort((a, b) => (best === 'lowest' ? values[a]! - values[b]! : values[b]! - values[a]!));
  const ranks = new Array<number>(values.length);
  let tieTerm = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]!] === values[order[i]!]) j++;
    for (let k = i; k <= j; k++) ranks[order[k]!] = (i + 1 + j + 1) / 2;
    const t = j - i + 1;
    tieTerm += t ** 3 - t;
    i = j + 1;
  }
  return { ranks, tieTerm };
}

/**
 * ln Γ(x) for x > 0 by the Lanczos approximation (g = 7, 9 coefficients; Numerical Recipes 3rd ed.
 * §6.1; relative error below 1e-15), with the reflection formula below ½.
 */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new Error(`logGamma: x must be positive, got ${x}`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * Regularized upper incomplete gamma function Q(a, x) = Γ(a, x)/Γ(a) (Numerical Recipes 3rd ed.
 * §6.2, Eq. 6.2.5 series for x < a + 1, Eq. 6.2.7 continued fraction by modified Lentz otherwise;
 * relative error about 1e-14). Q(a, 0) = 1.
 */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0)) throw new Error(`regularizedGammaQ: a must be positive, got ${a}`);
  if (Number.isNaN(x) || x < 0) throw new Error(`regularizedGammaQ: x must be ≥ 0, got ${x}`);
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  const lnPre = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    // P(a, x) = e^(−x) x^a / Γ(a + 1) · Σ_n x^n / ((a + 1)…(a + n))
    let ap = a;
    let term = 1 / a;
    let sum = term;
    for (let n = 0; n < 10_000; n++) {
      ap += 1;
      term *= x / ap;
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return Math.max(0, 1 - sum * Math.exp(lnPre));
  }
  // Q(a, x) = e^(−x) x^a / Γ(a) · 1/(x + 1 − a − 1·(1 − a)/(x + 3 − a − 2·(2 − a)/(x + 5 − a − …)))
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(lnPre) * h;
}

/** Upper tail P(X ≥ x) of the χ² distribution with `df` degrees of freedom: Q(df/2, x/2). */
export function chiSquaredSf(x: number, df: number): number {
  if (!(df > 0)) throw new Error(`chiSquaredSf: df must be positive, got ${df}`);
  return x <= 0 ? 1 : regularizedGammaQ(df / 2, x / 2);
}

/** Result of {@link friedmanTest}. */
export interface FriedmanResult {
  /** Blocks (rows, e.g. problems). */
  n: number;
  /** Treatments (columns, e.g. strategies). */
  k: number;
  /** Average rank of each treatment over the blocks (rank 1 = best), in column order. */
  averageRanks: number[];
  /** Friedman's χ² statistic, tie-corrected. */
  chiSquared: number;
  /** Degrees of freedom k − 1. */
  df: number;
  /** p-value of the χ² approximation. */
  p: number;
}

/**
 * Friedman test (Friedman 1937; as in Demšar 2006, "Statistical Comparisons of Classifiers over
 * Multiple Data Sets", JMLR 7, §3.2.2) of k treatments over n blocks: `data[i][j]` is treatment j's
 * value on block i. Within each block treatments are ranked (mid-ranks on ties; rank 1 = best by
 * `best`). With column rank sums R_j,
 *
 *   χ²_F = 12 Σ_j (R_j − n(k+1)/2)² / (n k (k+1) − Σ(t³ − t)/(k − 1)),
 *
 * the tie-corrected statistic of Hollander & Wolfe (R's `friedman.test`; without ties it equals
 * Demšar's Eq. 12 12n/(k(k+1)) [Σ_j R̄_j² − k(k+1)²/4]); p from χ² with k − 1 degrees of freedom.
 */
export function friedmanTest(data: readonly (readonly number[])[], opts: { best?: 'highest' | 'lowest' } = {}): FriedmanResult {
  const n = data.length;
  const k = data[0]?.length ?? 0;
  if (n < 1 || k < 2) throw new Error(`friedmanTest: needs at least 1 block and 2 treatments, got ${n} × ${k}`);
  const sums = new Array<number>(k).fill(0);
  let tieTerm = 0;
  for (const [i, row] of data.entries()) {
    if (row.length !== k) throw new Error(`friedmanTest: block ${i} has ${row.length} values, expected ${k}`);
    const r = midRanks(row, opts.best ?? 'highest');
    r.ranks.forEach((v, j) => (sums[j]! += v));
    tieTerm += r.tieTerm;
  }
  let ss = 0;
  for (const s of sums) ss += (s - (n * (k + 1)) / 2) ** 2;
  const denominator = n * k * (k + 1) - tieTerm / (k - 1);
  const chiSquared = denominator > 0 ? (12 * ss) / denominator : 0;
  return { n, k, averageRanks: sums.map((s) => s / n), chiSquared, df: k - 1, p: denominator > 0 ? chiSquaredSf(chiSquared, k - 1) : 1 };
}

/** Result of {@link signedRankTest}. */
export interface SignedRankResult {
  /** V = W+: the sum of the ranks of |x_i − y_i| over positive differences (zeros dropped). */
  v: number;
  /** Pairs with a non-zero difference (those ranked). */
  n: number;
  p: number;
  method: 'exact' | 'normal';
  /** Standardised statistic (V − E[V]) / √Var[V], without continuity correction. */
  z: number;
}

/** Largest number of non-zero differences for which `auto` uses the exact distribution (as R). */
export const SIGNED_RANK_EXACT_LIMIT = 50;

/**
 * Wilcoxon signed-rank test (Wilcoxon 1945) of paired samples x and y; with the default
 * `alternative: 'two-sided'` H0 "the differences x_i − y_i are symmetric about 0". Zero differences
 * are dropped (Wilcoxon's convention, R's and SciPy's default); |differences| get mid-ranks.
 *
 * Exact (n ≤ {@link SIGNED_RANK_EXACT_LIMIT} non-zero pairs, `auto`): the permutation distribution of
 * V over all 2^n sign assignments of the (mid-)ranks, counted by dynamic programming over doubled
 * ranks — exact with ties too. Normal approximation (Hollander & Wolfe, "Nonparametric Statistical
 * Methods", §3.1): E[V] = n(n+1)/4, Var[V] = n(n+1)(2n+1)/24 − Σ(t³ − t)/48, continuity correction ½.
 * `greater` asks whether x tends to exceed y. With no non-zero difference p = 1.
 */
export function signedRankTest(x: readonly number[], y: readonly number[], opts: { alternative?: Alternative; method?: 'auto' | 'exact' | 'normal'; continuity?: boolean } = {}): SignedRankResult {
  if (x.length !== y.length) throw new Error(`signedRankTest: samples differ in length (${x.length} and ${y.length})`);
  const d: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const di = x[i]! - y[i]!;
    if (Number.isNaN(di)) throw new Error('signedRankTest: NaN in a sample');
    if (di !== 0) d.push(di);
  }
  const alternative = opts.alternative ?? 'two-sided';
  const n = d.length;
  if (n === 0) return { v: 0, n: 0, p: 1, method: 'exact', z: 0 };
  const { ranks, tieTerm } = midRanks(d.map(Math.abs));
  let v = 0;
  d.forEach((di, i) => {
    if (di > 0) v += ranks[i]!;
  });
  const meanV = (n * (n + 1)) / 4;
  const varV = (n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48;
  const z = varV > 0 ? (v - meanV) / Math.sqrt(varV) : 0;
  const method = opts.method === 'exact' || (opts.method !== 'normal' && n <= SIGNED_RANK_EXACT_LIMIT) ? 'exact' : 'normal';
  let p: number;
  if (method === 'exact') {
    // ways[s]: sign assignments whose doubled positive-rank sum is s.
    const r2 = ranks.map((r) => Math.round(2 * r));
    const total = r2.reduce((a, b) => a + b, 0);
    const ways = new Float64Array(total + 1);
    ways[0] = 1;
    let reach = 0;
    for (const r of r2) {
      reach += r;
      for (let s = reach; s >= r; s--) ways[s] = ways[s]! + ways[s - r]!;
    }
    const v2 = Math.round(2 * v);
    let all = 0;
    let upper = 0;
    let lower = 0;
    for (let s = 0; s <= total; s++) {
      all += ways[s]!;
      if (s >= v2) upper += ways[s]!;
      if (s <= v2) lower += ways[s]!;
    }
    upper /= all;
    lower /= all;
    p = alternative === 'greater' ? upper : alternative === 'less' ? lower : Math.min(1, 2 * Math.min(upper, lower));
  } else if (varV <= 0) {
    p = 1;
  } else {
    const cc = opts.continuity === false ? 0 : 0.5;
    const sd = Math.sqrt(varV);
    const dv = v - meanV;
    if (alternative === 'greater') p = normalSf((dv - cc) / sd);
    else if (alternative === 'less') p = normalCdf((dv + cc) / sd);
    else p = Math.min(1, 2 * normalSf((Math.abs(dv) - cc) / sd));
  }
  return { v, n, p: Math.min(1, Math.max(0, p)), method, z };
}

/**
 * Holm's step-down adjustment (Holm 1979, "A simple sequentially rejective multiple test
 * procedure"): with p-values sorted ascending p_(1) ≤ … ≤ p_(m), adjusted p_(i) =
 * max_{j ≤ i} min(1, (m − j + 1) p_(j)); returned in the input order (as R's `p.adjust(p, "holm")`).
 * Rejecting where the adjusted p < α controls the family-wise error rate at α.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[a]! - pValues[b]! || a - b);
  const out = new Array<number>(m);
  let running = 0;
  order.forEach((idx, i) => {
    running = Math.max(running, Math.min(1, (m - i) * pValues[idx]!));
    out[idx] = running;
  });
  return out;
}

/**
 * P(Q ≤ q) of the studentized range Q of k independent standard normals with infinite degrees of
 * freedom: k ∫ φ(z) [Φ(z) − Φ(z − q)]^(k−1) dz (e.g. Hochberg & Tamhane 1987, Eq. 2.6 with ν = ∞),
 * by composite Simpson integration over z ∈ [−9, 9] (absolute error below 1e-9).
 */
export function studentizedRangeCdf(q: number, k: number): number {
  if (!Number.isInteger(k) || k < 2) throw new Error(`studentizedRangeCdf: k must be an integer ≥ 2, got ${k}`);
  if (q <= 0) return 0;
  const steps = 1200;
  const lo = -9;
  const h = 18 / steps;
  let sum = 0;
  for (let i = 0; i <= steps; i++) {
    const z = lo + i * h;
    const f = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI) * (normalCdf(z) - normalCdf(z - q)) ** (k - 1);
    sum += f * (i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2);
  }
  return Math.min(1, k * sum * (h / 3));
}

/** Quantile of {@link studentizedRangeCdf}: the q with P(Q ≤ q) = prob (bisection to 1e-9). */
export function studentizedRangeQuantile(prob: number, k: number): number {
  if (!(prob > 0 && prob < 1)) throw new Error(`studentizedRangeQuantile: prob must be in (0, 1), got ${prob}`);
  let lo = 0;
  let hi = 20;
  while (hi - lo > 1e-9) {
    const mid = (lo + hi) / 2;
    if (studentizedRangeCdf(mid, k) < prob) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Result of {@link nemenyiCriticalDifference}. */
export interface CriticalDifference {
  /** Demšar's q_α: the studentized range quantile at 1 − α for k groups and ν = ∞, divided by √2. */
  qAlpha: number;
  /** Critical difference of average ranks: q_α √(k(k+1)/(6n)). */
  cd: number;
}

/**
 * Critical difference of the Nemenyi post-hoc test after a Friedman test (Demšar 2006, §3.2.2,
 * Eq. 14 and Table 5a): two of k treatments compared over n blocks differ significantly at level α
 * when their average ranks differ by at least CD = q_α √(k(k+1)/(6n)).
 */
export function nemenyiCriticalDifference(k: number, n: number, alpha = 0.05): CriticalDifference {
  if (!(n >= 1)) throw new Error(`nemenyiCriticalDifference: n must be ≥ 1, got ${n}`);
  const qAlpha = studentizedRangeQuantile(1 - alpha, k) / Math.SQRT2;
  return { qAlpha, cd: qAlpha * Math.sqrt((k * (k + 1)) / (6 * n)) };
}
