import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.ts';

function refused(r: { code: number; err: string }, re: RegExp, what: string): void {
  assert.equal(r.code, 2, `${what}: ${r.err}`);
  assert.equal(r.err.trim().split('\n').length, 1, r.err);
  assert.match(r.err, re, what);
}

test('a negative value reaches the flag\'s own check: expected range and the value, not "argument is ambiguous"', async () => {
  const cases: [string[], RegExp][] = [
    [['search', '--budget', '-5'], /^hwnas search: --budget: out of range; expected an integer in \[1, .*\], got "-5"$/m],
    [['eval', '--space', 'nasbench-macro', '--random', '-3'], /--random: out of range; expected an integer in \[1, 6561\], got "-3"/],
    [['eval', '--space', 'nasbench-macro', '--random', '2', '--seed', '-1'], /--seed: out of range; expected an integer in \[0, 4294967295\], got "-1"/],
    [['compare', '--alpha', '-0.5'], /--alpha: out of range; expected a number in \(0, 1\], got "-0.5"/],
    [['moo', '--problem', 'zdt1', '--pop', '-10'], /--pop: out of range/],
    [['search', '--out', '--resume'], /--out: missing value; expected a value after the flag, got the flag --resume/],
    [['search', '--budget'], /--budget: missing value; expected a value after the flag, got nothing/],
  ];
  for (const [args, re] of cases) refused(await runCli(args), re, args.join(' '));
});

test('work that cannot finish is refused up front with the limit', async () => {
  const cases: [string[], RegExp][] = [
    [['eval', '--space', 'nasbench-macro', '--random', '1000000000'], /--random: out of range; expected an integer in \[1, 6561\], got "1000000000"/],
    [['eval', '--space', 'fbnet', '--random', '1000000000'], /--random: out of range; expected an integer in \[1, 1000000\]/],
    [['export', '--space', 'fbnet', '--random', '1000000000', '--out', '/tmp/never'], /--random: out of range; expected an integer in \[1, 100000\]/],
    [['moo', '--problem', 'zdt1', '--pop', '100000'], /--pop: out of range; expected an integer in \[2, 10000\]/],
    [['moo', '--problem', 'zdt1', '--pop', '10000', '--generations', '100000'], /--generations: out of range; expected an integer in \[1, 1000\]/],
    [['profile', '--device', 'ort-cpu-1t', '--space', 'nasbench-macro', '--samples', '100000'], /--samples: out of range; expected an integer in \[2, 10000\]/],
    [['profile', '--device', 'ort-cpu-1t', '--space', 'nasbench-macro', '--samples', '4', '--folds', '5'], /--folds: out of range; expected an integer in \[2, 4\]/],
  ];
  for (const [args, re] of cases) refused(await runCli(args), re, args.join(' '));
});
