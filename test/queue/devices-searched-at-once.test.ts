import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.ts';
import { startRedis } from '../helpers/redis-server.ts';
import { startWorker, type WorkerProcess } from '../helpers/worker-process.ts';

interface Rec { arch: string; worker: string; startedAt: string; finishedAt: string; outcome: { status: string } }
const records = (file: string): Rec[] => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Rec);

test('two measured devices, a worker each: both devices are measured at the same time, not one after the other', { timeout: 600_000 }, async () => {
  const redis = await startRedis();
  let workers: WorkerProcess[] = [];
  try {
    workers = await Promise.all([startWorker(redis.url, ['--device', 'ort-cpu-1t']), startWorker(redis.url, ['--device', 'tfjs-wasm'])]);
    const out = join(tempDir(), 'run');
    const r = await runCli(['search', '--space', 'nasbench-macro', '--device', 'ort-cpu-1t', '--device', 'tfjs-wasm', '--budget', '4', '--seed', '3', '--out', out, '--redis', redis.url]);
    assert.equal(r.code, 0, r.err);
    const span = (device: string, worker: WorkerProcess) => {
      const recs = records(join(out, `journal-${device}.jsonl`));
      assert.equal(recs.length, 4);
      for (const x of recs) {
        assert.equal(x.outcome.status, 'ok');
        assert.equal(x.worker, worker.id, `${device} is measured by its own worker`);
      }
      return { from: recs.map((x) => x.startedAt).sort()[0]!, to: recs.map((x) => x.finishedAt).sort().at(-1)! };
    };
    const a = span('ort-cpu-1t', workers[0]!);
    const b = span('tfjs-wasm', workers[1]!);
    // The two devices' measuring overlapped in time: the targets ran at once.
    assert.ok(a.from < b.to && b.from < a.to, `ort-cpu-1t ${a.from}–${a.to} overlaps tfjs-wasm ${b.from}–${b.to}`);
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await redis.stop();
  }
});
