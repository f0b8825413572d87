import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.ts';
import { runCliProcess, ROOT } from '../helpers/cli-process.ts';
import { startRedis } from '../helpers/redis-server.ts';
import { startWorker, type WorkerProcess } from '../helpers/worker-process.ts';

interface Rec { arch: string; outcome: { status: string; error?: string; metrics?: Record<string, number> } }
const records = (file: string): Rec[] => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Rec);

test('a worker whose space or device file differs from the coordinator\'s refuses the jobs: a clear error in the journal, no number', { timeout: 300_000 }, async () => {
  const dir = tempDir();
  // The worker's nb201 keeps the id but has a wider stem: a different network.
  const space = JSON.parse(readFileSync(join(ROOT, 'spaces', 'nb201.json'), 'utf8')) as Record<string, unknown>;
  const edited = join(dir, 'nb201.json');
  writeFileSync(edited, JSON.stringify({ ...space, stemChannels: 24 }));
  // Another worker has an fpga profile of other content under the same id.
  const fpga = JSON.parse(readFileSync(join(ROOT, 'devices', 'fpga.json'), 'utf8')) as Record<string, unknown>;
  const otherFpga = join(dir, 'fpga.json');
  writeFileSync(otherFpga, JSON.stringify({ ...fpga, description: 'a re-measured board' }));

  const redis = await startRedis();
  let worker: WorkerProcess | undefined;
  try {
    worker = await startWorker(redis.url, ['--device', 'fpga', '--space', edited]);
    const out = join(dir, 'space');
    const r = await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--budget', '3', '--seed', '1', '--out', out, '--redis', redis.url]);
    assert.equal(r.code, 1, 'every evaluation failed');
    const recs = records(join(out, 'journal-fpga.jsonl'));
    assert.equal(recs.length, 3);
    for (const x of recs) {
      assert.equal(x.outcome.status, 'failed');
      assert.match(x.outcome.error!, new RegExp(`^latency \\(fpga\\): worker ${worker!.id} refused the job: space "nb201" differs: this worker's .*nb201\\.json has content hash [0-9a-f]{12}, the coordinator's [0-9a-f]{12}`));
    }
    assert.equal(readFileSync(join(out, 'leaderboard-fpga.csv'), 'utf8').trim().split('\n').length, 1, 'a header, no row: no number for a different network');
    await worker.stop();

    worker = await startWorker(redis.url, ['--device', otherFpga]);
    const out2 = join(dir, 'device');
    const r2 = await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--budget', '2', '--seed', '1', '--out', out2, '--redis', redis.url]);
    assert.equal(r2.code, 1);
    for (const x of records(join(out2, 'journal-fpga.jsonl'))) {
      assert.match(x.outcome.error!, /refused the job: device profile "fpga" differs: this worker's .*fpga\.json has content hash [0-9a-f]{12}, the coordinator's [0-9a-f]{12}/);
    }
  } finally {
    await worker?.stop();
    await redis.stop();
  }
});

test('hwnas worker probes every device before it connects: an unavailable one exits 3 with "unavailable: <reason>"', { timeout: 120_000 }, async () => {
  // Nothing listens at this URL: the probe fails first.
  const r = await runCliProcess(['worker', '--redis', 'redis://127.0.0.1:1', '--device', 'fpga', '--device', 'ort-webgpu']);
  assert.equal(r.code, 3, r.err);
  assert.match(r.err, /^hwnas worker: device ort-webgpu \(ort-webgpu\) unavailable: \S.*\n$/);
});

test('bad worker and --redis settings are one-line errors: no Redis (exit 3), a URL that is not redis:// (exit 2), nothing to serve (exit 2)', { timeout: 120_000 }, async () => {
  const noServer = await runCli(['worker', '--redis', 'redis://:secret@127.0.0.1:1', '--device', 'fpga']);
  assert.equal(noServer.code, 3, noServer.err);
  assert.match(noServer.err, /^hwnas worker: Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1 unavailable: /);
  assert.doesNotMatch(noServer.err, /secret/, 'the password is not printed');
  const http = await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--budget', '2', '--out', join(tempDir(), 'x'), '--redis', 'http://127.0.0.1:6379']);
  assert.equal(http.code, 2);
  assert.match(http.err, /--redis: not a Redis URL; expected redis:\/\/… or rediss:\/\/… \(TLS\), got "http:\/\/127\.0\.0\.1:6379\/?"/);
  const nothing = await runCli(['worker', '--redis', 'redis://127.0.0.1:1']);
  assert.equal(nothing.code, 2);
  assert.match(nothing.err, /nothing to serve/);
});
