import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getAccuracySource } from '../../src/accuracy/accuracy-registry.ts';
import { loadSpace, SPACES_DIR } from '../../src/space/space-registry.ts';
import { DEVICES_DIR } from '../../src/latency/device-profile.ts';
import { runCli, tempDir } from '../helpers/cli.ts';

/** Issue #9: what a new user tried, each now behaving as expected. */

test('reinforce runs on defaults: the latency target is the median of the first batch, printed and saved', async () => {
  const out = join(tempDir(), 'r');
  const r = await runCli(['search', '--space', 'nb201', '--device', 'pixel3', '--strategy', 'reinforce', '--budget', '30', '--out', out]);
  assert.equal(r.code, 0, r.err);
  const m = /reinforce targetLatencyMs: ([0-9.]+)/.exec(r.err);
  assert.ok(m, r.err);
  const summary = JSON.parse(readFileSync(join(out, 'strategy-pixel3.json'), 'utf8')) as { targetLatencyMs: number; targetSource: string };
  assert.equal(summary.targetLatencyMs, Number(m[1]));
  assert.match(summary.targetSource, /median latency of the first 10 results/);
  // The target is the median latency of the first batch of the journal.
  const first = readFileSync(join(out, 'journal-pixel3.jsonl'), 'utf8').trim().split('\n').slice(0, 10)
    .map((l) => (JSON.parse(l) as { outcome: { metrics: { latencyMs: number } } }).outcome.metrics.latencyMs).sort((a, b) => a - b);
  assert.equal(summary.targetLatencyMs, (first[4]! + first[5]!) / 2);
  // --target-latency still overrides it.
  const o = await runCli(['search', '--space', 'nb201', '--device', 'pixel3', '--strategy', 'reinforce', '--budget', '10', '--target-latency', '12.5', '--out', join(out, 'o')]);
  assert.equal(o.code, 0, o.err);
  assert.match(o.err, /reinforce targetLatencyMs: 12.5/);
});

test('reinforce with a zero-cost accuracy proxy: the maximised objective is the proxy, no string round trip', async () => {
  const out = join(tempDir(), 'z');
  const r = await runCli(['search', '--space', 'nasbench-macro', '--device', 'ort-cpu-1t', '--strategy', 'reinforce', '--accuracy', 'zero-cost:params', '--budget', '4', '--out', out]);
  assert.equal(r.code, 0, r.err);
  const header = readFileSync(join(out, 'leaderboard-ort-cpu-1t.csv'), 'utf8').split('\n')[0]!;
  assert.match(header, /,params,/);
  const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { objectives: { metric: string; direction: string }[] };
  assert.deepEqual(config.objectives, [{ metric: 'params', direction: 'max' }, { metric: 'latencyMs', direction: 'min' }]);
});

test('compare with a device file that copies a built-in device under a new id', async () => {
  const dir = tempDir();
  const mine = join(dir, 'my-fpga.json');
  writeFileSync(mine, JSON.stringify({ ...JSON.parse(readFileSync(join(DEVICES_DIR, 'fpga.json'), 'utf8')), id: 'myfpga' }));
  const r = await runCli(['compare', '--space', 'nb201', '--device', mine, '--strategies', 'random,nsga2', '--seeds', '2', '--budget', '30', '--out', join(dir, 'c')]);
  assert.equal(r.code, 0, r.err);
  assert.ok(existsSync(join(dir, 'c', 'truth-nb201-myfpga.json')));
  assert.match(r.out, /nsga2 @ 30: median HV ratio/);
});

test('an objective or constraint the evaluation cannot produce is exit 2 before anything is written', async () => {
  const dir = tempDir();
  const cases: [string[], RegExp][] = [
    [['--objectives', 'accuracy,predictedLatencyMs'], /--objectives: metric "predictedLatencyMs" is not produced by this evaluation; expected one of .*latencyMs/],
    [['--constraint', 'p90Ms<=3'], /--constraint: metric "p90Ms" is not produced/],
    [['--objectives', 'accuracy,latencyMs@pixel3'], /need --joint/],
    [['--strategy', 'nsga2', '--option', 'pop=20'], /--option: unknown option "pop" for strategy nsga2; expected one of .*population/],
    [['--option', 'pop=20'], /--option: unknown option "pop" for strategy bo; expected one of .*refMargin/],
    [['--out', ''], /--out: empty output folder/],
  ];
  for (const [k, [extra, message]] of cases.entries()) {
    const out = join(dir, `s${k}`);
    const r = await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--budget', '20', '--out', out, ...extra]);
    assert.equal(r.code, 2, `${extra.join(' ')}: ${r.err}`);
    assert.match(r.err, message);
    assert.equal(r.err.trim().split('\n').length, 1, 'one line');
    assert.equal(existsSync(out), false, `${extra.join(' ')} wrote nothing`);
  }
});

