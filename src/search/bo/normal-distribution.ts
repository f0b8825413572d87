/**
 * Complementary error function, Chebyshev fit with fractional error < 1.2·10⁻⁷ everywhere
 * (Press et al., Numerical Recipes, 2nd ed., §6.2, `erfcc`).
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF Φ(z) = ½ erfc(−z/√2). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

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
