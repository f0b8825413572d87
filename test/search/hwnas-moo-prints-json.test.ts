import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../../src/cli/main.ts';

function capture() {
  let out = '';
  let err = '';
  return { io: { out: (t: string) => void (out += t), err: (t: string) => void (err += t), isTty: false }, get out() { return out; }, get err() { return err; } };
}

test('hwnas moo prints {hypervolume, hypervolumeRatio, igdPlus, front} as JSON', async () => {
  const c = capture();
  const code = await main(['moo', '--problem', 'zdt2', '--pop', '20', '--generations', '10', '--seed', '3'], c.io);
  assert.equal(code, 0);
  const r = JSON.parse(c.out) as { hypervolume: number; hypervolumeRatio: number; igdPlus: number; front: number[][]; evaluations: number };
  assert.equal(r.evaluations, 200);
  assert.ok(r.hypervolumeRatio >= 0 && r.hypervolumeRatio <= 1);
  assert.ok(r.igdPlus > 0);
  assert.ok(r.front.length > 0 && r.front.every((p) => p.length === 2));
});

test('hwnas moo --format csv prints the front; a bad problem is exit 2', async () => {
  const c = capture();
  assert.equal(await main(['moo', '--problem', 'dtlz2', '--pop', '12', '--generations', '3', '--format', 'csv'], c.io), 0);
  assert.equal(c.out.split('\n')[0], 'f1,f2,f3');
  assert.match(c.err, /hypervolumeRatio=/);
  const d = capture();
  assert.equal(await main(['moo', '--problem', 'nope'], d.io), 2);
  assert.match(d.err, /unknown problem/);
});
