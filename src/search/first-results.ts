/**
 * The first successful result of each genotype. A strategy learns from each architecture once: a
 * failed evaluation (`values: null`) and a repeat of an architecture already told are skipped.
 */
export class FirstResults {
  private readonly seen = new Set<string>();

  /** True (and remembered) when `t` succeeded and its genotype was not accepted before. */
  accept<T extends { readonly genotype: readonly number[]; readonly values: readonly number[] | null }>(t: T): t is T & { readonly values: readonly number[] } {
    if (t.values === null) return false;
    const key = t.genotype.join(',');
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }
}
