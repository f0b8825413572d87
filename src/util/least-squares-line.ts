/**
 * Ordinary least-squares line y ≈ intercept + slope · x (Legendre 1805; the normal equations for one
 * regressor). Degenerate input is handled here once: fewer than 2 points or all x equal ⇒ slope NaN,
 * intercept the mean of y (NaN for no points).
 */
export function leastSquaresLine(xs: readonly number[], ys: readonly number[]): { intercept: number; slope: number } {
  const n = Math.min(xs.length, ys.length);
  if (n === 0) return { intercept: NaN, slope: NaN };
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i]!;
    my += ys[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  if (n < 2 || sxx === 0) return { intercept: my, slope: NaN };
  const slope = sxy / sxx;
  return { intercept: my - slope * mx, slope };
}
