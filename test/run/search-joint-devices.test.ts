import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nb201Accuracy, nb201IndexOf } from '../../src/tables/table-data.ts';
import { loadDevice, type TableDevice } from '../../src/latency/device-profile.ts';
import { tableLatencyMs } from '../../src/latency/device-table.ts';
import { loadSpace } from '../../src/space/space-registry.ts';
import { runCli, tempDir } from '../helpers/cli.ts';

test('--joint: one search for several devices, a latency column per device, per-device constraints', async () => {
  const out = join(tempDir(), 'j');
  const r = await runCli(['search', '--space', 'nb201', '--device', 'pixel3', '--device', 'fpga', '--joint', '--budget', '60', '--seed', '4', '--constraint', 'latencyMs@fpga<=3', '--out', out]);
  assert.equal(r.code, 0, r.err);
  const csv = readFileSync(join(out, 'leaderboard-pixel3+fpga.csv'), 'utf8').trim().split('\n');
  const header = csv[0]!.split(',');
  assert.equal(csv.length, 61, 'one leaderboard, one row per architecture');
  const col = (name: string) => header.indexOf(name);
  for (const c of ['latencyMs@pixel3', 'latencyMs@fpga', 'accuracy', 'feasible']) assert.ok(col(c) >= 0, c);
  const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { objectives: { metric: string }[] };
  assert.deepEqual(config.objectives.map((o) => o.metric), ['accuracy', 'latencyMs@pixel3', 'latencyMs@fpga']);
  const space = loadSpace('nb201');
  for (const line of csv.slice(1)) {
    const cells = line.split(',');
    const g = space.decode(cells[col('arch')]!);
    // Each device's column is that device's published latency of the architecture.
    assert.equal(Number(cells[col('latencyMs@pixel3')]), tableLatencyMs(loadDevice('pixel3') as TableDevice, space, g));
    assert.equal(Number(cells[col('latencyMs@fpga')]), tableLatencyMs(loadDevice('fpga') as TableDevice, space, g));
    assert.equal(Number(cells[col('accuracy')]), nb201Accuracy().cifar10ValidAcc[nb201IndexOf(cells[col('arch')]!)!]);
    assert.equal(cells[col('feasible')], String(Number(cells[col('latencyMs@fpga')]) <= 3));
  }
  const bad = await runCli(['search', '--space', 'nb201', '--device', 'pixel3', '--joint', '--out', join(out, 'x')]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--joint: a joint search needs two or more devices/);
});
