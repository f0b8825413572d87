import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCliProcess, spawnCli } from '../helpers/cli-process.ts';
import { tempDir } from '../helpers/cli.ts';

const K = 600;

function journalLines(file: string): string[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  return text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter((l) => l !== '');
}

test('accuracy-bench killed with SIGKILL mid-run resumes without scoring anything twice', async () => {
  const out = join(tempDir(), 'bench');
  const journal = join(out, 'scores.jsonl');
  const args = ['accuracy-bench', '--signals', 'flops,params', '--samples', String(K), '--resamples', '50', '--format', 'json', '--out', out];
  const child = spawnCli(args);
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  // Kill once some scores are journaled, long before the 2 × 600 are.
  for (let i = 0; i < 1200 && journalLines(journal).length < 20; i++) await sleep(25);
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');
  const before = journalLines(journal);
  const scoredBefore = before.filter((l) => 'arch' in JSON.parse(l)).length;
  assert.ok(scoredBefore >= 19 && scoredBefore < 2 * K, `killed mid-run: ${scoredBefore} scores journaled`);
  assert.ok(!existsSync(join(out, 'accuracy-bench.json')), 'no results of a killed run');

  // Without --resume the folder is refused; with it the run finishes.
  const refused = await runCliProcess(args, { timeoutMs: 120_000 });
  assert.equal(refused.code, 2, refused.err);
  assert.match(refused.err, /--resume/);
  const r = await runCliProcess([...args, '--resume'], { timeoutMs: 300_000 });
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /in the journal/);
  const after = journalLines(journal);
  assert.deepEqual(after.slice(0, before.length), before, 'journaled lines kept as they were');
  const scores = after.map((l) => JSON.parse(l) as { signal: string; arch?: string }).filter((e) => e.arch !== undefined);
  const keys = scores.map((e) => `${e.signal} ${e.arch}`);
  assert.equal(new Set(keys).size, keys.length, 'no signal × architecture scored twice');
  assert.equal(keys.length, 2 * K, 'every signal × architecture scored once');
  const rows = JSON.parse(r.out) as { signal: string; scored: number }[];
  assert.deepEqual(rows.map((x) => [x.signal, x.scored]), [['ceiling', K], ['flops', K], ['params', K]]);
});
