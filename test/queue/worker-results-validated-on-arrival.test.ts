import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.ts';
import { startRedis } from '../helpers/redis-server.ts';
import { journalEntryProblem } from '../../src/record/journal.ts';

interface Rec { arch: string; outcome: { status: string; error?: string; metrics?: Record<string, number> } }
const records = (file: string): Rec[] => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Rec);

/** Start the rogue BullMQ worker process (test/queue/fixtures/rogue-worker.ts) on a device queue. */
async function startRogue(url: string, queue: string, outcomes: unknown[]) {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(import.meta.dirname, 'fixtures', 'rogue-worker.ts'), url, queue, JSON.stringify(outcomes)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((ok, fail) => {
    const t = setInterval(() => {
      if (err.includes('rogue ready')) { clearInterval(t); ok(); }
      if (child.exitCode !== null) { clearInterval(t); fail(new Error(`rogue worker exited: ${err}`)); }
    }, 50);
  });
  return { pid: child.pid!, stop: () => new Promise<void>((r) => { child.once('exit', () => r()); child.kill('SIGKILL'); }) };
}

test('a rogue process on the queue: negative, absurd or out-of-kind numbers are refused on arrival, by the rules of --resume; a sane answer is used', { timeout: 300_000 }, async () => {
  const redis = await startRedis();
  const answers = [
    { status: 'ok', metrics: { latencyMs: -5 }, info: {} },
    { status: 'ok', metrics: { latencyMs: 1e308 }, info: {} },
    { status: 'ok', metrics: { latencyMs: 2, accuracy: 99.9 }, info: {} },
    { status: 'ok', metrics: { latencyMs: 2.5 }, info: { latencySource: 'rogue' } },
  ];
  const rogue = await startRogue(redis.url, 'device-fpga', answers);
  try {
    const out = join(tempDir(), 'run');
    const args = ['search', '--space', 'nb201', '--device', 'fpga', '--strategy', 'random', '--budget', '4', '--seed', '3', '--out', out, '--redis', redis.url];
    const r = await runCli(args);
    assert.equal(r.code, 0, r.err);
    const recs = records(join(out, 'journal-fpga.jsonl'));
    assert.equal(recs.length, 4);
    const failed = recs.filter((x) => x.outcome.status === 'failed').map((x) => x.outcome.error!).sort();
    assert.equal(failed.length, 3, JSON.stringify(recs));
    const who = `worker rogue/${rogue.pid} sent an invalid result`;
    assert.ok(failed.some((e) => e.includes(`${who}: latencyMs is -5, below its minimum 0`)), failed.join('\n'));
    assert.ok(failed.some((e) => e.includes(`${who}: latencyMs is 1e+308, above its maximum 86400000`)), failed.join('\n'));
    assert.ok(failed.some((e) => e.includes(`${who}: metric accuracy is not one this evaluation sets`)), failed.join('\n'));
    for (const e of failed) assert.match(e, /^latency \(fpga\): /);
    // The one sane answer is used: its latency, and the table's accuracy (a latency job never sets accuracy).
    const ok = recs.find((x) => x.outcome.status === 'ok')!;
    assert.equal(ok.outcome.metrics!.latencyMs, 2.5);
    assert.ok(ok.outcome.metrics!.accuracy! > 0 && ok.outcome.metrics!.accuracy! <= 100);
    const board = readFileSync(join(out, 'leaderboard-fpga.csv'), 'utf8').trim().split('\n');
    assert.equal(board.length, 2, 'one row: the refused answers publish nothing');
    assert.doesNotMatch(board.join('\n'), /,-5,|1e\+308|99\.9,/);
    // Every line the live run wrote passes the journal check of --resume: one rule for both roads.
    for (const line of readFileSync(join(out, 'journal-fpga.jsonl'), 'utf8').trim().split('\n')) assert.equal(journalEntryProblem(JSON.parse(line)), undefined, line);
    const resumed = await runCli([...args, '--resume']);
    assert.equal(resumed.code, 0, resumed.err);
    assert.match(resumed.out, /4 from the journal/);
    assert.doesNotMatch(resumed.err, /skipped/);
  } finally {
    await rogue.stop();
    await redis.stop();
  }
});

test('--redis with a database index the server does not have: coordinator and worker exit 2 naming --redis, nothing queued', { timeout: 120_000 }, async () => {
  const redis = await startRedis();
  try {
    const url = `${redis.url}/99`;
    const out = join(tempDir(), 'run');
    const search = await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--budget', '2', '--out', out, '--redis', url]);
    assert.equal(search.code, 2, search.err);
    assert.match(search.err, /^hwnas search: --redis: Redis at redis:\/\/127\.0\.0\.1:\d+\/99 has no database 99 \(ERR DB index is out of range\); expected a database index in \[0, 15\], got 99\n$/);
    const worker = await runCli(['worker', '--redis', url, '--device', 'fpga']);
    assert.equal(worker.code, 2, worker.err);
    assert.match(worker.err, /^hwnas worker: --redis: Redis at .*\/99 has no database 99/);
    assert.doesNotMatch(worker.err, /serving/);
    const path = await runCli(['worker', '--redis', `${redis.url}/x`, '--device', 'fpga']);
    assert.equal(path.code, 2);
    assert.match(path.err, /--redis: not a Redis database index; expected a database number after the port/);
    const { Redis } = await import('ioredis');
    const c = new Redis(redis.url);
    assert.deepEqual(await c.keys('*'), [], 'nothing was queued in database 0');
    c.disconnect();
  } finally {
    await redis.stop();
  }
});
