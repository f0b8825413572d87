import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.ts';
import { startRedis } from '../helpers/redis-server.ts';
import { startWorker, type WorkerProcess } from '../helpers/worker-process.ts';

// Refuses `none` on the first edge; otherwise an accuracy that grows with the epochs it is given. Each
// call is appended to a file with the pid of the process that ran the program (the worker's side).
const TRAINER = `
import { appendFileSync, readFileSync } from 'node:fs';
const a = JSON.parse(readFileSync(process.env.HWNAS_ARCH_JSON, 'utf8'));
const epochs = Number(process.env.HWNAS_EPOCHS);
appendFileSync(process.argv[2], a.arch + '\\t' + epochs + '\\t' + process.ppid + '\\n');
if (a.genotype[0] === 0) { process.stderr.write('refusing none on edge 0\\n'); process.exit(4); }
console.log(JSON.stringify({ accuracy: 20 + 3 * a.genotype.reduce((s, v) => s + v, 0) + 5 * Math.log2(epochs), epochs }));
`;

const withoutTimes = (csv: string) => {
  const rows = csv.trim().split('\n').map((l) => l.split(','));
  const keep = rows[0]!.map((c, i) => (['trainMs', 'totalTrainMs'].includes(c) ? -1 : i)).filter((i) => i >= 0);
  return rows.map((r) => keep.map((i) => r[i]).join(',')).join('\n');
};

test('search --redis with --accuracy command: and --fidelity: a real hwnas worker runs the trainer at each rung\'s epochs', { timeout: 600_000 }, async () => {
  const dir = tempDir();
  const script = join(dir, 'trainer.mjs');
  writeFileSync(script, TRAINER);
  const calls = join(dir, 'calls.txt');
  const accuracy = `command:'${process.execPath}' '${script}' '${calls}'`;
  const redis = await startRedis();
  let worker: WorkerProcess | undefined;
  try {
    worker = await startWorker(redis.url, ['--device', 'fpga', '--accuracy', accuracy, '--accuracy-timeout', '120']);
    const args = ['search', '--space', 'nb201', '--device', 'fpga', '--strategy', 'random', '--budget', '12', '--seed', '11',
      '--accuracy', accuracy, '--fidelity', 'sh', '--min-epochs', '1', '--max-epochs', '3', '--eta', '3'];
    const remote = await runCli([...args, '--out', join(dir, 'remote'), '--redis', redis.url]);
    assert.equal(remote.code, 0, remote.err);
    const remoteCalls = readFileSync(calls, 'utf8').trim().split('\n').map((l) => l.split('\t'));
    const local = await runCli([...args, '--out', join(dir, 'local')]);
    assert.equal(local.code, 0, local.err);

    // The same records either way, and every remote one names the worker.
    assert.equal(withoutTimes(readFileSync(join(dir, 'remote', 'leaderboard-fpga.csv'), 'utf8')), withoutTimes(readFileSync(join(dir, 'local', 'leaderboard-fpga.csv'), 'utf8')));
    const journal = readFileSync(join(dir, 'remote', 'journal-fpga.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as {
      genotype: number[]; worker: string; outcome: { status: string; error?: string; metrics?: Record<string, number> };
    });
    assert.equal(journal.length, 12);
    for (const r of journal) {
      assert.ok(r.worker.split(' ').includes(worker.id), `record names worker ${r.worker}`);
      if (r.genotype[0] === 0) assert.match(r.outcome.error!, /exited with code 4; log .*; stderr ends: refusing none on edge 0/);
      else assert.ok([1, 3].includes(r.outcome.metrics!.fidelityEpochs!));
    }
    assert.ok(journal.some((r) => r.outcome.metrics?.fidelityEpochs === 3), 'some candidate was promoted');
    // The trainer ran on the worker's side (its parent is not this process), at both rungs' epochs.
    assert.ok(remoteCalls.every(([, , ppid]) => Number(ppid) !== process.pid));
    assert.deepEqual([...new Set(remoteCalls.map(([, e]) => e))].sort(), ['1', '3']);
    assert.match(worker.log(), /start accuracy command:.* at 3 epochs/);
  } finally {
    await worker?.stop();
    await redis.stop();
  }
});
