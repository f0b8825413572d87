/**
 * Sign and natural log of |det A| of a square matrix (row-major, float64), by LU decomposition with
 * partial pivoting: log|det A| = Σ log|u_ii|, sign from the pivots and the u_ii. A singular matrix
 * gives `{ sign: 0, logAbsDet: -Infinity }`.
 */
export function slogdet(a: Float64Array, n: number): { sign: number; logAbsDet: number } {
  const m = Float64Array.from(a);
  let sign = 1;
  let logAbsDet = 0;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i * n + k]!) > Math.abs(m[p * n + k]!)) p = i;
    const pivot = m[p * n + k]!;
    if (pivot === 0) return { sign: 0, logAbsDet: -Infinity };
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = m[k * n + j]!;
        m[k * n + j] = m[p * n + j]!;
        m[p * n + j] = t;
      }
      sign = -sign;
    }
    if (pivot < 0) sign = -sign;
    logAbsDet += Math.log(Math.abs(pivot));
    for (let i = k + 1; i < n; i++) {
      const f = m[i * n + k]! / pivot;
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) m[i * n + j] = m[i * n + j]! - f * m[k * n + j]!;
    }
  }
  return { sign, logAbsDet };
}
