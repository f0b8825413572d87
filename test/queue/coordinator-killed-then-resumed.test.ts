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

interface Rec { n: number; arch: string; worker?: string; finishedAt?: string; outcome: { status: string } }
const records = (file: string): Rec[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l.endsWith('}')).map((l) => JSON.parse(l) as Rec) : []);

test('kill -9 of the coordinator mid-search, then --resume: nothing lost or doubled; jobs finished meanwhile are used, not measured again', { timeout: 600_000 }, async () => {
  const redis = await startRedis();
  let workers: WorkerProcess[] = [];
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  const queue = new Queue('device-ort-cpu-1t', { connection, prefix: 'hwnas' });
  try {
    workers = await Promise.all([1, 2].map(() => startWorker(redis.url, ['--device', 'ort-cpu-1t'])));
    const out = join(tempDir(), 'run');
    const budget = 6;
    const args = ['search', '--space', 'nasbench-macro', '--device', 'ort-cpu-1t', '--budget', String(budget), '--seed', '9', '--out', out, '--redis', redis.url];
    const journal = join(out, 'journal-ort-cpu-1t.jsonl');
    const coordinator = spawnCli(args);
    const exited = new Promise((r) => coordinator.once('exit', r));
    // The first result is journaled; the other jobs of the batch are queued or being measured.
    await eventually(() => (records(journal).length >= 1 ? true : undefined), 300_000, 'a first journaled record');
    coordinator.kill('SIGKILL');
    await exited;
    const before = records(journal);
    assert.ok(before.length < budget, `killed mid-search (${before.length} of ${budget} journaled)`);
    // The workers finish the batch while the coordinator is down.
    for (let i = 0; ; i++) {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed');
      if (c.waiting! + c.active! + c.delayed! === 0 && c.completed === budget) break;
      assert.ok(i < 3000, `the workers finish the queued jobs: ${JSON.stringify(c)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const resumedAt = new Date().toISOString();
    const startsBefore = workers.map((w) => (w.log().match(/^start /gm) ?? []).length);
    const r = await runCliProcess([...args, '--resume']);
    assert.equal(r.code, 0, r.err);
    const after = records(journal);
    assert.equal(after.length, budget, '0 records lost');
    assert.equal(new Set(after.map((x) => x.arch)).size, budget, '0 records duplicated');
    assert.deepEqual(after.slice(0, before.length), before, 'the first run\'s records are kept as they were');
    // Every record was measured before the resume started: the resume collected them from Redis.
    for (const x of after) {
      assert.equal(x.outcome.status, 'ok');
      assert.ok(x.finishedAt! < resumedAt, `${x.arch} finished ${x.finishedAt}, before the resume at ${resumedAt}\n${JSON.stringify(before.map((b) => b.arch))}\n${workers.map((w) => w.log()).join('\n')}\n${r.err}`);
    }
    assert.deepEqual(workers.map((w) => (w.log().match(/^start /gm) ?? []).length), startsBefore, 'no job was measured again');
    assert.equal(workers.reduce((s, w) => s + (w.log().match(/^start /gm) ?? []).length, 0), budget, 'each architecture measured once');
  } finally {
    await queue.close();
    connection.disconnect();
    await Promise.all(workers.map((w) => w.stop()));
    await redis.stop();
  }
});
