import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDevice } from '../../src/latency/device-profile.ts';
import { contentHash } from '../../src/util/content-hash.ts';
import { runCli, tempDir } from '../helpers/cli.ts';
import { startRedis } from '../helpers/redis-server.ts';
import { startWorker, type WorkerProcess } from '../helpers/worker-process.ts';

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');

test('search, eval and compare through two hwnas worker processes give what the in-process run gives; devices --redis lists the workers', { timeout: 600_000 }, async () => {
  const redis = await startRedis();
  let workers: WorkerProcess[] = [];
  try {
    workers = await Promise.all([startWorker(redis.url, ['--device', 'fpga']), startWorker(redis.url, ['--device', 'fpga'])]);
    // The workers announce themselves with the device profile's content hash.
    const listed = await runCli(['devices', '--redis', redis.url, '--format', 'json']);
    assert.equal(listed.code, 0, listed.err);
    const announced = JSON.parse(listed.out) as { worker: string; devices: { id: string; contentHash: string }[]; lastSeen: string }[];
    assert.deepEqual(announced.map((w) => w.worker).sort(), workers.map((w) => w.id).sort());
    for (const w of announced) assert.deepEqual(w.devices.map((d) => [d.id, d.contentHash]), [['fpga', contentHash(loadDevice('fpga'))]]);
    const table = await runCli(['devices', '--redis', redis.url]);
    assert.match(table.out, new RegExp(`${workers[0]!.id.replace('/', '\\/')}\\s+fpga\\s+table`));

    // nb201 × fpga: the leaderboard through the queue is byte-identical to the in-process one.
    const dir = tempDir();
    const args = ['search', '--space', 'nb201', '--device', 'fpga', '--budget', '40', '--seed', '7'];
    const local = await runCli([...args, '--out', join(dir, 'local')]);
    assert.equal(local.code, 0, local.err);
    const remote = await runCli([...args, '--out', join(dir, 'remote'), '--redis', redis.url]);
    assert.equal(remote.code, 0, remote.err);
    for (const f of ['leaderboard-fpga.csv', 'front-fpga.csv']) {
      assert.equal(readFileSync(join(dir, 'remote', f), 'utf8'), readFileSync(join(dir, 'local', f), 'utf8'), `${f} differs`);
    }
    // Remote records say who evaluated them and when; none is journaled twice.
    const journal = lines(join(dir, 'remote', 'journal-fpga.jsonl')).map((l) => JSON.parse(l) as { arch: string; worker?: string; startedAt?: string; finishedAt?: string });
    assert.equal(journal.length, 40);
    assert.equal(new Set(journal.map((r) => r.arch)).size, 40);
    for (const r of journal) {
      assert.ok(workers.some((w) => w.id === r.worker), `record of ${r.arch} names worker ${r.worker}`);
      assert.ok(r.startedAt! <= r.finishedAt!, `${r.startedAt} <= ${r.finishedAt}`);
    }

    // eval --redis: the same table as in-process, rows in input order.
    const evalArgs = ['eval', '--space', 'nb201', '--device', 'fpga', '--metrics', 'params,flops,latency,accuracy', '--random', '6', '--seed', '3'];
    const evalLocal = await runCli(evalArgs);
    const evalRemote = await runCli([...evalArgs, '--redis', redis.url]);
    assert.equal(evalRemote.code, 0, evalRemote.err);
    assert.equal(evalRemote.out, evalLocal.out);

    // compare --redis: every run's journal goes through the workers; the scores match in-process.
    const cmp = ['compare', '--space', 'nb201', '--device', 'fpga', '--strategies', 'random,nsga2', '--seeds', '2', '--budget', '20', '--checkpoints', '10'];
    const cmpLocal = await runCli([...cmp, '--out', join(dir, 'cmp-local')]);
    assert.equal(cmpLocal.code, 0, cmpLocal.err);
    const cmpRemote = await runCli([...cmp, '--out', join(dir, 'cmp-remote'), '--redis', redis.url]);
    assert.equal(cmpRemote.code, 0, cmpRemote.err);
    assert.equal(readFileSync(join(dir, 'cmp-remote', 'hv.csv'), 'utf8'), readFileSync(join(dir, 'cmp-local', 'hv.csv'), 'utf8'));
    const run = lines(join(dir, 'cmp-remote', 'runs', 'nsga2', 'seed-1.jsonl')).map((l) => JSON.parse(l) as { worker?: string });
    assert.equal(run.length, 20);
    assert.ok(run.every((r) => workers.some((w) => w.id === r.worker)));
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await redis.stop();
  }
});
