import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEVICES_DIR } from '../../src/latency/device-profile.ts';
import { EvaluationProcess } from '../../src/run/queue/evaluation-process.ts';
import { loadSpace, spaceContentHash } from '../../src/space/space-registry.ts';

// A worker's evaluation child killed at any moment — before its init message is written, while it
// starts, while it answers — must fail that one request (so BullMQ retries the job), never the worker
// (an unhandled EPIPE 'error' event once took the whole worker down, and the search waited forever).
test('an evaluation child killed at any moment fails only its request; the next request gets a new child', { timeout: 300_000 }, async () => {
  const space = loadSpace('nb201');
  const genotype = space.decisions.map((d, i) => (i + 1) % d.choices.length);
  const request = { spaceFile: space.file, spaceHash: spaceContentHash(space), arch: space.encode(genotype), genotype, seed: 0 };
  const ep = new EvaluationProcess({ kind: 'device', file: join(DEVICES_DIR, 'fpga.json') }, 'fpga');
  const childOf = () => (ep as unknown as { child: ChildProcess | undefined }).child;
  const uncaught: unknown[] = [];
  const onUncaught = (e: unknown) => void uncaught.push(e);
  process.on('uncaughtException', onUncaught);
  try {
    let rejected = 0;
    const pids = new Set<number>();
    for (const delayMs of [-1, 0, 1, 5, 20, 100, 400]) {
      const pending = ep.evaluate(request);
      const child = childOf();
      assert.ok(child?.pid, 'a child was forked for the request');
      pids.add(child.pid);
      if (delayMs < 0) process.kill(child.pid, 'SIGKILL'); // before this tick's init write is flushed
      else {
        await sleep(delayMs);
        child.kill('SIGKILL');
      }
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
      const r = await pending.then((x) => ({ answered: x }), (e: Error) => ({ error: e }));
      if ('error' in r) {
        rejected++;
        assert.match(r.error.message, /^the evaluation process of fpga exited \(SIGKILL\) during the job$/);
      } else {
        // The child answered before the kill arrived: a real result.
        assert.ok('ok' in r.answered, JSON.stringify(r));
      }
      // Whatever happened, the next request is served (by a fresh child).
      const next = await ep.evaluate(request);
      assert.ok('ok' in next && next.ok.metrics.latencyMs! > 0, JSON.stringify(next));
      const last = childOf()!;
      const gone = once(last, 'exit');
      last.kill('SIGKILL');
      await gone;
    }
    assert.ok(rejected >= 1, 'at least the immediate kills failed their request');
    assert.ok(pids.size >= 7, 'each round forked a child');
    assert.deepEqual(uncaught, []);
  } finally {
    process.off('uncaughtException', onUncaught);
    await ep.close();
  }
});
