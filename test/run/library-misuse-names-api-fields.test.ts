import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, loadDevice, loadSpace, objective, search, Study } from '../../src/index.ts';
import { runCli, tempDir } from '../helpers/cli.ts';

/** The call is refused with an InputError at `path` (an API field, never a CLI flag), saying what it expected and got. */
async function refused(call: () => unknown, path: string, expected: RegExp, actual?: RegExp): Promise<void> {
  let err: unknown;
  try {
    await call();
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof InputError, `expected an InputError at ${path}, got ${String(err)}`);
  assert.equal(err.path, path, err.message);
  assert.doesNotMatch(err.message, /(^|[\s(])--[a-z]/, `a CLI flag in a library error: ${err.message}`);
  assert.match(err.expected ?? '', expected, err.message);
  if (actual) assert.match(err.actual ?? '', actual, err.message);
}

test('search(): misuse is an InputError naming the option field, before anything is written', async () => {
  const cwd = tempDir();
  process.chdir(cwd);
  const out = join(tempDir(), 'run');
  // No arguments: no 100-evaluation search in the current folder.
  await refused(() => (search as (o?: unknown) => unknown)(), 'options', /at least out/);
  await refused(() => search(null as never), 'options', /SearchOptions/, /^null$/);
  await refused(() => search({} as never), 'options.out', /results folder/);
  // An unknown op was applied inverted; now it is named.
  await refused(() => search({ out, space: 'nb201', devices: ['fpga'], constraints: [{ metric: 'latencyMs', op: '<' as '<=', value: 5 }] }), 'options.constraints[0].op', /"<=" or ">="/, /^"<"$/);
  await refused(() => search({ out, devices: [] }), 'options.devices', /one or more devices/, /\[\]/);
  await refused(() => search({ out, budget: 0 }), 'options.budget', /integer in \[1, 1000000\]/, /^0$/);
  await refused(() => search({ out, space: 'nb201', devices: ['fpga'], objectives: ['accuracy', 'bogus' as string] }), 'options.objectives[1]', /one of accuracy/);
  await refused(() => search({ out, space: 'nope' }), 'options.space', /one of .*nb201/);
  await refused(() => search({ out, space: { id: 'x' } as never }), 'options.space', /SearchSpace/);
  await refused(() => search({ out, space: 'nb201', devices: ['fpga'], strategy: 'nsga2', strategyOptions: { pop: 3 } }), 'options.strategyOptions', /one of .*population/);
  await refused(() => search({ out, space: 'nb201', devices: ['fpga'], objectives: ['accuracy', 'p90Ms'] }), 'options.objectives', /one of .*latencyMs/, /^p90Ms$/);
  assert.equal(existsSync(out), false);
  assert.deepEqual(readdirSync(cwd), [], 'nothing in the current folder');
});

test('loadSpace, loadDevice and Study.create: misuse names the argument or settings field', async () => {
  await refused(() => loadSpace({ id: 'nb201' } as never), 'loadSpace(idOrPath)', /built-in space id/, /^object/);
  await refused(() => loadDevice(42 as never), 'loadDevice(idOrPath)', /built-in device id/, /^number 42/);
  const space = loadSpace('nb201');
  const devices = [loadDevice('fpga')];
  const base = { space, devices, objectives: [objective('accuracy'), objective('latencyMs')], strategy: 'random', budget: 3, seed: 0 };
  await refused(() => Study.create(null as never), 'settings', /StudySettings/);
  await refused(() => Study.create({ ...base, constraints: [{ metric: 'latencyMs', op: '<' as '<=', value: 5 }] }), 'settings.constraints[0].op', /"<=" or ">="/);
  await refused(() => Study.create({ ...base, constraints: [{ metric: 'latencyMs', op: '<=', value: Number.NaN }] }), 'settings.constraints[0].value', /finite number/, /NaN/);
  await refused(() => Study.create({ ...base, objectives: [{ metric: 'accuracy', direction: 'up' as 'max' }] }), 'settings.objectives[0].direction', /"min" or "max"/);
  // A strategy factory of the caller's that returns no strategy (found by the library fuzz run).
  await refused(async () => (await Study.create({ ...base, strategy: (() => 5) as never })).run(), 'settings.strategy', /ask\(n\) and tell\(trials\)/, /^number$/);
  await refused(() => Study.create({ ...base, devices: ['fpga' as never] }), 'settings.devices[0]', /DeviceProfile/);
  await refused(() => Study.create({ ...base, seed: -1 }), 'settings.seed', /\[0, 4294967295\]/);
  await refused(() => Study.create({ ...base, objectives: [objective('accuracy'), objective('p90Ms')] }), 'settings.objectives', /one of/);
  await refused(() => Study.create({ ...base, joint: true }), 'settings.joint', /two or more devices/);
  await refused(() => Study.create(base, { storage: { kind: 'disk' } as never }), 'options.storage.kind', /"folder", "journal" or "memory"/);
  // Right: a study in memory runs.
  const r = await (await Study.create(base)).run();
  assert.equal(r.targets[0]!.records.length, 3);
});

test('the CLI says the same errors under its flags', async () => {
  const out = join(tempDir(), 'run');
  const r = await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--objectives', 'accuracy,p90Ms', '--budget', '2', '--out', out]);
  assert.equal(r.code, 2);
  assert.match(r.err, /^hwnas search: --objectives: metric "p90Ms" is not produced by this evaluation; expected one of/);
  const s = await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--strategy', 'nsga2', '--option', 'pop=3', '--budget', '2', '--out', out]);
  assert.equal(s.code, 2);
  assert.match(s.err, /^hwnas search: --option: unknown option "pop" for strategy nsga2/);
  const d = await runCli(['search', '--space', 'nb201', '--device', 'nope', '--budget', '2', '--out', out]);
  assert.match(d.err, /^hwnas search: --device: unknown device "nope"/);
  assert.equal(existsSync(out), false);
});

test('an accuracy source of the caller that returns an impossible number: the record is a failure saying why, as a resume would judge it', async () => {
  const space = loadSpace('nb201');
  const accuracy = { id: 'mine', metric: 'accuracy', description: 'returns 101 %', metricNames: ['accuracy'], metrics: async () => ({ accuracy: 101 }) };
  const study = await Study.create({ space, devices: [loadDevice('fpga')], objectives: [objective('accuracy'), objective('latencyMs')], strategy: 'random', budget: 2, seed: 0, accuracy });
  const r = await study.run();
  for (const rec of r.targets[0]!.records) assert.deepEqual(rec.outcome, { status: 'failed', error: 'invalid outcome: accuracy is 101, above its maximum 100' });
});
