import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dominates } from '../../src/pareto/dominance.ts';
import { loadDevice, type TableDevice } from '../../src/latency/device-profile.ts';
import { tableLatencyAll } from '../../src/latency/device-table.ts';
import { objective } from '../../src/record/metric-registry.ts';
import { computeTruthFront } from '../../src/run/truth.ts';
import { problemDifferences, solveProblems } from '../../src/run/suite/exact-problem.ts';
import { frontHypervolumeFromFile } from '../../src/run/suite/problem-score.ts';
import { loadSuite, SUITES_DIR } from '../../src/run/suite/suite-file.ts';
import { loadSpace } from '../../src/space/space-registry.ts';
import { nb201Accuracy, nb201IndexOf } from '../../src/tables/table-data.ts';
import { InputError } from '../../src/errors.ts';
import { tempDir } from '../helpers/cli.ts';

const FILE = join(SUITES_DIR, 'hwnas-v1.json');
// hwnas-v1 is released: its bytes never change. A changed suite is a new file (hwnas-v2).
const RELEASED_SHA256 = '71b40eb3bc3a3ec025311f43fa0d7e355639ea26cc03b44b65fb159f7707903f';

test('hwnas-v1 is released and unchanged, validates against suites/schema.json, and holds the problems the issue asks for', () => {
  assert.equal(createHash('sha256').update(readFileSync(FILE)).digest('hex'), RELEASED_SHA256, 'suites/hwnas-v1.json changed after release; make a new suite id instead');
  const s = loadSuite('hwnas-v1');
  assert.equal(s.status, 'released');
  const ids = s.problems.map((p) => p.id);
  const devices = new Set(s.problems.filter((p) => p.objectives.length === 2 && p.accuracyKey === 'cifar10ValidAcc' && !p.constraints).flatMap((p) => p.devices));
  for (const d of ['1080ti_1', 'titan_rtx_256', 'gold_6226', 'pixel3', 'samsung_a50', 'raspi4', 'eyeriss', 'fpga']) assert.ok(devices.has(d), `accuracy × latency on ${d}`);
  assert.ok(s.problems.some((p) => p.objectives.length === 3 && p.objectives.includes('paramCount') && p.space === 'nb201'));
  assert.ok(s.problems.some((p) => p.objectives.length === 3 && p.objectives.includes('flops') && p.space === 'nb201'));
  assert.deepEqual(s.problems.filter((p) => p.devices.length > 1).map((p) => p.devices.length).sort(), [3, 5]);
  assert.ok(s.problems.some((p) => (p.constraints ?? []).length > 0 && p.feasible < p.enumerated));
  for (const key of ['cifar100ValidAcc', 'imagenet16ValidAcc']) assert.equal(s.problems.filter((p) => p.accuracyKey === key).length, 2, key);
  assert.ok(s.problems.some((p) => p.space === 'nasbench-macro' && p.objectives.join() === 'accuracy,paramCount,flops'));
  assert.equal(new Set(ids).size, ids.length);
  for (const p of s.problems) {
    assert.deepEqual(p.referencePoint, p.objectives.map(() => 1.1), p.id);
    // The front's HV recomputed from the file's own points, bounds and reference point is the file's
    // (to rounding: a faster exact algorithm may sum in another order).
    const hv = frontHypervolumeFromFile(p);
    assert.ok(Math.abs(hv - p.frontHypervolume) <= 1e-12 * p.frontHypervolume, `${p.id}: ${hv} vs ${p.frontHypervolume}`);
  }
});

test('a suite file that breaks the schema or the contract is refused with the JSON path', () => {
  const data = JSON.parse(readFileSync(FILE, 'utf8')) as { problems: Record<string, unknown>[] };
  const dir = tempDir();
  const write = (mutate: (d: typeof data) => void) => {
    const copy = JSON.parse(JSON.stringify(data)) as typeof data;
    mutate(copy);
    const f = join(dir, 'bad.json');
    writeFileSync(f, JSON.stringify(copy));
    return f;
  };
  const refused = (f: string, path: RegExp) => assert.throws(() => loadSuite(f), (e: unknown) => e instanceof InputError && path.test(e.message), f);
  refused(write((d) => delete d.problems[0]!.bounds), /\/problems\/0\/bounds/);
  refused(write((d) => (d.problems[1]!.objectives = ['accuracy', 'latency@fpga'])), /\/problems\/1\/objectives\/1/);
  refused(write((d) => (d.problems[2]!.bounds = [[1, 2]])), /\/problems\/2\/bounds/);
  refused(write((d) => (d.problems[3]!.devices = ['fpga'])), /\/problems\/3\/devices/);
  refused(write((d) => (d.problems[4]!.accuracyKey = 'cifar10TestAcc')), /\/problems\/4\/accuracyKey/);
  refused(write((d) => (d.problems[5]!.id = d.problems[0]!.id)), /\/problems\/5\/id/);
});

test('every problem\'s bounds, front and exact hypervolume recompute from the tables', async () => {
  const s = loadSuite('hwnas-v1');
  const solved = await solveProblems(s.problems);
  s.problems.forEach((p, i) => assert.deepEqual(problemDifferences(p, solved[i]!), [], p.id));
});

test('independent checks: a one-device study, the accuracy keys, the joint latencies and the constraint', async () => {
  const s = loadSuite('hwnas-v1');
  const byId = new Map(s.problems.map((p) => [p.id, p]));
  // One device: the plain `latencyMs` of an ordinary truth study is the file's latencyMs@fpga.
  const fpga = byId.get('nb201-c10-fpga')!;
  const t = await computeTruthFront({ space: loadSpace('nb201'), devices: [loadDevice('fpga')], objectives: [objective('accuracy'), objective('latencyMs')] });
  assert.deepEqual(t.front.map((x) => [x.arch, x.metrics.accuracy, x.metrics.latencyMs]), fpga.front.map((x) => [x.arch, ...x.values]));
  assert.equal(t.hypervolume, fpga.frontHypervolume);

  const acc = nb201Accuracy();
  const lat = (d: string) => tableLatencyAll(loadDevice(d) as TableDevice);
  for (const [id, key] of [['nb201-c100-pixel3', 'cifar100ValidAcc'], ['nb201-in16-fpga', 'imagenet16ValidAcc'], ['nb201-c10-fleet5', 'cifar10ValidAcc']] as const) {
    const p = byId.get(id)!;
    for (const pt of p.front) assert.equal(pt.values[0], acc[key][nb201IndexOf(pt.arch)!], `${id} ${pt.arch}`);
  }
  const fleet = byId.get('nb201-c10-fleet5')!;
  const cols = fleet.devices.map(lat);
  for (const pt of fleet.front) cols.forEach((c, j) => assert.equal(pt.values[j + 1], c[nb201IndexOf(pt.arch)!], `${pt.arch} on ${fleet.devices[j]}`));

  // The constrained problem, by brute force over the table: feasible cells only, 2-D dominance.
  const con = byId.get('nb201-c10-pixel3-le10ms')!;
  const px = lat('pixel3');
  const feasible: { arch: string; v: [number, number] }[] = [];
  acc.archStrings.forEach((arch, i) => {
    if (px[i]! <= 10) feasible.push({ arch, v: [-acc.cifar10ValidAcc[i]!, px[i]!] });
  });
  assert.equal(con.feasible, feasible.length);
  const front = feasible.filter((a) => !feasible.some((b) => dominates(b.v, a.v))).map((a) => a.arch).sort();
  assert.deepEqual(con.front.map((x) => x.arch).sort(), front);
  assert.ok(con.front.every((x) => x.values[1]! <= 10));
});
