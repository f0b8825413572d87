import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.ts';

test('compare: a bad strategy option or objective is exit 2 before anything is written', async () => {
  const dir = tempDir();
  const cases: [string[], RegExp][] = [
    [['--strategies', 'random,nsga2', '--option', 'nsga2.pop=3'], /unknown option "pop" for strategy nsga2; expected one of .*population/],
    [['--option', 'foo.population=3'], /--option: option for strategy "foo"/],
    [['--strategies', 'random,nsga2', '--option', 'nsga2.population=1'], /population/],
    [['--option', 'nsga2.population=20'], /option for strategy "nsga2", which is not compared; .*one of random, bo/],
    [['--strategies', 'random,nope'], /unknown strategy "nope"/],
    [['--objectives', 'latencyMs'], /single-objective comparison needs the objective accuracy/],
  ];
  for (const [k, [extra, message]] of cases.entries()) {
    const out = join(dir, `c${k}`);
    const r = await runCli(['compare', '--space', 'nb201', '--device', 'fpga', '--seeds', '1', '--budget', '10', '--out', out, ...extra]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, message);
    assert.equal(r.err.trim().split('\n').length, 1, 'one line');
    assert.equal(existsSync(out), false, `${extra.join(' ')} must write nothing`);
  }
});
