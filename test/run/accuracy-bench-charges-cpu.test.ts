import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { accuracySources } from '../../src/accuracy/accuracy-registry.ts';
import type { AccuracySource } from '../../src/accuracy/accuracy-source.ts';
import { runAccuracyBench } from '../../src/run/accuracy-bench.ts';
import { loadSpace } from '../../src/space/space-registry.ts';
import { tempDir } from '../helpers/cli.ts';

/** Spin until this thread has used `seconds` more CPU time. */
function burn(seconds: number): void {
  const start = process.cpuUsage();
  while (process.cpuUsage(start).user < seconds * 1e6);
}

/** A child process that spins for `seconds` of its own CPU time; resolves when it has exited. */
function burnInChild(seconds: number): Promise<void> {
  const code = `const s = process.cpuUsage(); while (process.cpuUsage(s).user < ${seconds * 1e6});`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve());
  });
}

const score = (g: readonly number[]): number => g.reduce((s, v, i) => s + v * (i + 1), 0);

function source(id: string, parts: Partial<AccuracySource>): void {
  accuracySources.register(id, {
    id, description: `test source ${id}`,
    create: (): AccuracySource => ({ id, metric: 's', metricNames: ['s'], description: id, metrics: async (_s, g) => ({ s: score(g) }), ...parts }),
  });
}

source('test-trains-once', { prepare: async () => burn(0.3), metrics: async (_s, g) => (burn(0.02), { s: score(g) }) });
source('test-from-cache', { prepare: async () => undefined, oneOffCpuSeconds: 500 });
source('test-child-process', { metrics: async (_s, g) => (await burnInChild(0.15), { s: score(g) }) });

test('accuracy-bench charges one-off work once over K, a cached one as reported, and child processes', async () => {
  const K = 5;
  const res = await runAccuracyBench({ space: loadSpace('nasbench-macro'), signals: ['test-trains-once', 'test-from-cache', 'test-child-process'], samples: K, seed: 1, out: join(tempDir(), 'bench'), resamples: 20 });
  const row = (s: string) => res.rows.find((r) => r.signal === s)!;

  const trained = row('test-trains-once');
  const setup = trained.settings.setupCpuSeconds as number;
  const scoring = trained.settings.scoringCpuSecondsPerArch as number;
  assert.ok(setup >= 0.3, `the one-off work is the set-up: ${setup} CPU-s`);
  assert.ok(scoring >= 0.02 && scoring < 0.3, `scoring alone per architecture: ${scoring} CPU-s`);
  assert.ok(Math.abs(trained.cpuSecondsPerArch! - (scoring + setup / K)) < 1e-9, 'set-up spread over the K architectures');

  const cached = row('test-from-cache');
  assert.equal(cached.settings.setupCpuSeconds, 500, 'a cached one-off cost is charged as the source reports it');
  assert.ok(cached.cpuSecondsPerArch! >= 500 / K);

  const child = row('test-child-process');
  assert.ok((child.settings.scoringCpuSecondsPerArch as number) >= 0.14, `child CPU counted: ${String(child.settings.scoringCpuSecondsPerArch)} CPU-s per architecture`);
  assert.match(String(child.settings.cpuClock), /child processes/);
  for (const r of [trained, cached, child]) assert.equal(r.scored, K);
});
