import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../helpers/cli.ts';

const NB201_ARCH = '|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|skip_connect~2|';

function oneLine(err: string): void {
  assert.equal(err.trim().split('\n').length, 1, `expected one line, got:\n${err}`);
  assert.doesNotMatch(err, /\n\s+at /, 'no stack trace');
}

test('malformed space JSON names the file and line, exit 2', async () => {
  const dir = tempDir();
  const file = join(dir, 'broken.json');
  writeFileSync(file, '{\n  "id": "broken",\n  "family": "chain",\n  oops\n}\n');
  const r = await runCli(['eval', '--space', file, '--arch', '0']);
  assert.equal(r.code, 2);
  oneLine(r.err);
  assert.match(r.err, /broken\.json/);
  assert.match(r.err, /malformed JSON at line 4/);
});

test('schema-invalid space names the JSON path, expected and actual, exit 2', async () => {
  const dir = tempDir();
  const file = join(dir, 'bad.json');
  const space = {
    id: 'bad', family: 'chain', input: [3, 32, 32], classes: 10, stem: [], head: [],
    stages: [{ layers: 2, channels: -64, stride: 2 }],
    blocks: { identity: { op: 'identity' } }, choices: ['identity'], encoding: { kind: 'digits' },
  };
  writeFileSync(file, JSON.stringify(space));
  const r = await runCli(['eval', '--space', file, '--arch', '00']);
  assert.equal(r.code, 2);
  oneLine(r.err);
  assert.match(r.err, /bad\.json at \/stages\/0\/channels/);
  assert.match(r.err, /expected must be >= 1, got -64/);
});

test('unknown op in a space file is a schema error, exit 2', async () => {
  const dir = tempDir();
  const file = join(dir, 'op.json');
  writeFileSync(file, JSON.stringify({ id: 'op', family: 'nb201-cell', input: [3, 32, 32], classes: 10, stemChannels: 16, stageChannels: [16], cellsPerStage: 1, nodes: 4, ops: ['none', 'conv_9x9'] }));
  const r = await runCli(['eval', '--space', file, '--all']);
  assert.equal(r.code, 2);
  oneLine(r.err);
  assert.match(r.err, /\/ops\/1/);
  assert.match(r.err, /conv_9x9/);
});

test('unknown space, unknown device, wrong-space device, malformed arch, bad flag: exit 2, one line', async () => {
  const cases: [string[], RegExp][] = [
    [['eval', '--space', 'nope', '--all'], /unknown space "nope"/],
    [['eval', '--space', 'nb201', '--arch', NB201_ARCH, '--metrics', 'latency', '--device', 'nope'], /unknown device "nope"/],
    [['eval', '--space', 'nasbench-macro', '--arch', '01201201', '--metrics', 'latency', '--device', 'pixel3'], /device "pixel3" has latency only for nb201/],
    [['eval', '--space', 'nasbench-macro', '--arch', '0120120'], /malformed nasbench-macro arch.*expected 8 digits, got "0120120"/],
    [['eval', '--space', 'nasbench-macro', '--arch', '01201203'], /layer 7 is "3".*expected a digit 0-2/],
    [['eval', '--space', 'nb201', '--arch', NB201_ARCH.replace('nor_conv_3x3', 'conv_9x9')], /unknown op "conv_9x9"/],
    [['eval', '--space', 'nasbench-macro', '--all', '--metrics', 'params,bogus'], /unknown metric "bogus"/],
    [['eval', '--space', 'nasbench-macro', '--all', '--frobnicate'], /Unknown option '--frobnicate'/],
    [['search', '--budget', 'ten'], /--budget.*not a valid integer/],
    [['search', '--space', 'nb201', '--device', 'fpga', '--strategy', 'nope'], /unknown strategy "nope"/],
    [['search', '--space', 'nb201', '--device', 'fpga', '--objectives', 'accuracy,speed'], /unknown metric "speed"/],
    [['search', '--space', 'nb201', '--device', 'fpga', '--constraint', 'latencyMs<five'], /malformed constraint/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ];
  for (const [argv, re] of cases) {
    const r = await runCli(argv);
    assert.equal(r.code, 2, `${argv.join(' ')} → ${r.code}: ${r.err}`);
    oneLine(r.err);
    assert.match(r.err, re, argv.join(' '));
  }
});

test('a failed search start writes nothing', async () => {
  const dir = tempDir();
  const out = join(dir, 'run');
  const r = await runCli(['search', '--space', 'nasbench-macro', '--device', 'fpga', '--out', out]);
  assert.equal(r.code, 2);
  assert.equal(existsSync(out), false);
  assert.deepEqual(readdirSync(dir), []);
});
