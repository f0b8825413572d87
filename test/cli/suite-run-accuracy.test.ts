import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nb201Accuracy, nb201IndexOf } from '../../src/tables/table-data.ts';
import { runCliProcess, ROOT } from '../helpers/cli-process.ts';
import { tempDir } from '../helpers/cli.ts';

const PROBLEM = 'nb201-c10-fpga';
const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');

/** Hypervolume of 2-D minimisation points against `ref` (a sweep over x). */
function hv2(points: readonly (readonly [number, number])[], ref: readonly [number, number]): number {
  const inside = points.filter(([x, y]) => x < ref[0] && y < ref[1]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let hv = 0;
  let top = ref[1];
  for (const [x, y] of inside) {
    if (y >= top) continue;
    hv += (ref[0] - x) * (top - y);
    top = y;
  }
  return hv;
}

/** Indices of the points no other point dominates (both coordinates minimised). */
function nonDominated(points: readonly (readonly [number, number])[]): number[] {
  return points.map((_, i) => i).filter((i) => !points.some((q, j) => j !== i && q[0] <= points[i]![0] && q[1] <= points[i]![1] && (q[0] < points[i]![0] || q[1] < points[i]![1])));
}

test('suite run --accuracy: a proxy drives the search, both HV ratios come from the table; bad uses exit 2', async () => {
  const root = tempDir();
  const out = join(root, 'params');
  const args = ['suite', 'run', '--problems', PROBLEM, '--strategies', 'random', '--seeds', '1', '--budget', '20', '--checkpoints', '10', '--jobs', '1', '--out', out];
  const r = await runCliProcess([...args, '--accuracy', 'zero-cost:params']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /searched with accuracy zero-cost:params, not the table/);
  assert.match(read(out, 'summary.md'), /Searched with accuracy \*\*zero-cost:params\*\*, not the table/);
  const config = JSON.parse(read(out, 'config.json')) as { accuracy: { source: string } };
  assert.equal(config.accuracy.source, 'zero-cost:params');
  const summary = JSON.parse(read(out, 'summary.json')) as { accuracySource: string; perProblem: { medianHvRatio: number }[]; bestEvaluated: { perProblem: { medianHvRatio: number }[] } };
  assert.equal(summary.accuracySource, 'zero-cost:params');

  const lines = read(out, 'suite-results.csv').trim().split('\n');
  assert.equal(lines[0], 'problem,strategy,seed,accuracySource,evaluations,reportedFrontSize,reportedHvRatio,reportedIgdPlus,bestEvaluatedHvRatio,bestEvaluatedIgdPlus');
  const rows = lines.slice(1).map((l) => l.split(','));
  assert.deepEqual(rows.map((x) => x[4]), ['10', '20']);
  assert.ok(rows.every((x) => x[3] === 'zero-cost:params'));

  // Recompute both ratios from the journal, the suite file and the NAS-Bench-201 table.
  const suite = JSON.parse(readFileSync(join(ROOT, 'suites/hwnas-v1.json'), 'utf8')) as { problems: { id: string; bounds: [number, number][]; referencePoint: [number, number]; frontHypervolume: number }[] };
  const p = suite.problems.find((x) => x.id === PROBLEM)!;
  const records = read(out, `runs/${PROBLEM}/random/seed-0.jsonl`).trim().split('\n').map((l) => JSON.parse(l) as { n?: number; arch?: string; outcome?: { status: string; metrics: Record<string, number> } })
    .filter((e) => e.outcome?.status === 'ok').sort((a, b) => a.n! - b.n!);
  assert.equal(records.length, 20);
  const table = nb201Accuracy();
  const truth = records.map((e) => table.cifar10ValidAcc[nb201IndexOf(e.arch!)!]!);
  // The search saw params as its accuracy; the table's accuracy is only reported beside it.
  for (const [i, e] of records.entries()) {
    assert.ok(Number.isFinite(e.outcome!.metrics.params), 'the proxy is recorded');
    assert.equal(e.outcome!.metrics.accuracy, undefined, 'no table accuracy is searched on');
    assert.equal(e.outcome!.metrics.tableAccuracy, truth[i]);
  }
  const [accLo, accHi] = p.bounds[0]!;
  const [latLo, latHi] = p.bounds[1]!;
  const norm = (acc: number, lat: number): [number, number] => [(accHi - acc) / (accHi - accLo), (lat - latLo) / (latHi - latLo)];
  for (const [k, row] of rows.entries()) {
    const seen = records.slice(0, Number(row[4]));
    // Reported: non-dominated by (max params, min latency), then placed by the table's accuracy.
    const reported = nonDominated(seen.map((e) => [-e.outcome!.metrics.params!, e.outcome!.metrics.latencyMs!]));
    assert.equal(Number(row[5]), reported.length);
    const reportedHv = hv2(reported.map((i) => norm(truth[i]!, seen[i]!.outcome!.metrics.latencyMs!)), p.referencePoint) / p.frontHypervolume;
    const bestHv = hv2(seen.map((e, i) => norm(truth[i]!, e.outcome!.metrics.latencyMs!)), p.referencePoint) / p.frontHypervolume;
    assert.ok(Math.abs(Number(row[6]) - reportedHv) < 1e-9, `row ${k}: reportedHvRatio ${row[6]}, by hand ${reportedHv}`);
    assert.ok(Math.abs(Number(row[8]) - bestHv) < 1e-9, `row ${k}: bestEvaluatedHvRatio ${row[8]}, by hand ${bestHv}`);
    assert.ok(reportedHv <= bestHv + 1e-12);
  }
  // The reported front under params is not the truth's best: the two scores differ on this run.
  assert.ok(Number(rows[1]![6]) < Number(rows[1]![8]), `reported ${rows[1]![6]} vs best ${rows[1]![8]}`);
  assert.equal(summary.perProblem[0]!.medianHvRatio, Number(rows[1]![6]));
  assert.equal(summary.bestEvaluated.perProblem[0]!.medianHvRatio, Number(rows[1]![8]));

  // A source that scores under the name `accuracy` itself (proxy-train, command:) replaces the table's.
  const trained = join(root, 'trained');
  const t = await runCliProcess(['suite', 'run', '--problems', 'macro-c10-params-flops', '--strategies', 'random', '--seeds', '1', '--budget', '2', '--jobs', '1', '--out', trained,
    '--accuracy', 'proxy-train', '--train-images', '64', '--test-images', '32', '--train-batch', '32']);
  assert.equal(t.code, 0, t.err);
  const trainedRow = read(trained, 'suite-results.csv').trim().split('\n')[1]!.split(',');
  assert.equal(trainedRow[3], 'proxy-train');
  assert.ok(Number(trainedRow[6]) >= 0 && Number(trainedRow[6]) <= Number(trainedRow[8]));
  const trainedRecs = read(trained, 'runs/macro-c10-params-flops/random/seed-0.jsonl').trim().split('\n').map((l) => JSON.parse(l) as { outcome?: { metrics?: Record<string, number> } }).filter((e) => e.outcome?.metrics);
  assert.ok(trainedRecs.every((e) => e.outcome!.metrics!.accuracy !== e.outcome!.metrics!.tableAccuracy), 'the search saw the trained accuracy, not the table');
  assert.equal((JSON.parse(read(trained, 'config.json')) as { accuracy: { training: { trainImages: number } } }).accuracy.training.trainImages, 64);

  // Bad uses: one message naming the flag, exit 2, nothing written.
  const bad = async (more: string[], pattern: RegExp, dir = join(root, 'bad')) => {
    const b = await runCliProcess(['suite', 'run', '--problems', PROBLEM, '--strategies', 'random', '--seeds', '1', '--budget', '5', '--jobs', '1', '--out', dir, ...more]);
    assert.equal(b.code, 2, `${more.join(' ')}: ${b.err}`);
    assert.match(b.err, pattern, more.join(' '));
  };
  await bad(['--accuracy', 'no-such-source'], /--accuracy: unknown accuracy source "no-such-source"/);
  await bad(['--accuracy', 'table'], /--accuracy: --accuracy table is a table/);
  await bad(['--accuracy', ''], /--accuracy: empty accuracy source/);
  await bad(['--data', join(root, 'nowhere')], /--data/);
  await bad(['--problems', 'macro-c10-params-flops', '--accuracy', 'zero-cost:flops'], /--accuracy: accuracy source zero-cost:flops scores under the metric "flops", which problem macro-c10-params-flops already has/);
  // A resume must use the same signal: another one, or none, is refused before anything runs.
  await bad(['--accuracy', 'zero-cost:flops', '--resume'], /accuracy/, out);
  await bad(['--resume'], /accuracy/, out);
  assert.deepEqual(read(out, 'suite-results.csv').trim().split('\n'), lines);
});
