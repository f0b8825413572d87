import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSpace } from '../../src/space/space-registry.ts';
import { chainFlopsTable } from '../../src/search/dnas/flops-latency-table.ts';
import { countFlops } from '../../src/graph/count.ts';
import { Rng } from '../../src/util/rng.ts';

test('the per-layer FLOPs table of nasbench-macro sums to the benchmark FLOPs of whole architectures', () => {
  const space = loadSpace('nasbench-macro');
  const t = chainFlopsTable(space);
  const total = (arch: string): number => t.fixed + [...arch].reduce((s, c, l) => s + t.table[l]![Number(c)]!, 0);
  // Published NAS-Bench-Macro FLOPs (shared/README): 00000000 → 7,713,280; 02012100 → 47,327,744; 22222222 → 105,660,928.
  assert.ok(Math.abs(total('00000000') - 7.71328) < 1e-9);
  assert.ok(Math.abs(total('02012100') - 47.327744) < 1e-9);
  assert.ok(Math.abs(total('22222222') - 105.660928) < 1e-9);
  const rng = new Rng(9);
  for (let k = 0; k < 20; k++) {
    const g = space.decisions.map((d) => rng.int(d.choices.length));
    assert.ok(Math.abs(total(space.encode(g)) - countFlops(space.build(g)) / 1e6) < 1e-9);
  }
});
