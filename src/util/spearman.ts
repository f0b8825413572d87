/**
 * Rank statistics. Spearman's ρ is Pearson's correlation of the ranks, ties given their average
 * rank (Spearman 1904; the tie-corrected form, as scipy.stats.spearmanr).
 */

/** Average ranks (1-based) of `xs`; tied values share the mean of their ranks. */
export function ranks(xs: readonly number[]): number[] {
  const idx = xs.map((_, i) => i).sort((a, b) => xs[a]! - xs[b]!);
  const r = new Array<number>(xs.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && xs[idx[j + 1]!] === xs[idx[i]!]) j++;
    const avg = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) r[idx[t]!] = avg;
    i = j + 1;
  }
  return r;
}

/** Pearson's correlation coefficient; NaN when either side is constant or fewer than 2 pairs. */
export function pearson(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`pearson: ${a.length} vs ${b.length} values`);
  const n = a.length;
  if (n < 2) return NaN;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa === 0 || sbb === 0 ? NaN : sab / Math.sqrt(saa * sbb);
}

/** Spearman's rank correlation ρ of paired values. */
export function spearman(a: readonly number[], b: readonly number[]): number {
  return pearson(ranks(a), ranks(b));
}
