import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { runCliProcess, spawnCli } from '../helpers/cli-process.ts';
import { tempDir } from '../helpers/cli.ts';
import { startRedis } from '../helpers/redis-server.ts';
import { eventually, startWorker, type WorkerProcess } from '../helpers/worker-process.ts';

const archs = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l.endsWith('}')).map((l) => (JSON.parse(l) as { arch: string }).arch) : []);

test('Redis stopped (its data lost) and restarted during a search: the search completes with every evaluation once', { timeout: 600_000 }, async () => {
  const redis = await startRedis();
  let workers: WorkerProcess[] = [];
  try {
    workers = await Promise.all([1, 2].map(() => startWorker(redis.url, ['--device', 'fpga'])));
    const out = join(tempDir(), 'run');
    const budget = 60;
    const args = ['search', '--space', 'nb201', '--device', 'fpga', '--budget', String(budget), '--seed', '2', '--out', out, '--redis', redis.url];
    const journal = join(out, 'journal-fpga.jsonl');
    const coordinator = spawnCli(args);
    let err = '';
    coordinator.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    coordinator.stdout!.resume();
    const exit = new Promise<number | null>((r) => coordinator.once('exit', (code) => r(code)));
    await eventually(() => (archs(journal).length >= 20 ? true : undefined), 300_000, `20 journaled records:\n${err}`);
    // The workers leave, so that the next batch sits in Redis when it dies.
    await Promise.all(workers.map((w) => w.stop()));
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue('device-fpga', { connection, prefix: 'hwnas' });
    for (let i = 0; (await queue.getJobCounts('waiting')).waiting === 0; i++) {
      assert.ok(i < 3000 && coordinator.exitCode === null, `a batch waits in the queue:\n${err}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await queue.close();
    connection.disconnect();
    // Redis dies (SIGKILL, no persistence: every job and event is gone), then comes back empty.
    await redis.stop('SIGKILL');
    const beforeOutage = archs(journal);
    const atOutage = beforeOutage.length;
    assert.ok(atOutage < budget, `the outage is mid-search (${atOutage} of ${budget} journaled)`);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(coordinator.exitCode, null, `the coordinator waits for Redis:\n${err}`);
    await redis.start();
    workers = await Promise.all([1, 2].map(() => startWorker(redis.url, ['--device', 'fpga'])));
    let code = await exit;
    if (code !== 0) {
      // Allowed: a clear message, and --resume completes the run.
      assert.equal(code, 3, err);
      assert.match(err, /Redis at redis:\/\/127\.0\.0\.1:\d+ unavailable: .*--resume/);
      const again = await runCliProcess([...args, '--resume']);
      code = again.code;
      assert.equal(code, 0, again.err);
    } else {
      assert.match(err, /is gone from Redis: added again/, 'the jobs Redis lost were added again');
    }
    const all = archs(journal);
    assert.equal(all.length, budget, 'nothing lost');
    assert.equal(new Set(all).size, budget, 'nothing twice');
    assert.deepEqual(all.slice(0, atOutage), beforeOutage, 'the records before the outage are kept as they were');
    const rows = readFileSync(join(out, 'leaderboard-fpga.csv'), 'utf8').trim().split('\n');
    assert.equal(rows.length, budget + 1);
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await redis.stop();
  }
});
