import assert from 'node:assert/strict';
import { InputError } from '../../src/errors.ts';
import { outputShape } from '../../src/graph/model-graph.ts';
import { Rng } from '../../src/util/rng.ts';
import type { SearchSpace } from '../../src/space/search-space.ts';

/** First, last and a few random genotypes of a space. */
export function sampleArchs(space: SearchSpace, random = 3, seed = 1): number[][] {
  const rng = new Rng(seed);
  return [
    space.decisions.map(() => 0),
    space.decisions.map((d) => d.choices.length - 1),
    ...Array.from({ length: random }, () => space.decisions.map((d) => rng.int(d.choices.length))),
  ];
}

/** Builds give `[classes]`, arch strings round-trip, malformed strings throw InputError `bad-arch`. */
export function checkSpaceBasics(space: SearchSpace, malformed: readonly string[]): void {
  for (const g of sampleArchs(space)) {
    const graph = space.build(g);
    assert.deepEqual(outputShape(graph), [space.classes], space.encode(g));
    const arch = space.encode(g);
    assert.equal(space.encode(space.decode(arch)), arch);
  }
  for (const bad of malformed) {
    assert.throws(() => space.decode(bad), (e: unknown) => e instanceof InputError && e.code === 'bad-arch', bad);
  }
}
