import { pearson } from '../util/spearman.ts';
import { cholesky, choleskyLogDet, choleskySolve } from '../util/cholesky.ts';

/**
 * Transfer latency predictor: a new device is described by N measured architectures only; the
 * complete latency tables of other devices over the same architectures are prior knowledge. HELP
 * (Lee et al., NeurIPS 2021) meta-learns a device embedding for this; we use the other devices'
 * tables directly, as an empirical prior of how latency varies across devices (a multi-task
 * Gaussian process whose covariance is estimated from the source devices instead of learned).
 *
 * Model of the target's log latency z = ln y at architecture a (one row of the tables):
 *
 *   z(a) = β₀ + β₁·m_w(a) + f(a) + ε,   f ~ GP(0, s²·[τ·C_w(a,b) + τ_op·O(a,b)]),   ε ~ N(0, s²σ²)
 *
 * - u_k(a): source k's log latency, standardised over all rows (mean 0, sd 1);
 * - w = softmax(η·ρ): source weights from ρ_k, the Pearson correlation of u_k with z on the N
 *   samples (η = 0 treats every source alike; a large η leans on the best-matching sources);
 * - m_w = Σ_k w_k u_k (the expected shape) and C_w(a,b) = Σ_k w_k (u_k(a) − m_w(a))(u_k(b) − m_w(b)),
 *   the weighted covariance across devices: how devices deviate from that shape;
 * - O(a,b) = φ(a)·φ(b) / mean‖φ‖², φ the architecture's op counts centred over the rows: a per-op
 *   correction for what no source device shows (the layer-wise view of BRP-NAS / HELP's baselines);
 * - s² the sample variance of z, so τ, τ_op and σ² are fractions of the target's own spread.
 *
 * β has a flat prior and is estimated by generalised least squares; the GP posterior mean gives the
 * rest (Rasmussen & Williams, "Gaussian Processes for Machine Learning", 2006, §2.7, eqs. 2.41–2.42).
 * η is not fixed: the fits for every η of a small grid are averaged with weights ∝ their restricted
 * marginal likelihood (R&W eq. 2.45 without constants; Bayesian model averaging over η). Every fit is
 * linear in the sources and op counts, so the average is too:
 *
 *   ẑ(a) = b₀ + Σ_k c_k·u_k(a) + Σ_j d_j·φ_j(a),   predicted latency = exp ẑ(a).
 *
 * Defaults (τ = 1, τ_op = 0.1, σ² = 0.2, η ∈ {0, 3, 10, 20, 50, 100}) were chosen on devices outside
 * HELP's test set, with those devices also left out of the priors (scripts/transfer-tuning.ts,
 * docs/latency-prediction.md).
 */

/** Op-count features of every row, centred, dense row-major. */
export interface OpFeatureMatrix {
  readonly names: readonly string[];
  readonly rows: number;
  /** rows × names.length, each column centred over the rows. */
  readonly values: Float64Array;
  /** Column means (the centring). */
  readonly means: Float64Array;
  /** Mean squared norm of a centred row (1 if all rows are equal). */
  readonly meanSquaredNorm: number;
}

/** Dense centred matrix of per-row feature maps (missing feature = 0). */
export function opFeatureMatrix(features: readonly ReadonlyMap<string, number>[]): OpFeatureMatrix {
  const names = [...new Set(features.flatMap((f) => [...f.keys()]))].sort();
  const d = names.length;
  const col = new Map(names.map((n, j) => [n, j]));
  const rows = features.length;
  const values = new Float64Array(rows * d);
  features.forEach((f, r) => {
    for (const [k, v] of f) values[r * d + col.get(k)!] = v;
  });
  const means = new Float64Array(d);
  for (let r = 0; r < rows; r++) for (let j = 0; j < d; j++) means[j]! += values[r * d + j]! / rows;
  let sq = 0;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < d; j++) {
      const v = values[r * d + j]! - means[j]!;
      values[r * d + j] = v;
      sq += v * v;
    }
  }
  return { names, rows, values, means, meanSquaredNorm: rows > 0 && sq > 0 ? sq / rows : 1 };
}

/** One source device: its latency (ms) of every row. */
export interface SourceDevice {
  readonly name: string;
  readonly latencyMs: ArrayLike<number>;
}

