import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.ts';
import { startRedis } from '../helpers/redis-server.ts';
import { startWorker, type WorkerProcess } from '../helpers/worker-process.ts';

/** Pids whose parent is `ppid` (from /proc). */
function childrenOf(ppid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === ppid) out.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

test('a job whose measuring process dies is retried with backoff and then measured: one record, no failure', { timeout: 600_000 }, async () => {
  const redis = await startRedis();
  let worker: WorkerProcess | undefined;
  try {
    worker = await startWorker(redis.url, ['--device', 'ort-cpu-1t']);
    const out = join(tempDir(), 'run');
    const search = runCli(['search', '--space', 'nasbench-macro', '--device', 'ort-cpu-1t', '--budget', '2', '--seed', '6', '--out', out, '--redis', redis.url]);
    const started = await worker.waitFor(/start ort-cpu-1t (\S+) \(job \w+, attempt 1\)/);
    // The worker's evaluation child (it measures) is killed in the middle of the job.
    let child: number | undefined;
    for (let i = 0; i < 600 && child === undefined; i++) {
      child = childrenOf(worker.child.pid!)[0];
      if (child === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(child, 'the worker measures in a child process');
    process.kill(child, 'SIGKILL');
    // The search waits for workers however long it takes; a worker that died is a failure here, not a hang.
    const w = worker;
    const workerDied = new Promise<never>((_, fail) => w.child.once('exit', (code, signal) => fail(new Error(`the worker exited (${signal ?? code}) before the search finished:\n${w.log()}`))));
    const r = await Promise.race([search, workerDied]);
    assert.equal(r.code, 0, r.err);
    assert.match(worker.log(), /the evaluation process of ort-cpu-1t exited \(SIGKILL\) during the job/);
    assert.match(worker.log(), new RegExp(`start ort-cpu-1t ${started[1]} \\(job \\w+, attempt 2\\)`), 'retried');
    const recs = readFileSync(join(out, 'journal-ort-cpu-1t.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { arch: string; outcome: { status: string } });
    assert.equal(recs.length, 2);
    assert.equal(new Set(recs.map((x) => x.arch)).size, 2);
    assert.ok(recs.every((x) => x.outcome.status === 'ok'));
  } finally {
    await worker?.stop();
    await redis.stop();
  }
});
