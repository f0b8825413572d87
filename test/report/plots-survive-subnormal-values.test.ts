import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.ts';
import { renderSearchPlots } from '../../src/report/search-plots.ts';

test('a valid but subnormal latency (1.5e-323 ms, found by the outcomes fuzz) is plotted as 0: the front plot and the report draw', async () => {
  const out = join(tempDir(), 'run');
  assert.equal((await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--strategy', 'random', '--budget', '1', '--out', out])).code, 0);
  // What a worker may return within the range of latencyMs: set it on the run's only record.
  const lb = join(out, 'leaderboard-fpga.csv');
  const [header, row] = readFileSync(lb, 'utf8').trim().split('\n') as [string, string];
  const j = header.split(',').indexOf('latencyMs');
  const cells = row.split(',');
  cells[j] = '1.5e-323';
  writeFileSync(lb, `${header}\n${cells.join(',')}\n`);
  const journal = join(out, 'journal-fpga.jsonl');
  const rec = JSON.parse(readFileSync(journal, 'utf8')) as { outcome: { metrics: Record<string, number> } };
  rec.outcome.metrics.latencyMs = 1.5e-323;
  writeFileSync(journal, `${JSON.stringify(rec)}\n`);
  const [svg] = await renderSearchPlots(out);
  assert.match(readFileSync(svg!, 'utf8'), /<svg/);
  const r = await runCli(['report', out]);
  assert.equal(r.code, 0, r.err);
});
