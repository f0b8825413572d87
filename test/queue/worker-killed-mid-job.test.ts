import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCliProcess } from '../helpers/cli-process.ts';
import { tempDir } from '../helpers/cli.ts';
import { startRedis } from '../helpers/redis-server.ts';
import { startWorker, type WorkerProcess } from '../helpers/worker-process.ts';

test('kill -9 of a worker in the middle of a measured job: the other worker redoes it, the journal holds each architecture once', { timeout: 600_000 }, async () => {
  const redis = await startRedis();
  // A short job lock, so that the dead worker's job goes to the other one within seconds.
  const workers: WorkerProcess[] = [];
  try {
    const victim = await startWorker(redis.url, ['--device', 'ort-cpu-1t', '--lock-ms', '2000']);
    workers.push(victim);
    const other = await startWorker(redis.url, ['--device', 'ort-cpu-1t', '--lock-ms', '2000']);
    workers.push(other);
    const out = join(tempDir(), 'run');
    const budget = 5;
    const search = runCliProcess(['search', '--space', 'nasbench-macro', '--device', 'ort-cpu-1t', '--budget', String(budget), '--seed', '4', '--out', out, '--redis', redis.url]);
    // The victim has started measuring a model (its child process is timing it): kill it now.
    const started = await victim.waitFor(/start ort-cpu-1t (\S+) \(job/);
    const killedArch = started[1]!;
    await victim.stop('SIGKILL');
    const r = await search;
    assert.equal(r.code, 0, r.err);
    const records = readFileSync(join(out, 'journal-ort-cpu-1t.jsonl'), 'utf8').split('\n').filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { arch: string; worker?: string; outcome: { status: string; metrics?: Record<string, number> } });
    assert.equal(records.length, budget, 'exactly budget records');
    assert.equal(new Set(records.map((x) => x.arch)).size, budget, 'none twice');
    const redone = records.find((x) => x.arch === killedArch);
    assert.ok(redone, `the killed job's architecture ${killedArch} is journaled`);
    assert.equal(redone.outcome.status, 'ok');
    assert.equal(redone.worker, other.id, 'the other worker redid the job');
    assert.ok(redone.outcome.metrics!.latencyMs! > 0);
    assert.match(other.log(), new RegExp(`start ort-cpu-1t ${killedArch} \\(job \\w+, attempt \\d\\)`));
    // The leaderboard's worker column says who measured each row.
    const [header, ...rows] = readFileSync(join(out, 'leaderboard-ort-cpu-1t.csv'), 'utf8').trim().split('\n');
    const col = header!.split(',').indexOf('worker');
    assert.ok(col >= 0, header);
    for (const row of rows) assert.ok([victim.id, other.id].includes(row.split(',')[col]!), row);
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await redis.stop();
  }
});