test('--resume compares content: an edited space or device file is refused, naming what changed', async () => {
  const dir = tempDir();
  const space = join(dir, 'macro.json');
  const device = join(dir, 'dev.json');
  copyFileSync(join(SPACES_DIR, 'nasbench-macro.json'), space);
  writeFileSync(device, JSON.stringify({ id: 'mycpu', kind: 'measured', runtime: 'ort-cpu', threads: 1, timing: { warmupRuns: 1, warmupMs: 0, iterations: 3, minTimeMs: 0 } }));
  const out = join(dir, 'run');
  const args = ['search', '--space', space, '--device', device, '--accuracy', 'zero-cost:params', '--budget', '3', '--out', out];
  assert.equal((await runCli(args)).code, 0);
  // Same content, rewritten with other formatting: resumes.
  writeFileSync(space, JSON.stringify(JSON.parse(readFileSync(space, 'utf8'))));
  const same = await runCli([...args, '--resume']);
  assert.equal(same.code, 0, same.err);
  assert.match(same.out, /3 from the journal/);
  const def = JSON.parse(readFileSync(space, 'utf8')) as { stages: { channels: number }[] };
  def.stages[0]!.channels += 8;
  writeFileSync(space, JSON.stringify(def));
  const edited = await runCli([...args, '--resume']);
  assert.equal(edited.code, 2);
  assert.match(edited.err, /cannot resume: settings changed since the run: space \(was \{"contentHash":"[0-9a-f]+/);
  def.stages[0]!.channels -= 8;
  writeFileSync(space, JSON.stringify(def));
  writeFileSync(device, JSON.stringify({ id: 'mycpu', kind: 'measured', runtime: 'ort-cpu', threads: 2 }));
  const dev = await runCli([...args, '--resume']);
  assert.equal(dev.code, 2);
  assert.match(dev.err, /settings changed since the run: devices \(was/);
});

test('the library reaches every accuracy source, and the seed reaches the proxies', async () => {
  const space = loadSpace('nasbench-macro');
  const train = await getAccuracySource('proxy-train', space, { seed: 7, jobs: 1 });
  assert.equal(train.id, 'proxy-train');
  assert.match(train.description, /seed 7/);
  const g = space.decode('01020010');
  const s0 = await getAccuracySource('zero-cost:synflow', space, { seed: 0, jobs: 1 });
  const s1 = await getAccuracySource('zero-cost:synflow', space, { seed: 1, jobs: 1 });
  assert.match(s1.description, /seed 1/);
  const [a, b, a2] = [await s0.metrics(space, g), await s1.metrics(space, g), await s0.metrics(space, g)];
  assert.equal(a.synflow, a2.synflow, 'same seed, same score');
  assert.notEqual(a.synflow, b.synflow, 'another seed draws other weights');
});

test('no "best" architecture is claimed when none meets the constraints', async () => {
  const out = join(tempDir(), 'c');
  const r = await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--budget', '15', '--constraint', 'latencyMs<=0.0001', '--out', out]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /fpga: 15 evaluated, 0 failed, front 0; no architecture meets the constraints/);
  assert.doesNotMatch(r.out, /best/);
});

test('--out that cannot be a folder is one line, exit 2, never a hang and nothing left behind', { timeout: 120_000 }, async () => {
  const dir = tempDir();
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');
  const cases: [string, RegExp][] = [
    ['/proc/hwnas-x', /--out: output folder is on procfs, a kernel filesystem/],
    [file, /--out: output folder is a file/],
    [join(file, 'under'), /--out: output folder lies under a file/],
  ];
  for (const [out, message] of cases) {
    for (const cmd of [['search', '--space', 'nb201', '--device', 'fpga', '--budget', '5'], ['compare', '--space', 'nb201', '--device', 'fpga', '--seeds', '1', '--budget', '5']]) {
      const r = await runCli([...cmd, '--out', out]);
      assert.equal(r.code, 2, `${cmd[0]} --out ${out}: ${r.err}`);
      assert.match(r.err, message);
      assert.equal(r.err.trim().split('\n').length, 1, 'one line, no stack trace');
    }
  }
  const nested = join(dir, 'new', 'deeper');
  const bad = await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--objectives', 'accuracy,nope', '--out', nested]);
  assert.equal(bad.code, 2);
  assert.equal(existsSync(join(dir, 'new')), false, 'a refused run leaves no folder behind');
});
