import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readJournalFile } from '../../src/record/journal.ts';
import { tempDir } from '../helpers/cli.ts';
import { ROOT } from '../helpers/cli-process.ts';

const run = promisify(execFile);

/**
 * docs/ask-tell.md's example, exactly as a user would paste it: the doc's code block is
 * examples/ask-tell.ts, which runs here (its `from 'hwnas'` resolved to src/ by tsconfig's paths)
 * with onnxruntime-node timing each exported model.
 */
test('the ask/tell example of docs/ask-tell.md runs, writes a search folder, and resumes from it', { timeout: 300_000 }, async () => {
  const example = readFileSync(join(ROOT, 'examples/ask-tell.ts'), 'utf8');
  const doc = readFileSync(join(ROOT, 'docs/ask-tell.md'), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(doc);
  assert.ok(block, 'the doc has a TypeScript block');
  assert.equal(block[1], example, 'the doc shows examples/ask-tell.ts as it is');

  const out = join(tempDir(), 'ask-tell');
  const node = (args: string[]) => run(process.execPath, ['--import', 'tsx', 'examples/ask-tell.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
  const first = await node([out]);
  assert.match(first.stdout, /^30 evaluated \(0 from the journal\), 0 failed; Pareto front:\n/);
  const frontLines = first.stdout.split('\n').filter((l) => /^ {2}\d{8} {2}accuracy /.test(l));
  assert.ok(frontLines.length >= 2, first.stdout);
  assert.match(first.stdout, new RegExp(`leaderboard: ${join(out, 'leaderboard-nasbench-macro.csv')}\\n$`));

  const journal = join(out, 'journal-nasbench-macro.jsonl');
  const j = readJournalFile(journal);
  assert.deepEqual(j.problems, []);
  assert.equal(j.entries.length, 30);
  for (const e of j.entries) {
    assert.equal(e.outcome.status, 'ok');
    if (e.outcome.status !== 'ok') continue;
    const m = e.outcome.metrics;
    assert.ok(m.latencyMs! > 0 && m.onnxBytes! > 4 * m.paramCount! && m.accuracy! > 10, JSON.stringify(m));
  }
  const csv = readFileSync(join(out, 'leaderboard-nasbench-macro.csv'), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'rank,arch,paretoRank,crowding,accuracy,latencyMs,paramCount,flops,onnxBytes,feasible,evaluation');
  assert.equal(csv.length, 31);
  const feasible = csv.slice(1).map((l) => l.split(','));
  for (const r of feasible) if (r[9] === 'true') assert.ok(Number(r[6]) <= 2_000_000, 'the paramCount constraint decides feasibility');

  // Run again: everything comes from the journal; nothing is evaluated or written twice.
  const journalBefore = readFileSync(journal, 'utf8');
  const again = await node([out]);
  assert.match(again.stdout, /^30 evaluated \(30 from the journal\), 0 failed; Pareto front:\n/);
  assert.equal(readFileSync(journal, 'utf8'), journalBefore);
  assert.equal(readFileSync(join(out, 'leaderboard-nasbench-macro.csv'), 'utf8').trim().split('\n').join('\n'), csv.join('\n'));
});
