import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnCli } from '../helpers/cli-process.ts';
import { tempDir } from '../helpers/cli.ts';
import { startRedis } from '../helpers/redis-server.ts';
import { eventually, startWorker, type WorkerProcess } from '../helpers/worker-process.ts';

/**
 * A worker killed with SIGKILL while it measures: the coordinator says so by name (a note, and the
 * queue line "1 on a dead worker host/pid") from the worker's missing heartbeat, and with the
 * default job lock a worker started afterwards redoes the job.
 */
test('kill -9 of the only worker mid-job: the coordinator names it dead in its queue line; a new worker redoes the job', { timeout: 300_000 }, async () => {
  const redis = await startRedis();
  const workers: WorkerProcess[] = [];
  const out = join(tempDir(), 'run');
  const search = spawnCli(['search', '--space', 'nasbench-macro', '--device', 'ort-cpu-1t', '--budget', '3', '--seed', '2', '--out', out, '--redis', redis.url]);
  let err = '';
  search.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  search.stdout!.resume();
  const exited = new Promise<number | null>((r) => search.on('close', (c) => r(c)));
  try {
    const victim = await startWorker(redis.url, ['--device', 'ort-cpu-1t']); // default --lock-ms
    workers.push(victim);
    const started = await victim.waitFor(/start ort-cpu-1t (\S+) \(job/);
    await victim.stop('SIGKILL');
    // Named as dead while its job is still active (no worker is left to take it).
    const line = await eventually(() => err.split('\n').find((l) => l.startsWith('queues:') && l.includes('on a dead worker')), 60_000, `a queue line naming the dead worker:\n${err}`);
    assert.match(line, new RegExp(`device-ort-cpu-1t \\d+ waiting, 1 active \\(1 on a dead worker ${victim.id.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: back to the queue when its lock lapses\\)`));
    assert.match(err, new RegExp(`worker ${victim.id.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} stopped \\(no heartbeat\\) while holding a job of device-ort-cpu-1t`));
    // A new worker gets the dead worker's job once its lock lapses, and the search completes.
    const other = await startWorker(redis.url, ['--device', 'ort-cpu-1t']);
    workers.push(other);
    assert.equal(await exited, 0, err);
    const records = readFileSync(join(out, 'journal-ort-cpu-1t.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { arch: string; worker?: string; outcome: { status: string } });
    assert.equal(records.length, 3);
    const redone = records.find((r) => r.arch === started[1]);
    assert.equal(redone?.outcome.status, 'ok');
    assert.equal(redone?.worker, other.id);
  } finally {
    if (search.exitCode === null) search.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.stop()));
    await redis.stop();
  }
});
