import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { compareCurves } from '../../src/report/compare-curves.ts';
import { readResultsDir } from '../../src/report/results-dir.ts';
import { runCli, tempDir } from '../helpers/cli.ts';

test('report curves scored from the journals equal hv.csv and best.csv at the checkpoints', async () => {
  const tmp = tempDir('hwnas-curves-');
  try {
    const multi = join(tmp, 'multi');
    let r = await runCli(['compare', '--space', 'nb201', '--device', 'fpga', '--strategies', 'random,nsga2', '--seeds', '2', '--budget', '60', '--checkpoints', '25', '--out', multi]);
    assert.equal(r.code, 0, r.err);
    const c = readResultsDir(multi);
    assert.equal(c.kind, 'compare');
    if (c.kind !== 'compare') return;
    const curves = compareCurves(c, c.truths[0]);
    assert.match(curves.normalisation!.text, /Reference point \(1\.1, 1\.1\)/);
    const rows = readFileSync(join(multi, 'hv.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    assert.equal(rows.length, 2 * 2 * 2);
    for (const [strategy, seed, evals, , ratio, igd] of rows) {
      const set = curves.hvRatio.find((s) => s.label === strategy)!;
      const run = set.runs[Number(seed)]!;
      const at = run.find(([x]) => x === Number(evals));
      assert.ok(at, `${strategy} seed ${seed} scored at ${evals}`);
      assert.ok(Math.abs(at[1] - Number(ratio)) < 1e-12, `${strategy}/${seed}@${evals}: HV ratio ${at[1]} vs hv.csv ${ratio}`);
      const i = curves.igdPlus.find((s) => s.label === strategy)!.runs[Number(seed)]!.find(([x]) => x === Number(evals))!;
      assert.ok(Math.abs(i[1] - Number(igd)) < 1e-12, `${strategy}/${seed}@${evals}: IGD+ ${i[1]} vs ${igd}`);
    }

    const single = join(tmp, 'single');
    r = await runCli(['compare', '--space', 'nb201', '--strategies', 'random,re', '--objectives', 'accuracy', '--seeds', '2', '--budget', '40', '--checkpoints', '20', '--out', single]);
    assert.equal(r.code, 0, r.err);
    const s = readResultsDir(single);
    if (s.kind !== 'compare') throw new Error('not a compare');
    const sc = compareCurves(s, undefined);
    for (const [strategy, seed, evals, , test] of readFileSync(join(single, 'best.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','))) {
      const at = sc.testAccuracy.find((x) => x.label === strategy)!.runs[Number(seed)]!.find(([x]) => x === Number(evals))!;
      assert.equal(at[1], Number(test), `${strategy}/${seed}@${evals}`);
    }
    assert.match(readFileSync(join(single, 'best.svg'), 'utf8'), /^<svg /);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
