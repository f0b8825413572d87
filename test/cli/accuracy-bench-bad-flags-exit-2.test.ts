import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../helpers/cli.ts';

async function refused(args: string[], flag: string): Promise<string> {
  const out = join(tempDir(), 'bench');
  const r = await runCli(['accuracy-bench', ...args, '--out', out]);
  assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
  assert.equal(r.err.trim().split('\n').length, 1, r.err);
  assert.ok(r.err.includes(flag), `names ${flag}: ${r.err}`);
  assert.ok(!existsSync(out), 'nothing written');
  return r.err;
}

test('accuracy-bench: bad flags exit 2 naming the flag, before anything is written', async () => {
  const unknown = await refused(['--signals', 'flops,nope'], '--signals');
  assert.match(unknown, /unknown signal "nope"/);
  for (const known of ['flops', 'params', 'synflow', 'naswot', 'grad_norm', 'snip', 'proxy-train', 'zero-cost:synflow', 'command:<command>', 'combo:']) assert.ok(unknown.includes(known), `lists ${known}: ${unknown}`);
  assert.match(await refused(['--space', 'fbnet-cifar100'], '--space'), /no accuracy table/);
  await refused(['--signals', 'table'], '--signals');
  await refused(['--signals', 'command:'], '--signals');
  await refused(['--signals', 'command:python3 x.py | tee log'], '--signals');
  assert.match(await refused(['--signals', 'flops,command:no-such-trainer-program x'], '--signals'), /not on PATH/);
  await refused(['--signals', 'combo:flops'], '--signals');
  await refused(['--signals', ''], '--signals');
  await refused(['--samples', '2'], '--samples');
  await refused(['--samples', '7000'], '--samples');
  await refused(['--seed', '-1'], '--seed');
  await refused(['--format', 'xml'], '--format');
  await refused(['--jobs', '0'], '--jobs');
  await refused(['--bogus', '1'], '--bogus');
  await refused(['--signals', 'proxy-train', '--train-epochs', '0'], '--train-epochs');
  await refused(['--signals', 'naswot', '--data', '/no/such/folder'], '--data');
});
