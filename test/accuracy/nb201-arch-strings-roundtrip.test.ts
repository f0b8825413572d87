import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nb201Accuracy } from '../../src/tables/table-data.ts';
import { genotypeIndex, spaceSize } from '../../src/space/search-space.ts';
import { loadSpace } from '../../src/space/space-registry.ts';

test('every official NAS-Bench-201 arch string decodes in the nb201 space and re-encodes identically', () => {
  const space = loadSpace('nb201');
  const strings = nb201Accuracy().archStrings;
  assert.equal(strings.length, 15_625);
  assert.equal(spaceSize(space), 15_625);
  const seen = new Set<number>();
  for (const arch of strings) {
    const g = space.decode(arch);
    assert.equal(space.encode(g), arch);
    seen.add(genotypeIndex(space, g));
  }
  assert.equal(seen.size, 15_625, 'the table covers every genotype exactly once');
});
