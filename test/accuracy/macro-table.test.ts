import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getAccuracySource } from '../../src/accuracy/accuracy-registry.ts';
import { macroAccuracy } from '../../src/tables/table-data.ts';
import { genotypeIndex, spaceSize } from '../../src/space/search-space.ts';
import { loadSpace } from '../../src/space/space-registry.ts';

test('nasbench-macro table gives the published mean accuracy of 02012100', async () => {
  const space = loadSpace('nasbench-macro');
  const source = await getAccuracySource('table', space);
  assert.equal(source.id, 'nasbench-macro');
  const m = await source.metrics(space, space.decode('02012100'));
  // From ../shared/data/macro/accuracy.json: testAcc [89.47000122070312, 88.94999694824219, 89.16999816894531].
  assert.ok(Math.abs(m.accuracy! - 89.19666544596355) < 1e-12);
  assert.ok(Math.abs(m.accuracyStd! - 0.21312667374448538) < 1e-12);
  assert.deepEqual(Object.keys(m).sort(), ['accuracy', 'accuracyStd']);
});

test('nasbench-macro table has all 6,561 archs, each decodable and re-encoding identically', () => {
  const space = loadSpace('nasbench-macro');
  const keys = Object.keys(macroAccuracy());
  assert.equal(keys.length, 6_561);
  assert.equal(spaceSize(space), 6_561);
  const seen = new Set<number>();
  for (const arch of keys) {
    const g = space.decode(arch);
    assert.equal(space.encode(g), arch);
    seen.add(genotypeIndex(space, g));
  }
  assert.equal(seen.size, 6_561);
});
