import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BatchMeasurer } from '../../src/latency/batch-measurer.ts';
import { affinitySupport, allowedCpus } from '../../src/latency/cpu-affinity.ts';
import type { MeasuredDevice } from '../../src/latency/device-profile.ts';
import { loadSpace } from '../../src/space/space-registry.ts';
import { runCli, tempDir } from '../helpers/cli.ts';

const linux = affinitySupport().available;

/** Cpus_allowed_list of every thread of this process. */
function threadAffinities(): string[] {
  return readdirSync('/proc/self/task').map((tid) => /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync(`/proc/self/task/${tid}/status`, 'utf8'))?.[1] ?? '?');
}

const timing = { warmupRuns: 1, warmupMs: 0, iterations: 6, minTimeMs: 6, minRounds: 6, ciTolerancePct: 100, maxTimeMs: 20 };

test('a device with cpus pins every thread of the measuring process while it measures, then restores the affinity', { skip: !linux && 'CPU affinity needs Linux and taskset' }, async () => {
  const before = allowedCpus()!;
  const beforeThreads = threadAffinities();
  const core = before[before.length - 1]!;
  const device: MeasuredDevice = { id: 'pinned', kind: 'measured', runtime: 'ort-cpu', threads: 1, timing, cpus: [core] };
  const m = await BatchMeasurer.open(device);
  const space = loadSpace('nasbench-macro');
  let during: string[] = [];
  const { items } = await m.measure([async () => {
    during = threadAffinities();
    return m.runtime.load(space.build(space.decode('00000000')), { threads: 1 });
  }]);
  assert.ok('ok' in items[0]!);
  assert.ok(during.length > 1 && during.every((a) => a === String(core)), `threads while measuring: ${during.join(' ')}`);
  assert.deepEqual(allowedCpus(), before);
  assert.deepEqual(threadAffinities().slice(0, beforeThreads.length), beforeThreads);
});

test('a device pinned to a core this process may not use exits 2 naming /cpus', async () => {
  const dir = tempDir('hwnas-cpus-');
  try {
    const file = join(dir, 'far.json');
    writeFileSync(file, JSON.stringify({ id: 'far', kind: 'measured', runtime: 'ort-cpu', threads: 1, timing, cpus: [1000] }));
    const r = await runCli(['search', '--space', 'nasbench-macro', '--device', file, '--budget', '1', '--out', join(dir, 'out')]);
    if (linux) {
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, /far\.json.*\/cpus.*cores among/);
    } else {
      assert.equal(r.code, 3, r.err);
      assert.match(r.err, /unavailable: .*taskset/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
