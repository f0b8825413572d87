import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.ts';

test('compare --objectives accuracy: best.csv holds the test accuracy of the best-by-validation arch', async () => {
  const out = join(tempDir(), 'so');
  const r = await runCli(['compare', '--space', 'nb201', '--objectives', 'accuracy', '--strategies', 'random,re', '--seeds', '2', '--budget', '30', '--checkpoints', '10', '--out', out]);
  assert.equal(r.code, 0, r.err);
  const best = readFileSync(join(out, 'best.csv'), 'utf8').trim().split('\n');
  assert.equal(best[0], 'strategy,seed,evaluations,bestValidAccuracy,testAccuracy');
  assert.equal(best.length, 1 + 2 * 2 * 2);
  // Check one row against its journal: the highest validation accuracy among the first 30 evaluations.
  const row = best.find((l) => l.startsWith('re,1,30,'))!.split(',');
  const journal = readFileSync(join(out, 'runs', 're', 'seed-1.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { outcome: { metrics: Record<string, number> } });
  const top = journal.slice(0, 30).reduce((a, b) => (b.outcome.metrics.accuracy! > a.outcome.metrics.accuracy! ? b : a));
  assert.equal(Number(row[3]), top.outcome.metrics.accuracy);
  assert.equal(Number(row[4]), top.outcome.metrics.testAccuracy);
  const summary = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n');
  assert.equal(summary[0], 'strategy,evaluations,runs,meanTestAccuracy,stdTestAccuracy,meanBestValidAccuracy,stdBestValidAccuracy,pVsRandom,aboveRandom');
  assert.match(readFileSync(join(out, 'best.svg'), 'utf8'), /^<svg /);
});
