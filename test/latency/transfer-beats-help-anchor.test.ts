import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HELP_REFERENCE } from '../../src/latency/help-reference.ts';
import { benchPredictors } from '../../src/latency/predictor-bench.ts';
import { loadSpace } from '../../src/space/space-registry.ts';
import { getLatencyTable } from '../../src/tables/table-data.ts';

test('with 10 samples the transfer predictor ranks raspi4, eyeriss and pixel2 better than HELP reports (3 seeds)', () => {
  const targets = ['raspi4', 'eyeriss', 'pixel2'].map((k) => ({ id: k, key: k }));
  const rows = benchPredictors({ table: getLatencyTable('nb201')!, space: loadSpace('nb201'), targets, samples: [10], seeds: 3, predictors: ['transfer'] });
  assert.equal(rows.length, 3);
  for (const r of rows) {
    const help = HELP_REFERENCE['nb201']![r.target]!.help;
    assert.equal(r.predictor, 'transfer');
    assert.equal(r.samples, 10);
    assert.ok(r.spearman > help, `${r.target}: ρ ${r.spearman.toFixed(3)} vs HELP ${help}`);
    assert.ok(r.within10 > 0 && r.within10 <= 1);
  }
});
