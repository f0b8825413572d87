import { cholesky, choleskySolve } from '../../util/cholesky.ts';

/**
 * Gaussian-process regression on categorical genotypes (Rasmussen & Williams 2006, Alg. 2.1).
 *
 * Kernel: the squared-exponential (RBF) kernel on the one-hot encoding. Two genotypes that differ in
 * h decisions are at squared Euclidean distance 2h in one-hot space, so
 * k(x, x') = exp(−‖x − x'‖² / (2ℓ²)) = exp(−h(x, x') / ℓ²); we store θ = ℓ² ("Hamming lengthscale").
 * Targets are standardised (zero mean, unit variance), the signal variance is 1, and θ and the noise
 * variance σn² are chosen from a small grid by the log marginal likelihood
 * log p(y) = −½ yᵀα − Σ log L_ii − (n/2) log 2π (Eq. 2.30).
 */
export class HammingGp {
  private x: Int32Array = new Int32Array(0);
  private n = 0;
  private chol: Float64Array = new Float64Array(0);
  private alpha: Float64Array = new Float64Array(0);
  private yMean = 0;
  private yStd = 1;
  /** Hamming lengthscale θ = ℓ². */
  theta = 1;
  /** Noise variance σn² (standardised units). */
  noise = 1e-4;

  constructor(private readonly dims: number) {}

  /** Mean of the training targets (standardised target = (y − targetMean) / targetStd). */
  get targetMean(): number {
    return this.yMean;
  }

  /** Standard deviation of the training targets (1 when they are all equal). */
  get targetStd(): number {
    return this.yStd;
  }

  /** Best standardised target among the training points. */
  get bestStandardized(): number {
    let b = Infinity;
    for (let i = 0; i < this.n; i++) {
      const v = this.standardizedTarget(i);
      if (v < b) b = v;
    }
    return b;
  }

  private yStdz: Float64Array = new Float64Array(0);
  private scratch: Float64Array = new Float64Array(0);
  private standardizedTarget(i: number): number {
    return this.yStdz[i]!;
  }

