import type { Genotype, SearchSpace } from '../../space/search-space.ts';

/** One-hot encoding of a genotype: one block per decision, one entry per choice, 1 at the chosen one. */
export function oneHot(space: Pick<SearchSpace, 'decisions'>, g: Genotype): number[] {
  const x: number[] = [];
  space.decisions.forEach((d, i) => {
    for (let c = 0; c < d.choices.length; c++) x.push(g[i] === c ? 1 : 0);
  });
  return x;
}
