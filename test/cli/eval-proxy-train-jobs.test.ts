import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runCliProcess } from '../helpers/cli-process.ts';

const SPACE = fileURLToPath(new URL('../accuracy/fixtures/tiny-chain.json', import.meta.url));
const ARCHS = ['222', '000', '121', '012'];

/** `hwnas eval` in a child process (the CLI entry point, worker threads and all). */
function evalCli(jobs: number) {
  return runCliProcess(['eval', '--space', SPACE, ...ARCHS.flatMap((a) => ['--arch', a]), '--metrics', 'params,accuracy', '--accuracy', 'proxy-train', '--seed', '3', '--jobs', String(jobs), '--train-images', '256']);
}

test('hwnas eval --accuracy proxy-train prints trainMs, trainImages and trainImagesPerS, rows in input order, the same accuracies with --jobs 1 and --jobs 2', async () => {
  const runs = [];
  for (const jobs of [1, 2]) {
    const r = await evalCli(jobs);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.equal(lines[0], 'arch,paramCount,accuracy,trainMs,trainImages,trainImagesPerS');
    const rows = lines.slice(1).map((l) => l.split(','));
    assert.deepEqual(rows.map((x) => x[0]), ARCHS);
    for (const row of rows) {
      const [acc, trainMs, trainImages, perS] = row.slice(2).map(Number);
      assert.ok(acc! >= 0 && acc! <= 100 && trainMs! > 0 && perS! > 0, row.join(','));
      // --train-images 256 reached the training loop: that many images in trainMs.
      assert.equal(trainImages, 256);
      assert.ok(Math.abs(perS! * trainMs! - 256 * 1000) < 1, row.join(','));
    }
    runs.push(rows.map((x) => x[2]));
  }
  assert.deepEqual(runs[1], runs[0]);
  assert.ok(new Set(runs[0]).size > 1, `accuracies ${runs[0]}`);
});

test('hwnas eval refuses --jobs 0 and a metric its accuracy source does not report, with exit 2', async () => {
  const { runCli } = await import('../helpers/cli.ts');
  const jobs0 = await runCli(['eval', '--space', 'nasbench-macro', '--arch', '00000000', '--metrics', 'accuracy', '--jobs', '0']);
  assert.equal(jobs0.code, 2);
  assert.match(jobs0.err, /--jobs/);
  const notReported = await runCli(['eval', '--space', 'nasbench-macro', '--arch', '00000000', '--metrics', 'trainMs']);
  assert.equal(notReported.code, 2);
  assert.match(notReported.err, /accuracy source nasbench-macro does not report metric "trainMs"/);
  // A table accuracy source keeps its single column.
  const table = await runCli(['eval', '--space', 'nasbench-macro', '--arch', '00000000', '--metrics', 'accuracy']);
  assert.equal(table.code, 0, table.err);
  assert.equal(table.out.split('\n')[0], 'arch,accuracy');
});
