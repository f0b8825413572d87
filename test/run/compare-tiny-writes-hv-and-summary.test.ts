import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.ts';

test('compare: 2 strategies × 2 seeds × 40 evaluations writes hv.csv, summary.csv, hv.svg; resume reproduces', async () => {
  const out = join(tempDir(), 'cmp');
  const args = ['compare', '--space', 'nb201', '--device', 'fpga', '--strategies', 'random,nsga2', '--seeds', '2', '--budget', '40', '--checkpoints', '20', '--out', out];
  const r = await runCli(args);
  assert.equal(r.code, 0, r.err);
  const hv = readFileSync(join(out, 'hv.csv'), 'utf8').trim().split('\n');
  assert.equal(hv[0], 'strategy,seed,evaluations,hypervolume,hvRatio,igdPlus');
  assert.equal(hv.length, 1 + 2 * 2 * 2); // strategies × seeds × checkpoints (20, 40)
  for (const line of hv.slice(1)) {
    const [strategy, seed, evals, hvText, ratio, igd] = line.split(',');
    assert.ok(strategy === 'random' || strategy === 'nsga2');
    assert.ok(seed === '0' || seed === '1');
    assert.ok(evals === '20' || evals === '40');
    assert.ok(Number(hvText) > 0);
    assert.ok(Number(ratio) > 0 && Number(ratio) <= 1, line);
    assert.ok(Number(igd) >= 0, line);
  }
  const summary = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n');
  assert.equal(summary[0], 'strategy,evaluations,runs,medianHvRatio,q1HvRatio,q3HvRatio,iqrHvRatio,medianIgdPlus,pVsRandom,aboveRandom');
  assert.equal(summary.length, 1 + 2 * 2);
  const nsga40 = summary.find((l) => l.startsWith('nsga2,40,'))!.split(',');
  assert.ok(Number(nsga40[8]) > 0 && Number(nsga40[8]) <= 1, 'p-value vs random');
  assert.match(readFileSync(join(out, 'hv.svg'), 'utf8'), /^<svg /);
  assert.match(readFileSync(join(out, 'truth-nb201-fpga.csv'), 'utf8'), /^arch,accuracy,latencyMs,testAccuracy\n/);

  // The folder holds a comparison: refused without --resume; with it, the journals give the same numbers.
  const again = await runCli(args);
  assert.equal(again.code, 2);
  const resumed = await runCli([...args, '--resume']);
  assert.equal(resumed.code, 0, resumed.err);
  assert.match(resumed.err, /40 evaluated \(40 from the journal\)/);
  assert.deepEqual(readFileSync(join(out, 'hv.csv'), 'utf8').trim().split('\n'), hv);
});
