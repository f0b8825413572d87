import type { Point } from './dominance.ts';

/**
 * IGD+ (Ishibuchi, Masuda, Tanigaki & Nojima 2015, "Modified distance calculation in generational
 * distance and inverted generational distance", EMO 2015, Eq. 5–6), minimisation:
 *
 *   IGD+(A, Z) = (1/|Z|) Σ_{z∈Z} min_{a∈A} d+(z, a),   d+(z, a) = sqrt(Σ_j max(a_j − z_j, 0)²)
 *
 * where Z is a reference set sampled on the true Pareto front. Only the amount by which a is worse
 * than z counts, which makes IGD+ weakly Pareto-compliant. 0 when A covers Z (e.g. A ⊇ Z).
 *
 * @param approximation the front found (A); empty ⇒ Infinity
 * @param reference the reference front (Z); must not be empty
 */
export function igdPlus(approximation: readonly Point[], reference: readonly Point[]): number {
  if (reference.length === 0) throw new Error('igdPlus: empty reference set');
  if (approximation.length === 0) return Infinity;
  const m = reference[0]!.length;
  const a = new Float64Array(approximation.length * m);
  approximation.forEach((p, i) => {
    if (p.length !== m) throw new Error(`igdPlus: point ${i} has ${p.length} objectives, reference has ${m}`);
    for (let j = 0; j < m; j++) a[i * m + j] = p[j]!;
  });
  let sum = 0;
  for (const z of reference) {
    let best = Infinity;
    for (let i = 0; i < approximation.length; i++) {
      let s = 0;
      for (let j = 0; j < m; j++) {
        const d = a[i * m + j]! - z[j]!;
        if (d > 0) s += d * d;
        if (s >= best) break;
      }
      if (s < best) best = s;
    }
    sum += Math.sqrt(best);
  }
  return sum / reference.length;
}