const standardised = new WeakMap<object, Float64Array | null>();

/** ln latency standardised over the rows; `null` when constant (it carries no shape). */
function standardisedLog(col: ArrayLike<number>, name: string): Float64Array | null {
  const hit = standardised.get(col);
  if (hit !== undefined) return hit;
  const n = col.length;
  const z = new Float64Array(n);
  let mean = 0;
  for (let i = 0; i < n; i++) {
    const v = col[i]!;
    if (!(v > 0) || !Number.isFinite(v)) throw new Error(`source ${name}: latency of row ${i} is ${v}; a transfer prior needs positive latencies`);
    z[i] = Math.log(v);
    mean += z[i]! / n;
  }
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (z[i]! - mean) ** 2;
  const sd = Math.sqrt(ss / n);
  let out: Float64Array | null = null;
  if (sd > 0) {
    for (let i = 0; i < n; i++) z[i] = (z[i]! - mean) / sd;
    out = z;
  }
  standardised.set(col, out);
  return out;
}

/**
 * What the transfer predictor knows before it sees the target: the source devices' latencies of
 * every row and, optionally, every row's op counts. Rows are architectures (e.g. the 15,625 cells of
 * NAS-Bench-201); the target's samples are given by row.
 */
export class TransferPrior {
  /** Sources used (a constant column carries no information and is left out). */
  readonly sources: readonly string[];
  readonly rows: number;
  /** Standardised log latency per used source. */
  readonly columns: readonly Float64Array[];

  constructor(sources: readonly SourceDevice[], readonly ops?: OpFeatureMatrix) {
    if (sources.length === 0) throw new Error('TransferPrior: no source devices');
    const rows = sources[0]!.latencyMs.length;
    const names: string[] = [];
    const cols: Float64Array[] = [];
    for (const s of sources) {
      if (s.latencyMs.length !== rows) throw new Error(`TransferPrior: source ${s.name} has ${s.latencyMs.length} rows, expected ${rows}`);
      const z = standardisedLog(s.latencyMs, s.name);
      if (z) {
        names.push(s.name);
        cols.push(z);
      }
    }
    if (cols.length === 0) throw new Error('TransferPrior: every source column is constant');
    if (ops && ops.rows !== rows) throw new Error(`TransferPrior: op features have ${ops.rows} rows, sources ${rows}`);
    this.sources = names;
    this.columns = cols;
    this.rows = rows;
  }
}

export interface TransferOptions {
  /** Prior variance of the source-covariance part, as a fraction of the samples' variance. @defaultValue 1 */
  sourceVariance?: number;
  /** Grid of prior variances of the op-count part (0 switches it off), averaged by marginal likelihood with η. @defaultValue [0.1] */
  opVariances?: readonly number[];
  /** Noise variance (measurement noise and what neither part explains). @defaultValue 0.2 */
  noiseVariance?: number;
  /** Grid of source-weight sharpness η, averaged by marginal likelihood. @defaultValue [0, 3, 10, 20, 50, 100] */
  etas?: readonly number[];
}

/** A measured sample of the target: table row and latency (ms). */
export interface TransferSample {
  readonly row: number;
  readonly latencyMs: number;
}

/** The fitted predictor: ln latency = intercept + Σ sourceCoefficients·u + Σ opCoefficients·op count. */
export interface TransferModel {
  readonly intercept: number;
  /** Coefficient c_k of each source's standardised log latency. */
  readonly sourceCoefficients: ReadonlyMap<string, number>;
  /** Coefficient d_j of each op count (uncentred; the centring is folded into the intercept). */
  readonly opCoefficients: ReadonlyMap<string, number>;
  /** Posterior weight of each hyperparameter setting of the grid. */
  readonly gridWeights: readonly { eta: number; opVariance: number; weight: number }[];
  readonly samples: number;
  /** Predicted latency (ms) of one row. */
  predictRowMs(row: number): number;
  /** Predicted latency (ms) of every row. */
  predictAllMs(): Float64Array;
}

interface SingleFit {
  reml: number;
  intercept: number;
  c: Float64Array;
  d: Float64Array;
}

