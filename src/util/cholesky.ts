/**
 * Dense Cholesky factorisation A = L·Lᵀ of a small symmetric positive-definite matrix and the
 * solves that go with it (Golub & Van Loan, "Matrix Computations", 4th ed., Alg. 4.2.1). Sized for
 * small systems: the few-sample kernel matrices of the transfer predictor, the normal equations of
 * NNLS (n ≤ a few hundred).
 */

/** Lower-triangular factor of an n × n matrix, row-major. */
export interface Cholesky {
  readonly n: number;
  readonly l: Float64Array;
}

/**
 * Factor `a` (n × n, row-major, symmetric; only the lower triangle is read). Throws when a pivot is
 * not positive, i.e. the matrix is not positive definite to working precision — unless `minPivot`
 * is given: then a pivot below it is raised to it (a regularised factor of a semi-definite matrix).
 */
export function cholesky(a: Float64Array, n: number, minPivot?: number): Cholesky {
  if (a.length !== n * n) throw new Error(`cholesky: ${a.length} entries for a ${n} × ${n} matrix`);
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (minPivot !== undefined) s = Math.max(s, minPivot);
        else if (!(s > 0)) throw new Error(`cholesky: matrix not positive definite (pivot ${i}: ${s})`);
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j]!;
      }
    }
  }
  return { n, l };
}

/** x with A·x = b. */
export function choleskySolve(c: Cholesky, b: ArrayLike<number>): Float64Array {
  const { n, l } = c;
  if (b.length !== n) throw new Error(`choleskySolve: ${b.length} values for n = ${n}`);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * y[k]!;
    y[i] = s / l[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  return x;
}

/** log det A = 2 Σ log Lᵢᵢ. */
export function choleskyLogDet(c: Cholesky): number {
  let s = 0;
  for (let i = 0; i < c.n; i++) s += Math.log(c.l[i * c.n + i]!);
  return 2 * s;
}
