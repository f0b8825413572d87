import { normalCdf } from '../../util/stats.ts';
import { normalPdf } from './normal-distribution.ts';

/**
 * Exact expected hypervolume improvement for two objectives (minimisation) under independent normal
 * predictions, in O(k) per candidate (Emmerich, Yang, Deutz, Wang & Fonseca 2016, "A multicriteria
 * generalization of Bayesian global optimization", §3; Yang et al. 2019, Eq. 9 for the 2-D case).
 *
 * With the front y(1..k) sorted by f1 ascending (so f2 descending) and sentinels y1(0) = −∞,
 * y2(0) = r2, y1(k+1) = r1, the region a new point p adds is the union of strips
 * [max(p1, y1(i−1)), y1(i)) × [p2, y2(i−1)), i = 1..k+1, so
 *   HVI(p) = Σ_i (y1(i) − max(p1, y1(i−1)))⁺ · (y2(i−1) − p2)⁺
 * and, p1 and p2 being independent, each term's expectation is the product of two one-dimensional
 * ones: E[(c − p2)⁺] = ψ(c, c) and E[(b − max(p1, a))⁺] = (b − a)Φ((a − μ1)/σ1) + ψ(b, b) − ψ(b, a),
 * with ψ(b, a) = ∫_{−∞}^{a} (b − z) N(z; μ, σ²) dz = (b − μ)Φ((a − μ)/σ) + σφ((a − μ)/σ).
 */
export class Ehvi2d {
  /** f1 of the sorted front with sentinels: x[0] = −∞ … x[k+1] = r1. */
  private readonly x: Float64Array;
  /** f2 of the sorted front with sentinels: y[0] = r2, y[1..k] (y[k+1] unused). */
  private readonly y: Float64Array;

  /**
   * @param front mutually non-dominated points (any order; dominated points and points not
   *   strictly better than `ref` in both objectives are dropped)
   * @param ref reference point
   */
  constructor(front: readonly (readonly number[])[], readonly ref: readonly [number, number]) {
    const pts = front.filter((p) => p[0]! < ref[0] && p[1]! < ref[1]).map((p) => [p[0]!, p[1]!] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const kept: (readonly [number, number])[] = [];
    for (const p of pts) if (kept.length === 0 || p[1] < kept[kept.length - 1]![1]) kept.push(p);
    const k = kept.length;
    this.x = new Float64Array(k + 2);
    this.y = new Float64Array(k + 2);
    this.x[0] = -Infinity;
    this.y[0] = ref[1];
    kept.forEach((p, i) => {
      this.x[i + 1] = p[0];
      this.y[i + 1] = p[1];
    });
    this.x[k + 1] = ref[0];
    this.y[k + 1] = -Infinity;
  }

  /** Hypervolume improvement of a known point (σ = 0). */
  improvement(p1: number, p2: number): number {
    let s = 0;
    for (let i = 1; i < this.x.length; i++) {
      const w = this.x[i]! - Math.max(p1, this.x[i - 1]!);
      const h = this.y[i - 1]! - p2;
      if (w > 0 && h > 0) s += w * h;
    }
    return s;
  }

  /** E[HVI] of a point with independent predictions N(μ1, σ1²), N(μ2, σ2²). */
  expected(mu1: number, sd1: number, mu2: number, sd2: number): number {
    if (!(sd1 > 0) || !(sd2 > 0)) return this.improvement(mu1, mu2);
    let s = 0;
    const n = this.x.length;
    for (let i = 1; i < n; i++) {
      const b = this.x[i]!;
      const a = this.x[i - 1]!;
      const c = this.y[i - 1]!;
      // Terms vanish where p2 ≥ c almost surely or p1 ≥ b almost surely.
      const e2 = psi(c, c, mu2, sd2);
      if (e2 <= 0) continue;
      const e1 = a === -Infinity ? psi(b, b, mu1, sd1) : (b - a) * normalCdf((a - mu1) / sd1) + psi(b, b, mu1, sd1) - psi(b, a, mu1, sd1);
      if (e1 > 0) s += e1 * e2;
    }
    return s;
  }
}

/** ψ(b, a) = ∫_{−∞}^{a} (b − z) N(z; μ, σ²) dz. */
function psi(b: number, a: number, mu: number, sd: number): number {
  const z = (a - mu) / sd;
  return (b - mu) * normalCdf(z) + sd * normalPdf(z);
}
