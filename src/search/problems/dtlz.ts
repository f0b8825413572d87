import { type MooProblem, once } from './moo-problem.ts';

/**
 * DTLZ2 (Deb, Thiele, Laumanns & Zitzler 2002, "Scalable multi-objective optimization test
 * problems", CEC 2002, §4.2), M objectives, n = M + k − 1 variables in [0, 1]:
 *   g = Σ_{i ≥ M} (x_i − ½)²,
 *   f_1 = (1 + g) cos(x_1 π/2) ⋯ cos(x_{M−1} π/2), …, f_M = (1 + g) sin(x_1 π/2).
 * The Pareto front is the unit sphere in the positive orthant (g = 0). With reference point 1.1 in
 * every objective, the dominated region is the box [0, 1.1]^M minus the part of the unit ball inside
 * it, so the front's HV is 1.1^M − V_M/2^M; for M = 3: 1.1³ − π/6.
 */
export function dtlz2(m = 3, n = 12): MooProblem {
  if (m !== 3) throw new Error('dtlz2: only M = 3 has its front hypervolume implemented');
  return {
    id: 'dtlz2',
    summary: `DTLZ2 (M = ${m}, n = ${n}), spherical front`,
    lower: new Array<number>(n).fill(0),
    upper: new Array<number>(n).fill(1),
    objectiveCount: m,
    evaluate(x) {
      let g = 0;
      for (let i = m - 1; i < n; i++) g += (x[i]! - 0.5) ** 2;
      const f = new Array<number>(m);
      for (let j = 0; j < m; j++) {
        let v = 1 + g;
        for (let i = 0; i < m - 1 - j; i++) v *= Math.cos((x[i]! * Math.PI) / 2);
        if (j > 0) v *= Math.sin((x[m - 1 - j]! * Math.PI) / 2);
        f[j] = v;
      }
      return f;
    },
    hypervolumeReference: new Array<number>(m).fill(1.1),
    frontHypervolume: 1.1 ** 3 - Math.PI / 6,
    referenceFront: once(() => sphereLattice(140)),
  };
}

/**
 * Reference set on the unit sphere octant: the Das–Dennis simplex lattice with H divisions (all w ≥ 0
 * with Σw = 1 and w_j ∈ {0, 1/H, …}), each projected radially onto the sphere; H = 140 gives 10,011
 * points.
 */
function sphereLattice(h: number): number[][] {
  const out: number[][] = [];
  for (let a = 0; a <= h; a++) {
    for (let b = 0; b <= h - a; b++) {
      const w = [a / h, b / h, (h - a - b) / h];
      const r = Math.hypot(w[0]!, w[1]!, w[2]!);
      out.push(w.map((v) => v / r));
    }
  }
  return out;
}

/** DTLZ2 with M = 3, n = 12 (k = 10). */
export const dtlz2m3: MooProblem = dtlz2();
