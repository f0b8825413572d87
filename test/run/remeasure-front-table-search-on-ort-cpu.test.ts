import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../helpers/cli.ts';

/** Rows of a CSV without quoted commas (nb201 arch strings have none). */
function readCsv(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])));
}

const REMEASURED = ['remeasuredLatencyMs', 'remeasuredP90Ms', 'remeasuredCv'] as const;

test('--remeasure-front on a table device re-measures the front on ort-cpu-1t and only the front', async () => {
  const out = join(tempDir(), 'run');
  const r = await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--budget', '20', '--seed', '3', '--out', out, '--remeasure-front', '--remeasure-device', 'ort-cpu-1t']);
  assert.equal(r.code, 0, r.err);
  const rows = readCsv(join(out, 'leaderboard-fpga.csv'));
  assert.equal(rows.length, 20);
  const front = rows.filter((x) => x['paretoRank'] === '1' && x['feasible'] === 'true');
  assert.ok(front.length >= 1);
  for (const row of rows) {
    const onFront = front.includes(row);
    for (const c of REMEASURED) {
      if (onFront) {
        assert.ok(Number(row[c]) > 0, `${c} of front row ${row['arch']}: ${row[c]}`);
      } else {
        assert.equal(row[c], '', `${c} of non-front row ${row['arch']}`);
      }
    }
    assert.equal(row['remeasureDevice'], onFront ? 'ort-cpu-1t' : '');
    // The search's own latency (the fpga table) is kept as it was.
    assert.ok(Number(row['latencyMs']) > 0);
  }
  // The front CSV is the front rows of the leaderboard, new columns included.
  const frontCsv = readCsv(join(out, 'front-fpga.csv'));
  assert.deepEqual(frontCsv, front);
  // One summary line per device on stdout.
  const summary = r.out.split('\n').filter((l) => l.startsWith(`fpga: front of ${front.length} re-measured on ort-cpu-1t: Spearman `));
  assert.equal(summary.length, 1, r.out);
  assert.match(summary[0]!, /max relative difference \d+(\.\d+)?%/);
});
