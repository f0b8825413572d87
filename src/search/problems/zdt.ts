import { nonDominatedSort } from '../../pareto/non-dominated-sort.ts';
import { type MooProblem, once } from './moo-problem.ts';

/**
 * ZDT test problems (Zitzler, Deb & Thiele 2000, "Comparison of multiobjective evolutionary
 * algorithms: empirical results", Evol. Comput. 8(2), Eq. for T1–T3), n = 30 variables in [0, 1]:
 *   f1 = x1,  g = 1 + 9 Σ_{i=2..n} x_i / (n − 1),  f2 = g · h(f1, g)
 *   ZDT1: h = 1 − √(f1/g)                      (convex front f2 = 1 − √f1)
 *   ZDT2: h = 1 − (f1/g)²                      (concave front f2 = 1 − f1²)
 *   ZDT3: h = 1 − √(f1/g) − (f1/g) sin(10π f1)  (five disconnected pieces)
 * The Pareto fronts are at g = 1 (x2..xn = 0).
 */
function zdt(id: string, summary: string, h: (f1: number, g: number) => number, frontHypervolume: number, referenceFront: () => number[][], n = 30): MooProblem {
  return {
    id,
    summary,
    lower: new Array<number>(n).fill(0),
    upper: new Array<number>(n).fill(1),
    objectiveCount: 2,
    evaluate(x) {
      const f1 = x[0]!;
      let s = 0;
      for (let i = 1; i < n; i++) s += x[i]!;
      const g = 1 + (9 * s) / (n - 1);
      return [f1, g * h(f1, g)];
    },
    hypervolumeReference: [1.1, 1.1],
    frontHypervolume,
    referenceFront: once(referenceFront),
  };
}

/** 10,000 points of a connected front f2 = φ(f1), f1 evenly spaced in [0, 1]. */
function curve(phi: (f1: number) => number, count = 10_000): () => number[][] {
  return () => Array.from({ length: count }, (_, i) => {
    const f1 = i / (count - 1);
    return [f1, phi(f1)];
  });
}

const zdt3Curve = (x: number) => 1 - Math.sqrt(x) - x * Math.sin(10 * Math.PI * x);

/**
 * ZDT1. Front HV for reference (1.1, 1.1): 1.1² − ∫₀¹ (1 − √f1) df1 = 1.21 − 1/3 (the region under the
 * front inside [0, 1]², which the front does not dominate, is ∫(1 − √x) = 1/3).
 */
export const zdt1: MooProblem = zdt('zdt1', 'ZDT1 (n = 30), convex front', (f1, g) => 1 - Math.sqrt(f1 / g), 1.21 - 1 / 3, curve((f) => 1 - Math.sqrt(f)));

/** ZDT2. Front HV for reference (1.1, 1.1): 1.21 − ∫₀¹ (1 − f1²) df1 = 1.21 − 2/3. */
export const zdt2: MooProblem = zdt('zdt2', 'ZDT2 (n = 30), concave front', (f1, g) => 1 - (f1 / g) ** 2, 1.21 - 2 / 3, curve((f) => 1 - f * f));

/**
 * ZDT3. Front HV for reference (1.1, 1.1) = 1.3317629086570201: the front is the running minimum
 * m(t) = min_{x ≤ t} φ(x) of φ(x) = 1 − √x − x sin(10πx), so HV = ∫₀^1.1 (1.1 − m(min(t, 1))) dt. We
 * computed it in closed form piece by piece: on each of the five front pieces [a_k, b_k] (b_k a local
 * minimum of φ, φ'(b_k) = 0; a_{k+1} the point after b_k where φ returns to φ(b_k); a_1 = 0) the
 * integrand is 1.1 − φ with antiderivative x − ⅔x^{3/2} − (sin(10πx)/(10π)² − x cos(10πx)/(10π)), and
 * in the gaps it is the constant 1.1 − φ(b_k); roots by Newton's method at 40 digits (mpmath), and
 * checked against a 2·10⁷-point trapezoid sum (agrees to 3·10⁻¹²). Pieces: a = 0, 0.1822287280,
 * 0.4093136748, 0.6183967944, 0.8233317983; b = 0.0830015349, 0.2577623634, 0.4538821041,
 * 0.6525117038, 0.8518328654. Reference set: the non-dominated points of φ at 40,000 evenly spaced x
 * (about 10,600 points).
 */
export const zdt3: MooProblem = zdt('zdt3', 'ZDT3 (n = 30), disconnected front', (f1, g) => 1 - Math.sqrt(f1 / g) - (f1 / g) * Math.sin(10 * Math.PI * f1), 1.3317629086570201, () => {
  const pts: number[][] = [];
  const count = 40_000;
  for (let i = 0; i < count; i++) {
    const x = i / (count - 1);
    pts.push([x, zdt3Curve(x)]);
  }
  return nonDominatedSort(pts)[0]!.map((i) => pts[i]!);
});