  /**
   * Fit on genotypes `xs` and targets `ys`. With `grid`, (θ, σn²) is re-chosen by marginal likelihood
   * over θ ∈ grid.thetas × σn² ∈ grid.noises; otherwise the current values are kept.
   */
  fit(xs: readonly (readonly number[])[], ys: readonly number[], grid?: { thetas: readonly number[]; noises: readonly number[] }): void {
    const n = xs.length;
    const d = this.dims;
    this.n = n;
    this.x = new Int32Array(n * d);
    xs.forEach((g, i) => {
      for (let j = 0; j < d; j++) this.x[i * d + j] = g[j]!;
    });
    this.standardize(ys);
    const h = new Float64Array(n * n);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < a; b++) {
        let c = 0;
        for (let j = 0; j < d; j++) if (this.x[a * d + j] !== this.x[b * d + j]) c++;
        h[a * n + b] = c;
      }
    }
    const candidates = grid ? grid.thetas.flatMap((t) => grid.noises.map((s) => [t, s] as const)) : [[this.theta, this.noise] as const];
    let bestLml = -Infinity;
    let best: { theta: number; noise: number; chol: Float64Array; alpha: Float64Array } | null = null;
    for (const [theta, noise] of candidates) {
      const r = this.factor(h, theta, noise);
      if (r === null) continue;
      if (r.lml > bestLml || best === null) {
        bestLml = r.lml;
        best = { theta, noise, chol: r.chol, alpha: r.alpha };
      }
    }
    if (best === null) {
      // Numerically singular for every setting: fall back to a large noise, which always factors.
      const r = this.factor(h, this.theta, 1)!;
      best = { theta: this.theta, noise: 1, chol: r.chol, alpha: r.alpha };
    }
    this.theta = best.theta;
    this.noise = best.noise;
    this.chol = best.chol;
    this.alpha = best.alpha;
  }

  /**
   * Replace the targets, keeping inputs, hyperparameters and the Cholesky factor: only α = K⁻¹y is
   * recomputed (O(n²)). The covariance does not depend on y, so this is exact.
   */
  setTargets(ys: readonly number[]): void {
    if (ys.length !== this.n) throw new Error(`HammingGp.setTargets: ${ys.length} targets for ${this.n} points`);
    this.standardize(ys);
    this.alpha = this.solveAlpha(this.chol);
  }

  /**
   * The y-independent part of prediction at many inputs: the cross-covariances k* and the posterior
   * standard deviations (standardised units). Pair with {@link meansStandardized}. The forward
   * substitution L V = K* runs over all inputs at once, row by row of L, so its inner loop is a
   * contiguous axpy over the inputs (about twice as fast as one triangular solve per input).
   */
  prepare(gs: readonly (readonly number[])[]): { readonly cross: Float64Array; readonly sd: Float64Array } {
    const n = this.n;
    const d = this.dims;
    const m = gs.length;
    const x = this.x;
    const L = this.chol;
    // exp(−h/θ) for every possible Hamming distance h = 0..d.
    const invTheta = 1 / this.theta;
    const kernel = Float64Array.from({ length: d + 1 }, (_, h) => Math.exp(-h * invTheta));
    const flat = new Int32Array(m * d);
    gs.forEach((g, c) => {
      for (let j = 0; j < d; j++) flat[c * d + j] = g[j]!;
    });
    // cross: row i holds k(x_i, g_c) for every input c; v: the same layout for V = L⁻¹ K*.
    const cross = new Float64Array(n * m);
    const v = new Float64Array(n * m);
    const vv = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      const row = i * m;
      const xi = i * d;
      for (let c = 0; c < m; c++) {
        let h = 0;
        const gc = c * d;
        for (let j = 0; j < d; j++) if (x[xi + j] !== flat[gc + j]) h++;
        const k = kernel[h]!;
        cross[row + c] = k;
        v[row + c] = k;
      }
      for (let t = 0; t < i; t++) {
        const lit = L[i * n + t]!;
        if (lit === 0) continue;
        const rt = t * m;
        for (let c = 0; c < m; c++) v[row + c] = v[row + c]! - lit * v[rt + c]!;
      }
      const lii = L[i * n + i]!;
      for (let c = 0; c < m; c++) {
        const val = v[row + c]! / lii;
        v[row + c] = val;
        vv[c] = vv[c]! + val * val;
      }
    }
    const sd = Float64Array.from(vv, (q) => Math.sqrt(Math.max(1 - q, 1e-12)));
    return { cross, sd };
  }

  /** Posterior means (standardised units) for inputs {@link prepare}d with the current fit: k*ᵀα. */
  meansStandardized(cross: Float64Array): Float64Array {
    const n = this.n;
    const m = new Float64Array(n === 0 ? 0 : cross.length / n);
    for (let i = 0; i < n; i++) {
      const a = this.alpha[i]!;
      const row = i * m.length;
      for (let c = 0; c < m.length; c++) m[c] = m[c]! + cross[row + c]! * a;
    }
    return m;
  }

  private standardize(ys: readonly number[]): void {
    const n = ys.length;
    let mean = 0;
    for (const y of ys) mean += y;
    mean /= Math.max(n, 1);
    let v = 0;
    for (const y of ys) v += (y - mean) ** 2;
    const std = n > 1 ? Math.sqrt(v / (n - 1)) : 0;
    this.yMean = mean;
    this.yStd = std > 0 ? std : 1;
    this.yStdz = Float64Array.from(ys, (y) => (y - this.yMean) / this.yStd);
  }

  /** α = L⁻ᵀ L⁻¹ y for the standardised targets. */
  private solveAlpha(L: Float64Array): Float64Array {
    return choleskySolve({ n: this.n, l: L }, this.yStdz);
  }

  /** Cholesky of K + σn² I (lower triangle of `h` holds Hamming distances), α and log marginal likelihood. */
  private factor(h: Float64Array, theta: number, noise: number): { chol: Float64Array; alpha: Float64Array; lml: number } | null {
    const n = this.n;
    const k = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) k[i * n + j] = Math.exp(-h[i * n + j]! / theta);
      k[i * n + i] = 1 + noise;
    }
    let L: Float64Array;
    try {
      L = cholesky(k, n).l;
    } catch {
      return null; // not positive definite at this noise level
    }
    const y = this.yStdz;
    const alpha = this.solveAlpha(L);
    let lml = 0;
    for (let i = 0; i < n; i++) lml += -0.5 * y[i]! * alpha[i]! - Math.log(L[i * n + i]!);
    lml -= 0.5 * n * Math.log(2 * Math.PI);
    return { chol: L, alpha, lml };
  }

  /**
   * Posterior mean and standard deviation of the latent function at `g`, in standardised units
   * (Alg. 2.1: μ = k*ᵀα, v = L⁻¹k*, σ² = k(x, x) − vᵀv).
   */
  predictStandardized(g: readonly number[]): { mean: number; sd: number } {
    const n = this.n;
    const d = this.dims;
    const x = this.x;
    const alpha = this.alpha;
    const L = this.chol;
    if (this.scratch.length < n) this.scratch = new Float64Array(n);
    const ks = this.scratch;
    const inv = 1 / this.theta;
    let mean = 0;
    let vv = 0;
    for (let i = 0; i < n; i++) {
      let c = 0;
      const row = i * d;
      for (let j = 0; j < d; j++) if (x[row + j] !== g[j]) c++;
      const k = Math.exp(-c * inv);
      mean += k * alpha[i]!;
      // Forward substitution L v = k*, fused with building k*.
      let s = k;
      const lr = i * n;
      for (let t = 0; t < i; t++) s -= L[lr + t]! * ks[t]!;
      const v = s / L[lr + i]!;
      ks[i] = v;
      vv += v * v;
    }
    return { mean, sd: Math.sqrt(Math.max(1 - vv, 1e-12)) };
  }

  /** Posterior mean and standard deviation in the targets' own units. */
  predict(g: readonly number[]): { mean: number; sd: number } {
    const p = this.predictStandardized(g);
    return { mean: this.yMean + this.yStd * p.mean, sd: this.yStd * p.sd };
  }
}
