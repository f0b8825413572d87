import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../helpers/cli.ts';

// Found by the long fuzz run (device property, seed 20261130): a device file of 4,100 nested arrays
// parsed, failed the schema, and then overflowed the stack while the error message quoted the value.
test('a device or space file nested thousands deep is one clear error naming the file, exit 2', async () => {
  const dir = tempDir();
  const deep = `${'['.repeat(5000)}1${']'.repeat(5000)}`;
  const device = join(dir, 'device.json');
  writeFileSync(device, deep);
  let r = await runCli(['eval', '--space', 'nasbench-macro', '--random', '1', '--metrics', 'params,latency', '--device', device]);
  assert.equal(r.code, 2, r.err);
  assert.equal(r.err, `hwnas eval: ${device}: JSON nested too deep; expected at most 64 levels of arrays and objects, got more\n`);
  assert.equal(r.err.trim().split('\n').length, 1, r.err);

  const space = join(dir, 'space.json');
  writeFileSync(space, `{"id": "deep", "family": ${deep}}`);
  r = await runCli(['eval', '--space', space, '--random', '1']);
  assert.equal(r.code, 2, r.err);
  assert.equal(r.err, `hwnas eval: ${space}: JSON nested too deep; expected at most 64 levels of arrays and objects, got more\n`);
  assert.equal(r.err.trim().split('\n').length, 1, r.err);
});

test('a journal line nested thousands deep is listed as a problem with its line number; the other lines are used', async () => {
  const { readJournalFile } = await import('../../src/record/journal.ts');
  const { readJournal } = await import('../../src/report/read-journal.ts');
  const file = join(tempDir(), 'journal-fpga.jsonl');
  const good = { n: 1, arch: '00000000', evalMs: 1, genotype: [0, 0, 0, 0, 0, 0, 0, 0], outcome: { status: 'ok', metrics: { accuracy: 50 } } };
  writeFileSync(file, `${JSON.stringify(good)}\n{"arch": ${'['.repeat(5000)}${']'.repeat(5000)}}\n`);
  const j = readJournalFile(file);
  assert.deepEqual(j.problems, [{ line: 2, reason: 'JSON nested more than 64 deep' }]);
  assert.equal(j.entries.length, 1);
  const r = readJournal(file);
  assert.equal(r.records.length, 1);
  assert.equal(r.skippedLines, 1);
});
