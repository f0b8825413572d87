import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadDevice, type MeasuredDevice } from '../../src/latency/device-profile.ts';
import { measure, measureGraph } from '../../src/latency/measure.ts';
import { MAX_TIMED_RUNS, MAX_TIMING_MS } from '../../src/limits.ts';
import { getRuntime } from '../../src/runtime/runtime-registry.ts';
import { loadSpace } from '../../src/space/space-registry.ts';
const space = loadSpace('nasbench-macro');
const timing = { warmupRuns: 2, warmupMs: 5, iterations: 12, minTimeMs: 20, minRounds: 6, ciTolerancePct: 2, maxTimeMs: 200 };

test('measure() times at least `iterations` runs and gives ordered stats', async () => {
  const r = await getRuntime('ort-cpu')!.load(space.build(space.decode('00000000')), { threads: 1 });
  try {
    const s = await measure(r, timing);
    assert.ok(s.samples >= timing.iterations, `samples ${s.samples}`);
    assert.ok(s.medianMs > 0 && Number.isFinite(s.medianMs));
    assert.ok(s.p90Ms >= s.medianMs);
    assert.ok(s.meanMs > 0 && s.iqrMs >= 0 && s.cv >= 0);
    assert.deepEqual([...r.outputShape()], [1, 10]);
  } finally {
    await r.dispose();
  }
});

test('measureGraph() runs one fresh session and reports where the time went', async () => {
  const base = loadDevice('ort-cpu-1t');
  assert.equal(base.kind, 'measured');
  const device: MeasuredDevice = { ...(base as MeasuredDevice), timing };
  const m = await measureGraph(getRuntime('ort-cpu')!, space.build(space.decode('10000001')), device);
  assert.deepEqual([...m.outputShape], [1, 10]);
  assert.equal(m.info.runtime, 'ort-cpu');
  assert.equal(m.info.threads, 1);
  assert.match(m.info.version, /^onnxruntime-node \d+\.\d+\.\d+/);
  assert.ok(m.stats.samples >= timing.iterations);
  const o = m.overhead;
  assert.ok(o.exportMs > 0 && o.sessionMs > 0 && o.warmupMs > 0);
  // The timed phase lasts at least as long as its samples add up to.
  assert.ok(o.timedMs >= m.stats.meanMs * m.stats.samples * 0.99, `${o.timedMs} vs ${m.stats.meanMs * m.stats.samples}`);
});

test('timed runs stop at the one-minute limit whatever the run count asks (100,000 runs of a slow network)', { timeout: 300_000 }, async () => {
  const device: MeasuredDevice = { id: 'slow', kind: 'measured', runtime: 'tfjs-cpu', threads: 1, timing: { warmupRuns: 0, warmupMs: 0, iterations: MAX_TIMED_RUNS, minTimeMs: 0, minRounds: 6, ciTolerancePct: 2, maxTimeMs: 0 } };
  const m = await measureGraph(getRuntime('tfjs-cpu')!, space.build(space.decode('22222222')), device);
  assert.ok(m.stats.samples >= 1 && m.stats.samples < MAX_TIMED_RUNS, `samples ${m.stats.samples}`);
  assert.equal(m.timingCut, `timed runs stopped at ${MAX_TIMING_MS / 1000} s after ${m.stats.samples} of ${MAX_TIMED_RUNS} runs`);
  assert.ok(m.overhead.timedMs >= MAX_TIMING_MS, `timed phase ${m.overhead.timedMs} ms`);
  assert.ok(m.stats.medianMs > 0 && Number.isFinite(m.stats.medianMs));
});
