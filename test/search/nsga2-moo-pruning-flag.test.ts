import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../../src/cli/main.ts';

function capture() {
  let out = '';
  let err = '';
  return { io: { out: (t: string) => void (out += t), err: (t: string) => void (err += t), isTty: false }, get out() { return out; }, get err() { return err; } };
}

test('hwnas moo --pruning picks the survival pruning; the default is nearest-neighbour; a bad one is exit 2', async () => {
  const run = async (extra: string[]) => {
    const c = capture();
    assert.equal(await main(['moo', '--problem', 'dtlz2', '--pop', '16', '--generations', '6', '--seed', '2', ...extra], c.io), 0);
    return JSON.parse(c.out) as { hypervolume: number; front: number[][] };
  };
  const byDefault = await run([]);
  assert.deepEqual(byDefault, await run(['--pruning', 'nearest-neighbour']));
  for (const k of ['one-shot', 'iterative']) assert.ok((await run(['--pruning', k])).front.length > 0);
  const bad = capture();
  assert.equal(await main(['moo', '--problem', 'dtlz2', '--pruning', 'nope'], bad.io), 2);
  assert.match(bad.err, /--pruning/);
});
