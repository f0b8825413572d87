import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { getAccuracySource } from '../../src/accuracy/accuracy-registry.ts';
import { InputError } from '../../src/errors.ts';
import { countParams } from '../../src/graph/count.ts';
import { loadDevice } from '../../src/latency/device-profile.ts';
import { readJournalFile } from '../../src/record/journal.ts';
import { customMetric, objective } from '../../src/record/metric-registry.ts';
import { search } from '../../src/run/search.ts';
import { Study } from '../../src/run/study.ts';
import { loadSpace } from '../../src/space/space-registry.ts';
import { runCli, tempDir } from '../helpers/cli.ts';
import { askTellLoop, createMacroStudy } from './fixtures/ask-tell-loop.ts';

const space = loadSpace('nasbench-macro');
const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
const journalLines = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');

/** `f` throws an InputError whose path is `path` (and whose message matches `re`). */
async function refused(f: () => unknown, path: string, re?: RegExp): Promise<InputError> {
  let caught: unknown;
  try {
    await f();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof InputError, `expected an InputError at ${path}, got ${String(caught)}`);
  assert.equal(caught.path, path, caught.message);
  if (re) assert.match(caught.message, re);
  return caught;
}

test('ask/tell: the table values told by user code give exactly the leaderboard of Study.run on the table', async () => {
  const dir = tempDir();
  const told = join(dir, 'told');
  const lines: string[] = [];
  await askTellLoop(told, 40, 0, (l) => lines.push(l));
  assert.equal(lines.filter((l) => l.startsWith('told ')).length, 40);
  const ran = join(dir, 'ran');
  const study = await Study.create({
    space, objectives: [objective('accuracy'), objective('flops')], constraints: [{ metric: 'paramCount', op: '<=', value: 1_500_000 }],
    accuracy: 'table', strategy: 'nsga2', budget: 40, seed: 4,
  }, { storage: { kind: 'folder', dir: ran } });
  await study.run();
  for (const f of ['leaderboard-nasbench-macro.csv', 'front-nasbench-macro.csv']) assert.equal(read(told, f), read(ran, f), f);
  assert.equal(read(told, 'leaderboard-nasbench-macro.csv').trim().split('\n').length, 41);
  assert.ok(read(told, 'front-nasbench-macro.csv').trim().split('\n').length > 2, 'a front of several architectures');
  // The journal is a search journal: valid lines, numbered 1..40, each with what hwnas counted and what the user told.
  const j = readJournalFile(join(told, 'journal-nasbench-macro.jsonl'));
  assert.deepEqual(j.problems, []);
  assert.deepEqual(j.entries.map((e) => e.n).sort((a, b) => a - b), Array.from({ length: 40 }, (_, i) => i + 1));
  for (const e of j.entries) {
    assert.equal(e.outcome.status, 'ok');
    if (e.outcome.status === 'ok') assert.deepEqual(Object.keys(e.outcome.metrics).sort(), ['accuracy', 'accuracyStd', 'flops', 'paramCount']);
  }
  assert.deepEqual(JSON.parse(read(told, 'config.json')).toldMetrics, ['accuracy', 'accuracyStd']);
  assert.equal(existsSync(join(told, '.lock')), false, 'close() released the folder');
  const report = await runCli(['report', told]);
  assert.equal(report.code, 0, report.err);
  assert.ok(existsSync(join(told, 'report.html')));
});

test('ask(n) hands out at most the open round; the next opens when every trial of it is told', async () => {
  const study = await createMacroStudy(25, { kind: 'memory' });
  const a = await study.ask(4);
  const b = await study.ask(4);
  const c = await study.ask(4);
  assert.deepEqual([...a, ...b, ...c].map((t) => t.number), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'a round is batchSize (10) trials');
  await refused(() => study.ask(), 'ask', /every trial of this round is out: tell trials 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 first/);
  const t = a[0]!;
  assert.equal(t.metrics.paramCount, countParams(t.graph()), 'hwnas counted the candidate before handing it out');
  assert.equal(t.arch, space.encode(t.genotype));
  const onnx = t.onnx();
  assert.ok(onnx.byteLength > 4 * t.metrics.paramCount!, 'the ONNX bytes hold the float32 weights');
  const table = await getAccuracySource('table', space);
  for (const x of [...a, ...b, ...c]) {
    const m = await table.metrics(space, x.genotype);
    study.tell(x.number % 2 === 0 ? x.number : x, { accuracy: m.accuracy!, accuracyStd: m.accuracyStd! }); // a trial or its number
  }
  assert.deepEqual(study.waiting, []);
  assert.deepEqual((await study.ask(4)).map((x) => x.number), [11, 12, 13, 14]);
  const r = study.writeLeaderboards();
  assert.equal(r.records.length, 10, 'the told round');
  await study.close();
});