/** Fit the transfer predictor to the target's samples (at least 3). */
export function fitTransfer(prior: TransferPrior, samples: readonly TransferSample[], options: TransferOptions = {}): TransferModel {
  const tau = options.sourceVariance ?? 1;
  const tauOps = prior.ops ? (options.opVariances ?? [0.1]) : [0];
  const noise = options.noiseVariance ?? 0.2;
  const etas = options.etas ?? [0, 3, 10, 20, 50, 100];
  if (samples.length < 3) throw new Error(`fitTransfer: needs at least 3 samples, got ${samples.length}`);
  if (etas.length === 0 || tauOps.length === 0) throw new Error('fitTransfer: empty hyperparameter grid');
  if (!(noise > 0)) throw new Error(`fitTransfer: noise variance must be > 0, got ${noise}`);
  for (const s of samples) {
    if (!Number.isInteger(s.row) || s.row < 0 || s.row >= prior.rows) throw new Error(`fitTransfer: sample row ${s.row} outside [0, ${prior.rows})`);
    if (!(s.latencyMs > 0) || !Number.isFinite(s.latencyMs)) throw new Error(`fitTransfer: sample latency ${s.latencyMs} ms of row ${s.row} is not positive`);
  }
  const n = samples.length;
  const K = prior.columns.length;
  const rows = samples.map((s) => s.row);
  const z = samples.map((s) => Math.log(s.latencyMs));
  const zMean = z.reduce((a, b) => a + b, 0) / n;
  const zVar = z.reduce((a, b) => a + (b - zMean) ** 2, 0) / (n - 1);
  const s2 = zVar > 0 ? zVar : 1;
  // u[k][i]: source k at sample i.
  const u = prior.columns.map((col) => Float64Array.from(rows, (r) => col[r]!));
  const rho = u.map((col) => {
    const r = pearson(Array.from(col), z);
    return Number.isFinite(r) ? r : 0;
  });
  // Op kernel between samples, per unit of τ_op (independent of η).
  const ops = prior.ops;
  const dOps = ops ? ops.names.length : 0;
  const opGram = new Float64Array(n * n);
  if (ops) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let t = 0; t < dOps; t++) s += ops.values[rows[i]! * dOps + t]! * ops.values[rows[j]! * dOps + t]!;
        opGram[i * n + j] = opGram[j * n + i] = (s2 * s) / ops.meanSquaredNorm;
      }
    }
  }

  const fitOne = (eta: number, tauOp: number): SingleFit => {
    const best = Math.max(...rho);
    const w = rho.map((r) => Math.exp(eta * (r - best)));
    const wSum = w.reduce((a, b) => a + b, 0);
    for (let k = 0; k < K; k++) w[k]! /= wSum;
    const m = new Float64Array(n);
    for (let k = 0; k < K; k++) for (let i = 0; i < n; i++) m[i]! += w[k]! * u[k]![i]!;
    const kmat = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += w[k]! * (u[k]![i]! - m[i]!) * (u[k]![j]! - m[j]!);
        const v = s2 * tau * s + tauOp * opGram[i * n + j]! + (i === j ? s2 * noise : 0);
        kmat[i * n + j] = kmat[j * n + i] = v;
      }
    }
    const ch = cholesky(kmat, n);
    // GLS for β with basis h(a) = [1, m_w(a)] (R&W eq. 2.42): β = (H K⁻¹ Hᵀ)⁻¹ H K⁻¹ z.
    const kiOne = choleskySolve(ch, new Float64Array(n).fill(1));
    const kiM = choleskySolve(ch, m);
    const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
      let s = 0;
      for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
      return s;
    };
    const a11 = dot(kiOne, new Float64Array(n).fill(1));
    const a12 = dot(kiOne, m);
    const a22 = dot(kiM, m) + 1e-12 * (1 + Math.abs(dot(kiM, m)));
    const b1 = dot(kiOne, z);
    const b2 = dot(kiM, z);
    const det = a11 * a22 - a12 * a12;
    const beta0 = (a22 * b1 - a12 * b2) / det;
    const beta1 = (a11 * b2 - a12 * b1) / det;
    const resid = z.map((v, i) => v - beta0 - beta1 * m[i]!);
    const alpha = choleskySolve(ch, resid);
    const reml = -0.5 * dot(resid, alpha) - 0.5 * choleskyLogDet(ch) - 0.5 * Math.log(Math.max(det, 1e-300));
    // Posterior mean as coefficients (module comment): c_k = w_k (β₁ + s²τ (g_k − ḡ)), d = s² τ_op h / ν.
    const g = u.map((col) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += alpha[i]! * (col[i]! - m[i]!);
      return s;
    });
    const gBar = g.reduce((s, v, k) => s + w[k]! * v, 0);
    const c = Float64Array.from(g, (gk, k) => w[k]! * (beta1 + s2 * tau * (gk - gBar)));
    const d = new Float64Array(dOps);
    let intercept = beta0;
    if (ops && tauOp > 0) {
      for (let t = 0; t < dOps; t++) {
        let h = 0;
        for (let i = 0; i < n; i++) h += alpha[i]! * ops.values[rows[i]! * dOps + t]!;
        d[t] = (s2 * tauOp * h) / ops.meanSquaredNorm;
        intercept -= d[t]! * ops.means[t]!;
      }
    }
    return { reml, intercept, c, d };
  };

  const grid = etas.flatMap((eta) => tauOps.map((opVariance) => ({ eta, opVariance })));
  const fits = grid.map((h) => fitOne(h.eta, h.opVariance));
  const top = Math.max(...fits.map((f) => f.reml));
  const weights = fits.map((f) => Math.exp(f.reml - top));
  const total = weights.reduce((a, b) => a + b, 0);
  const intercept = fits.reduce((s, f, i) => s + (weights[i]! / total) * f.intercept, 0);
  const c = new Float64Array(K);
  const d = new Float64Array(dOps);
  fits.forEach((f, i) => {
    const p = weights[i]! / total;
    for (let k = 0; k < K; k++) c[k]! += p * f.c[k]!;
    for (let t = 0; t < dOps; t++) d[t]! += p * f.d[t]!;
  });
  return new LinearTransferModel(prior, intercept, c, d, grid.map((h, i) => ({ ...h, weight: weights[i]! / total })), n);
}

