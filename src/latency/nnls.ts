/**
 * Non-negative least squares: minimise ‖A·x − b‖₂ subject to x ≥ 0, by the active-set method of
 * Lawson & Hanson ("Solving Least Squares Problems", 1974, Ch. 23, Algorithm NNLS).
 *
 * The unconstrained sub-problems on the passive set P are solved through the normal equations
 * (AᵀA)_PP · z = (Aᵀb)_P by Cholesky factorisation, with a ridge of 1e-10 · max diag(AᵀA) added to
 * the diagonal so that collinear columns (e.g. one-hot layer counts plus an intercept) stay
 * solvable; AᵀA and Aᵀb are formed once.
 */

import { cholesky, choleskySolve } from '../util/cholesky.ts';

export interface NnlsResult {
  x: Float64Array;
  /** Residual norm ‖A·x − b‖₂. */
  residualNorm: number;
  /** Outer iterations used. */
  iterations: number;
}

/** Solve `min ‖A x − b‖, x ≥ 0` for `A` given as rows (m × n) and `b` (m). */
export function nnls(rows: readonly (readonly number[] | Float64Array)[], b: readonly number[] | Float64Array, maxIterations?: number): NnlsResult {
  const m = rows.length;
  if (b.length !== m) throw new Error(`nnls: ${m} rows but ${b.length} targets`);
  const n = m === 0 ? 0 : rows[0]!.length;
  const ata = new Float64Array(n * n);
  const atb = new Float64Array(n);
  for (let r = 0; r < m; r++) {
    const row = rows[r]!;
    if (row.length !== n) throw new Error(`nnls: row ${r} has ${row.length} columns, expected ${n}`);
    const br = b[r]!;
    for (let i = 0; i < n; i++) {
      const ai = row[i]!;
      if (ai === 0) continue;
      atb[i]! += ai * br;
      for (let j = i; j < n; j++) ata[i * n + j]! += ai * row[j]!;
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) ata[i * n + j] = ata[j * n + i]!;
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, ata[i * n + i]!);
  const ridge = 1e-10 * (maxDiag || 1);
  const btb = Array.from(b).reduce((s, v) => s + v * v, 0);

  const x = new Float64Array(n);
  const passive = new Uint8Array(n);
  // Gradient w = Aᵀ(b − A x) = Aᵀb − AᵀA x.
  const gradient = (): Float64Array => {
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = atb[i]!;
      for (let j = 0; j < n; j++) if (x[j] !== 0) s -= ata[i * n + j]! * x[j]!;
      w[i] = s;
    }
    return w;
  };
  const scale = Math.sqrt(maxDiag * Math.max(btb, 1e-300));
  const tol = 1e-10 * Math.max(scale, 1e-300);
  const limit = maxIterations ?? 3 * n + 10;
  let it = 0;
  let w = gradient();
  for (; it < limit; it++) {
    let best = -1;
    let bestW = tol;
    for (let j = 0; j < n; j++) if (!passive[j] && w[j]! > bestW) (best = j), (bestW = w[j]!);
    if (best < 0) break;
    passive[best] = 1;
    // Inner loop (Lawson–Hanson steps 6–11): keep the LS solution on P feasible.
    for (;;) {
      const p = [...passive.keys()].filter((j) => passive[j]);
      const z = solvePassive(ata, atb, n, p, ridge);
      if (p.every((j, k) => z[k]! > 0)) {
        for (const j of p) x[j] = z[p.indexOf(j)]!;
        break;
      }
      let alpha = Infinity;
      p.forEach((j, k) => {
        if (z[k]! <= 0) alpha = Math.min(alpha, x[j]! / (x[j]! - z[k]!));
      });
      p.forEach((j, k) => {
        x[j] = x[j]! + alpha * (z[k]! - x[j]!);
        if (x[j]! <= 1e-15 * (1 + Math.abs(z[k]!))) {
          x[j] = 0;
          passive[j] = 0;
        }
      });
      if (!passive.some((v) => v === 1)) break;
    }
    w = gradient();
  }
  let r2 = 0;
  for (let r = 0; r < m; r++) {
    const row = rows[r]!;
    let s = -b[r]!;
    for (let i = 0; i < n; i++) s += row[i]! * x[i]!;
    r2 += s * s;
  }
  return { x, residualNorm: Math.sqrt(r2), iterations: it };
}

/** Cholesky solve of (AᵀA)_PP z = (Aᵀb)_P (with ridge). */
function solvePassive(ata: Float64Array, atb: Float64Array, n: number, p: readonly number[], ridge: number): Float64Array {
  const k = p.length;
  const sub = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) sub[i * k + j] = ata[p[i]! * n + p[j]!]! + (i === j ? ridge : 0);
  }
  return choleskySolve(cholesky(sub, k, ridge), p.map((i) => atb[i]!));
}
