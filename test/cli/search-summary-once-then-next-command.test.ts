import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.ts';

test('a search prints its summary once (stdout, not also stderr) and ends with the next command, which runs', async () => {
  const out = join(tempDir(), 'first run');
  const r = await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--budget', '10', '--out', out]);
  assert.equal(r.code, 0, r.err);
  const summary = /fpga: 10 evaluated/g;
  assert.equal((r.out.match(summary) ?? []).length, 1, r.out);
  assert.equal((r.err.match(summary) ?? []).length, 0, r.err);
  assert.doesNotMatch(r.err, /front of \d+/);
  const last = r.out.trim().split('\n').at(-1)!;
  const m = /^next: npx hwnas (report '(.+)') {3}\(writes (.+)\)$/.exec(last);
  assert.ok(m, `the last line says what to run next: ${last}`);
  assert.equal(m[2], out, 'the path quoted as one shell word (it has a space)');
  assert.equal(m[3], join(out, 'report.html'));
  // The command it names works.
  const report = await runCli(['report', m[2]!]);
  assert.equal(report.code, 0, report.err);
  assert.ok(existsSync(m[3]!));
});