test('misuse of ask/tell throws InputError naming the field; a refused tell changes nothing', async () => {
  const study = await createMacroStudy(10, { kind: 'memory' });
  await refused(() => study.tell(1, { accuracy: 90, accuracyStd: 0.1 }), 'trial', /no trial was asked yet/);
  await refused(() => study.ask(0), 'ask(n)');
  const asked = await study.ask(2);
  const t = asked[0]!;
  const u = asked[1]!;
  // @ts-expect-error a misspelt metric does not compile either
  await refused(() => study.tell(t, { acuracy: 91, accuracyStd: 0.1 }), 'values.acuracy', /unknown metric "acuracy".*expected one of the study's toldMetrics: accuracy, accuracyStd, got acuracy/);
  await refused(() => study.tell(t, { accuracy: Number.NaN, accuracyStd: 0.1 }), 'values.accuracy', /not a finite number; expected a finite number, got NaN/);
  // @ts-expect-error a string is not a number
  await refused(() => study.tell(t, { accuracy: '91', accuracyStd: 0.1 }), 'values.accuracy', /got "91"/);
  await refused(() => study.tell(t, { accuracy: 120, accuracyStd: 0.1 }), 'values.accuracy', /expected a value in \[0, 100\] %, got 120/);
  // @ts-expect-error a told metric is missing
  await refused(() => study.tell(t, { accuracy: 91 }), 'values.accuracyStd', /missing/);
  await refused(() => study.tell(t, { accuracy: 91, accuracyStd: 0.1, paramCount: 5 } as never), 'values.paramCount', /paramCount is measured by the study itself/);
  await refused(() => study.tell(t, { failed: ' ' }), 'values.failed');
  await refused(() => study.tell(t, { failed: 'oom', accuracy: 3 } as never), 'values.accuracy', /a failed trial has no metric values/);
  await refused(() => study.tell(t, null as never), 'values');
  await refused(() => study.tell(999, { accuracy: 91, accuracyStd: 0.1 }), 'trial', /trial 999 was not asked by this study; expected one of the trials out: 1, 2/);
  const other = await createMacroStudy(10, { kind: 'memory' });
  const foreign = (await other.ask())!;
  assert.equal(foreign.number, t.number);
  await refused(() => study.tell(foreign, { accuracy: 91, accuracyStd: 0.1 }), 'trial', /trial 1 was not asked by this study/);
  assert.deepEqual(study.waiting, [1, 2], 'nothing refused was recorded');
  const ok = study.tell(t, { accuracy: 91, accuracyStd: 0.1 });
  assert.equal(ok.outcome.status, 'ok');
  await refused(() => study.tell(t, { accuracy: 91, accuracyStd: 0.1 }), 'trial', /trial 1 was already told/);
  const failed = study.tell(u, { failed: 'out of memory on my GPU' });
  assert.deepEqual(failed.outcome, { status: 'failed', error: 'out of memory on my GPU' });
  await study.close();
  await refused(() => study.ask(), 'ask', /closed/);
  await refused(() => study.tell(3, { failed: 'x' }), 'trial', /closed/);
  await other.close();
});

test('Study.create and search refuse bad told metrics and misspelt names, at compile time and at run time', async () => {
  const base = { space, objectives: [objective('accuracy')], strategy: 'random', budget: 5, seed: 0 } as const;
  await refused(() => Study.create({ ...base, accuracy: 'table', toldMetrics: ['accuracy'] }), 'settings.toldMetrics', /"accuracy" is told by your code and also measured by the study/);
  await refused(() => Study.create({ ...base, toldMetrics: ['accuracy', 'accuracy'] }), 'settings.toldMetrics', /told twice/);
  await refused(() => Study.create({ ...base, toldMetrics: ['accuracy', ''] as never }), 'settings.toldMetrics[1]');
  await refused(() => Study.create({ ...base, devices: [loadDevice('fpga'), loadDevice('pixel3')], space: loadSpace('nb201'), toldMetrics: ['accuracy'] }), 'settings.devices', /one target/);
  await refused(() => Study.create({ ...base, accuracy: null, toldMetrics: ['latencyMs'] }), 'settings.objectives', /metric "accuracy" is not produced by this evaluation; expected one of paramCount, flops, latencyMs/);
  const told = await Study.create({ ...base, toldMetrics: ['accuracy'] });
  await refused(() => told.run(), 'toldMetrics', /come from your code/);
  await told.close();
  // A custom metric goes through customMetric(); its values are checked like any other.
  const energy = customMetric('energyMj');
  const custom = await Study.create({ ...base, objectives: [objective('accuracy'), { metric: energy, direction: 'min' }], toldMetrics: ['accuracy', energy] });
  const t = (await custom.ask())!;
  custom.tell(t, { accuracy: 88, energyMj: 3.5 });
  assert.deepEqual(custom.writeLeaderboards().rows[0]!.metrics, { paramCount: t.metrics.paramCount, flops: t.metrics.flops, accuracy: 88, energyMj: 3.5 });
  await custom.close();
  // A misspelt literal fails type-checking; at run time it is refused before anything is written.
  // @ts-expect-error misspelt objective
  await refused(() => Study.create({ ...base, objectives: [{ metric: 'acuracy', direction: 'max' }] }), 'settings.objectives', /acuracy/);
  // @ts-expect-error misspelt constraint
  await refused(() => Study.create({ ...base, constraints: [{ metric: 'latncyMs', op: '<=', value: 3 }] }), 'settings.constraints', /latncyMs/);
  // @ts-expect-error misspelt told metric
  await refused(() => Study.create({ ...base, objectives: [], toldMetrics: ['acc'] }), 'settings.objectives');
  // @ts-expect-error misspelt objective name
  await refused(() => objective('latncyMs'), 'objective(metric)', /unknown metric "latncyMs"/);
  // @ts-expect-error misspelt objective of search()
  await refused(() => search({ space: 'nb201', devices: ['fpga'], objectives: ['accuracy', 'latncyMs'], budget: 3, out: join(tempDir(), 'x') }), 'options.objectives[1]');
});

test('an ask/tell loop killed with SIGKILL resumes without losing or repeating a told result', { timeout: 120_000 }, async () => {
  const dir = tempDir();
  const ref = join(dir, 'ref');
  await askTellLoop(ref, 40, 0, () => {});
  const out = join(dir, 'killed');
  const fixture = resolve(import.meta.dirname, 'fixtures/ask-tell-loop.ts');
  const start = (delayMs: number) => spawn(process.execPath, ['--import', import.meta.resolve('tsx'), fixture, out, '40', String(delayMs)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const toldBeforeKill: number[] = [];
  const child = start(40);
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  let buf = '';
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    for (const m of buf.matchAll(/told (\d+)\n/g)) if (!toldBeforeKill.includes(Number(m[1]))) toldBeforeKill.push(Number(m[1]));
    if (toldBeforeKill.length >= 13) child.kill('SIGKILL'); // mid round 2, whatever the loop is doing
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on('close', (c, s) => r([c, s])));
  assert.equal(signal, 'SIGKILL', `the loop was killed, not finished: ${code} ${err}`);
  const journal = join(out, 'journal-nasbench-macro.jsonl');
  const before = journalLines(journal);
  const numbersBefore = before.map((l) => (JSON.parse(l) as { n: number }).n);
  assert.ok(before.length >= 13 && before.length < 40, `${before.length} journaled when killed`);
  for (const n of toldBeforeKill) assert.ok(numbersBefore.includes(n), `trial ${n} was journaled before tell() returned`);

  const again = start(0);
  let log = '';
  again.stdout.on('data', (d: Buffer) => (log += d.toString()));
  again.stderr.on('data', (d: Buffer) => (log += d.toString()));
  assert.equal(await new Promise((r) => again.on('close', r)), 0, log);
  assert.match(log, /closed\n$/);
  const toldAfter = [...log.matchAll(/told (\d+)/g)].map((m) => Number(m[1]));
  assert.deepEqual([...numbersBefore, ...toldAfter].sort((a, b) => a - b), Array.from({ length: 40 }, (_, i) => i + 1), 'every trial told once, across both processes');
  const after = journalLines(journal);
  assert.deepEqual(after.slice(0, before.length), before, 'the journal before the kill is kept as it was');
  assert.equal(new Set(after.map((l) => (JSON.parse(l) as { arch: string }).arch)).size, 40, 'no architecture twice');
  assert.equal(read(out, 'leaderboard-nasbench-macro.csv'), read(ref, 'leaderboard-nasbench-macro.csv'), 'the same leaderboard as an uninterrupted loop');
});
