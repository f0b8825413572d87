import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getAccuracySource } from '../../src/accuracy/accuracy-registry.ts';
import { search } from '../../src/run/search.ts';
import { loadSpace } from '../../src/space/space-registry.ts';
import { runCli } from '../helpers/cli.ts';

function csv(file: string): Record<string, string>[] {
  const [head, ...rows] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i]!, v])));
}

test('a proxy-driven search on nb201 writes the table accuracy as tableAccuracy in journal and leaderboard, never as an objective', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'hwnas-tacc-')), 'run');
  const res = await search({ space: 'nb201', devices: ['fpga'], accuracy: 'zero-cost:params', strategy: 'random', budget: 6, seed: 2, out });
  assert.equal(res.devices[0]!.evaluated, 6);
  const space = loadSpace('nb201');
  const table = await getAccuracySource('nb201', space);
  const rows = csv(join(out, 'leaderboard-fpga.csv'));
  assert.equal(rows.length, 6);
  for (const row of rows) {
    const truth = (await table.metrics(space, space.decode(row.arch!))).accuracy!;
    assert.equal(Number(row.tableAccuracy), truth, row.arch);
    assert.ok(Number(row.params) > 0, 'the searched proxy is there too');
  }
  const journal = readFileSync(join(out, 'journal-fpga.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { outcome: { metrics: Record<string, number> } });
  assert.ok(journal.every((e) => e.outcome.metrics.tableAccuracy! > 0));
  const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { objectives: { metric: string }[] };
  assert.deepEqual(config.objectives.map((o) => o.metric), ['params', 'latencyMs']);

  // The table itself gets no copy of its own accuracy; eval shows the column beside a proxy.
  assert.ok(!table.metricNames.includes('tableAccuracy'));
  const r = await runCli(['eval', '--space', 'nasbench-macro', '--arch', '01020010', '--metrics', 'accuracy', '--accuracy', 'zero-cost:flops']);
  assert.equal(r.code, 0, r.err);
  const [head, line] = r.out.trim().split('\n');
  assert.equal(head, 'arch,flops,tableAccuracy');
  const macro = await getAccuracySource('nasbench-macro', loadSpace('nasbench-macro'));
  assert.equal(Number(line!.split(',')[2]), (await macro.metrics(loadSpace('nasbench-macro'), loadSpace('nasbench-macro').decode('01020010'))).accuracy);
  // Asked for by name, it can be an objective.
  const asked = await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--accuracy', 'zero-cost:params', '--budget', '3', '--objectives', 'tableAccuracy,latencyMs', '--out', join(out, '..', 'asked')]);
  assert.equal(asked.code, 0, asked.err);
});
