import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../helpers/cli.ts';

test('an interrupted run resumed from its journal ends with the same leaderboard as an uninterrupted one', async () => {
  const dir = tempDir();
  const full = join(dir, 'full');
  const cut = join(dir, 'cut');
  const args = ['search', '--space', 'nb201', '--device', 'eyeriss', '--budget', '60', '--seed', '3'];
  assert.equal((await runCli([...args, '--out', full])).code, 0);
  assert.equal((await runCli([...args, '--out', cut])).code, 0);
  // Simulate a crash after 25 evaluations, mid-write of the 26th line.
  const journal = join(cut, 'journal-eyeriss.jsonl');
  const lines = readFileSync(journal, 'utf8').split('\n');
  writeFileSync(journal, `${lines.slice(0, 25).join('\n')}\n${lines[25]!.slice(0, 20)}`);
  const again = await runCli([...args, '--out', cut]);
  assert.equal(again.code, 2, 'refuses to overwrite a run without --resume');
  assert.match(again.err, /already holds a search run/);
  const resumed = await runCli([...args, '--out', cut, '--resume']);
  assert.equal(resumed.code, 0, resumed.err);
  assert.match(resumed.out, /25 from the journal/);
  assert.equal(readFileSync(join(cut, 'leaderboard-eyeriss.csv'), 'utf8'), readFileSync(join(full, 'leaderboard-eyeriss.csv'), 'utf8'));
  const other = await runCli([...args.slice(0, -1), '4', '--out', cut, '--resume']);
  assert.equal(other.code, 2);
  assert.match(other.err, /settings changed since the run: seed \(was 3, now 4\)/);
});

test('a batch journaled out of order (as workers finish it) resumes to the same leaderboard, evaluation numbers included', async () => {
  const dir = tempDir();
  const args = ['search', '--space', 'nb201', '--device', 'pixel3', '--budget', '50', '--seed', '8'];
  const full = join(dir, 'full');
  assert.equal((await runCli([...args, '--out', full])).code, 0);
  const cut = join(dir, 'cut');
  assert.equal((await runCli([...args, '--out', cut])).code, 0);
  const journal = join(cut, 'journal-pixel3.jsonl');
  const lines = readFileSync(journal, 'utf8').trim().split('\n');
  // Batches of 10: the third batch was interrupted with its 8th, 2nd and 5th record journaled, in that order.
  writeFileSync(journal, `${[...lines.slice(0, 20), lines[27], lines[21], lines[24]].join('\n')}\n`);
  const resumed = await runCli([...args, '--out', cut, '--resume']);
  assert.equal(resumed.code, 0, resumed.err);
  assert.match(resumed.out, /23 from the journal/);
  assert.equal(readFileSync(join(cut, 'leaderboard-pixel3.csv'), 'utf8'), readFileSync(join(full, 'leaderboard-pixel3.csv'), 'utf8'));
});
