import { normalCdf } from '../../util/stats.ts';

/** Standard normal density φ(z). */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/**
 * Expected improvement for minimisation (Jones, Schonlau & Welch 1998, Eq. 15):
 * EI = (y* − μ) Φ(z) + σ φ(z), z = (y* − μ)/σ; with σ = 0 it is max(y* − μ, 0).
 */
export function expectedImprovement(mean: number, sd: number, best: number): number {
  const d = best - mean;
  if (!(sd > 0)) return Math.max(d, 0);
  const z = d / sd;
  return d * normalCdf(z) + sd * normalPdf(z);
}

/**
 * Inverse of the standard normal CDF, Φ⁻¹(p) for p in (0, 1), by Acklam's rational approximation
 * (relative error < 1.15·10⁻⁹; P. J. Acklam 2003, "An algorithm for computing the inverse normal
 * cumulative distribution function").
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`normalQuantile needs p in (0, 1), got ${p}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo || p > 1 - lo) {
    const q = Math.sqrt(-2 * Math.log(p < lo ? p : 1 - p));
    const x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
    return p < lo ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}
