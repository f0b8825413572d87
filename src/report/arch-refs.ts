/**
 * Architecture strings of a report, each stored once: plots carry a small integer in their `arch`
 * dimension and the page looks the string up (NAS-Bench-201 arch strings are ~90 characters, and a
 * 10,000-record report would otherwise repeat each in every plot).
 */
export class ArchRefs {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();

  /** The reference of `arch` (added on first use). */
  ref = (arch: string): number => {
    let k = this.index.get(arch);
    if (k === undefined) {
      k = this.list.length;
      this.list.push(arch);
      this.index.set(arch, k);
    }
    return k;
  };
}

/** How a plot names an architecture in its data: the string itself (files), or an {@link ArchRefs} reference (the page). */
export type ArchRef = (arch: string) => string | number;

/** Names an architecture by its own string. */
export const archItself: ArchRef = (arch) => arch;
