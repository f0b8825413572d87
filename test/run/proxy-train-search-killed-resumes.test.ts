import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCliProcess, spawnCli } from '../helpers/cli-process.ts';

const SPACE = fileURLToPath(new URL('../accuracy/fixtures/tiny-chain.json', import.meta.url));

function jsonLines(file: string): Record<string, unknown>[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').flatMap((l) => {
    try {
      return l.trim() === '' ? [] : [JSON.parse(l) as Record<string, unknown>];
    } catch {
      return []; // a line torn by the kill
    }
  });
}

test('a proxy-train search killed with SIGKILL mid-batch keeps every trained candidate: --resume trains none of them again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hwnas-kill-'));
  // A measured device: its latency waits for the whole batch's training, so trained candidates sit
  // unjournaled while the rest of the batch trains — what the accuracy cache must keep.
  const device = join(dir, 'ort-quick.json');
  writeFileSync(device, JSON.stringify({
    id: 'ort-quick', kind: 'measured', runtime: 'ort-cpu', threads: 1, description: 'test: ORT CPU, few timed runs',
    timing: { warmupRuns: 1, warmupMs: 0, iterations: 3, minTimeMs: 0 },
  }));
  const out = join(dir, 'run');
  const args = ['search', '--space', SPACE, '--device', device, '--accuracy', 'proxy-train', '--strategy', 'random', '--budget', '8',
    '--jobs', '1', '--train-images', '128', '--train-batch', '32', '--test-images', '20', '--seed', '5', '--out', out];
  const cacheFile = join(out, 'accuracy-cache.jsonl');
  const journalFile = join(out, 'journal-ort-quick.jsonl');

  const child = spawnCli(args);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((ok) => child.on('close', () => ok()));
  // Kill once two or more candidates are trained (and their progress was shown), before the batch
  // of eight is done training: none of them can be journaled yet.
  let cacheBefore: Record<string, unknown>[] = [];
  const deadline = Date.now() + 240_000;
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    cacheBefore = jsonLines(cacheFile);
    if (cacheBefore.length >= 2 && /training 1 candidate: step \d+\/4/.test(err)) break;
    assert.ok(child.exitCode === null, `the search ended before it could be killed:\n${err}`);
    assert.ok(Date.now() < deadline, `no trained candidate within 4 minutes:\n${err}`);
  }
  child.kill('SIGKILL');
  await exited;
  cacheBefore = jsonLines(cacheFile);
  const journalBefore = jsonLines(journalFile);
  assert.ok(cacheBefore.length >= 2 && cacheBefore.length < 8, `${cacheBefore.length} trained at the kill`);
  assert.ok(journalBefore.length < cacheBefore.length, 'the cache holds trained candidates the journal did not have yet');
  assert.match(err, /ort-quick: 0\/8 \(0%\)/, 'a progress line at the start');

  const r = await runCliProcess([...args, '--resume'], { timeoutMs: 300_000 });
  assert.equal(r.code, 0, r.err);
  const journal = jsonLines(journalFile);
  assert.equal(journal.length, 8);
  const byArch = new Map(journal.map((e) => [e.arch as string, (e.outcome as { metrics: Record<string, number> }).metrics]));
  for (const c of cacheBefore) {
    const m = byArch.get(c.arch as string);
    assert.ok(m, `trained candidate ${String(c.arch)} is in the journal`);
    // Wall time is never equal twice: the same trainMs means the killed run's training was reused.
    assert.equal(m.trainMs, (c.metrics as Record<string, number>).trainMs, `${String(c.arch)} was not trained again`);
    assert.equal(m.accuracy, (c.metrics as Record<string, number>).accuracy);
  }
  const cacheAfter = jsonLines(cacheFile);
  assert.equal(new Set(cacheAfter.map((c) => c.arch)).size, cacheAfter.length, 'no candidate trained twice');
  assert.equal(cacheAfter.length, 8);
  // Every record carries its cost, and so does the leaderboard.
  for (const m of byArch.values()) assert.ok(m.trainMs! > 0 && m.trainImages === 128, JSON.stringify(m));
  const header = readFileSync(join(out, 'leaderboard-ort-quick.csv'), 'utf8').split('\n')[0]!.split(',');
  assert.ok(header.includes('trainMs') && header.includes('trainImages'), header.join(','));
});
