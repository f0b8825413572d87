/** Ranks 1..n of `xs`, ties given their average rank. */
export function ranks(xs: readonly number[]): number[] {
  const idx = xs.map((_, i) => i).sort((a, b) => xs[a]! - xs[b]!);
  const r = new Array<number>(xs.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && xs[idx[j + 1]!] === xs[idx[i]!]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[idx[k]!] = avg;
    i = j + 1;
  }
  return r;
}

/** Pearson correlation coefficient; NaN when either side is constant. */
export function pearson(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  if (n !== b.length) throw new Error(`pearson needs equal lengths, got ${n} and ${b.length}`);
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]!; mb += b[i]!; }
  ma /= n;
  mb /= n;
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
  return sab / Math.sqrt(saa * sbb);
}

/**
 * Spearman's rank correlation ρ (Pearson correlation of the ranks, ties averaged). Non-finite
 * values (e.g. a `-Infinity` NASWOT score) rank below every finite one, as the lowest score.
 */
export function spearman(a: readonly number[], b: readonly number[]): number {
  const clean = (xs: readonly number[]): number[] => xs.map((x) => (Number.isNaN(x) ? -Infinity : x));
  return pearson(ranks(clean(a)), ranks(clean(b)));
}
