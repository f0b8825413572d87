import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnCli } from '../helpers/cli-process.ts';

/**
 * `hwnas spaces | head -1`: the reader closes the pipe before the command has written. The command
 * stops quietly (no EPIPE stack trace on stderr), whichever command it is.
 */
const commandLines = [
  ['spaces'],
  ['devices'],
  ['--help'],
  ['search', '--help'],
  ['eval', '--space', 'nasbench-macro', '--all', '--metrics', 'params,flops'],
];

for (const args of commandLines) {
  test(`hwnas ${args.join(' ')} with stdout closed early: no stack trace, exit 0`, { timeout: 60_000 }, async () => {
    const child = spawnCli(args);
    // Closed before the child has started (loading the CLI takes far longer than this): every
    // write the command makes meets a closed pipe.
    child.stdout!.destroy();
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    assert.equal(err, '', 'nothing on stderr');
    assert.equal(code, 0);
  });
}
