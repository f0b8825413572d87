import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../helpers/cli.ts';

const macro = () => JSON.parse(readFileSync(new URL('../../spaces/nasbench-macro.json', import.meta.url), 'utf8'));
const nb201 = () => JSON.parse(readFileSync(new URL('../../spaces/nb201.json', import.meta.url), 'utf8'));

function spaceFile(dir: string, name: string, def: Record<string, unknown>): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ ...def, id: name }));
  return file;
}

function oneLine(err: string): void {
  assert.equal(err.trim().split('\n').length, 1, err);
  assert.doesNotMatch(err, /\n\s+at |RangeError|internal error/);
}

test('a space asking for 10^9 channels, 10^6 layers or 10^6 cells is refused at its JSON path with the limit, before any array is sized', async () => {
  const dir = tempDir();
  const huge = macro();
  huge.stages[0].channels = 1e9;
  const deep = macro();
  deep.stages[1].layers = 1e6;
  const cells = nb201();
  cells.cellsPerStage = 1e6;
  const wide = nb201();
  wide.input = [3, 1e6, 32];
  const cases: [string, string[], RegExp][] = [
    [spaceFile(dir, 'huge', huge), ['export', '--arch', '00000000', '--out', join(dir, 'o')], /huge\.json at \/stages\/0\/channels: .*expected must be <= 16384, got 1000000000/],
    [spaceFile(dir, 'huge', huge), ['eval', '--arch', '00000000'], /huge\.json at \/stages\/0\/channels/],
    [spaceFile(dir, 'deep', deep), ['eval', '--random', '1'], /deep\.json at \/stages\/1\/layers: .*expected must be <= 64, got 1000000/],
    [spaceFile(dir, 'cells', cells), ['eval', '--random', '1'], /cells\.json at \/cellsPerStage: .*<= 64/],
    [spaceFile(dir, 'wide', wide), ['eval', '--random', '1'], /wide\.json at \/input\/1: .*<= 4096/],
  ];
  for (const [file, args, re] of cases) {
    const r = await runCli([args[0]!, '--space', file, ...args.slice(1)]);
    assert.equal(r.code, 2, r.err);
    oneLine(r.err);
    assert.match(r.err, re);
  }
});

test('a space within the field limits whose model would not fit (2.7e8 params) names the file and the model limit', async () => {
  const dir = tempDir();
  const big = macro();
  big.stages[0].channels = 16384;
  big.stages[1].channels = 16384;
  const r = await runCli(['export', '--space', spaceFile(dir, 'big', big), '--arch', '00000000', '--out', join(dir, 'o')]);
  assert.equal(r.code, 2, r.err);
  oneLine(r.err);
  assert.match(r.err, /big\.json: model big:00000000 has 2\.74e8 parameters, too many; expected at most 268435456 \(2\^28\)/);
});

test('an unknown block op is reported at its own path, not at a field the op does not take', async () => {
  const dir = tempDir();
  const def = macro();
  def.blocks.mb3_k3.op = 'conv3';
  const r = await runCli(['eval', '--space', spaceFile(dir, 'op', def), '--random', '1']);
  assert.equal(r.code, 2);
  oneLine(r.err);
  assert.match(r.err, /op\.json at \/blocks\/mb3_k3\/op: does not match the schema; expected one of \["identity","mbconv"\], got "conv3"/);
});

test('export of an architecture whose shapes cannot fit (found by the fuzz suite) names the space file and the arch', async () => {
  const dir = tempDir();
  const def = macro();
  def.blocks.mb3_k3.kernel = 4; // even kernel: "same" padding grows the map by one, the residual add cannot match
  const file = spaceFile(dir, 'even', def);
  const r = await runCli(['export', '--space', file, '--arch', '01000000', '--out', join(dir, 'o')]);
  assert.equal(r.code, 2, r.err);
  oneLine(r.err);
  assert.equal(r.err, `hwnas export: ${file}: arch "01000000" cannot be built (add_0: add inputs differ in shape: [64,17,17] vs [64,16,16])\n`);
});