class LinearTransferModel implements TransferModel {
  readonly sourceCoefficients: ReadonlyMap<string, number>;
  readonly opCoefficients: ReadonlyMap<string, number>;

  constructor(
    private readonly prior: TransferPrior,
    readonly intercept: number,
    private readonly c: Float64Array,
    private readonly d: Float64Array,
    readonly gridWeights: readonly { eta: number; opVariance: number; weight: number }[],
    readonly samples: number,
  ) {
    this.sourceCoefficients = new Map(prior.sources.map((s, k) => [s, c[k]!]));
    this.opCoefficients = new Map((prior.ops?.names ?? []).map((s, t) => [s, d[t]!]));
  }

  predictRowMs(row: number): number {
    if (!Number.isInteger(row) || row < 0 || row >= this.prior.rows) throw new Error(`predictRowMs: row ${row} outside [0, ${this.prior.rows})`);
    let v = this.intercept;
    const cols = this.prior.columns;
    for (let k = 0; k < cols.length; k++) v += this.c[k]! * cols[k]![row]!;
    const ops = this.prior.ops;
    if (ops) {
      const dOps = ops.names.length;
      for (let t = 0; t < dOps; t++) v += this.d[t]! * (ops.values[row * dOps + t]! + ops.means[t]!);
    }
    return Math.exp(v);
  }

  predictAllMs(): Float64Array {
    const rows = this.prior.rows;
    const z = new Float64Array(rows).fill(this.intercept);
    this.prior.columns.forEach((col, k) => {
      const ck = this.c[k]!;
      if (ck !== 0) for (let r = 0; r < rows; r++) z[r]! += ck * col[r]!;
    });
    const ops = this.prior.ops;
    if (ops) {
      const dOps = ops.names.length;
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let t = 0; t < dOps; t++) s += this.d[t]! * (ops.values[r * dOps + t]! + ops.means[t]!);
        z[r]! += s;
      }
    }
    for (let r = 0; r < rows; r++) z[r] = Math.exp(z[r]!);
    return z;
  }
}
