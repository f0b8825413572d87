import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { GraphBuilder } from '../../src/graph/graph-builder.ts';
import { InputError } from '../../src/errors.ts';
import { loadProxyData, proxyTrain, proxyTrainSource, PROXY_TRAIN_WORKER as WORKER, type ProxyTrainResult } from '../../src/accuracy/proxy-train.ts';
import type { ProxyTrainTask } from '../../src/accuracy/proxy-train-worker.ts';
import { parseArch } from '../../src/space/arch-list.ts';
import { loadSpace } from '../../src/space/space-registry.ts';
import { WorkerPool } from '../../src/util/worker-pool.ts';

const space = loadSpace(fileURLToPath(new URL('./fixtures/tiny-chain.json', import.meta.url)));
const archs = ['000', '120', '212', '022'];
const opts = { trainSize: 192, testSize: 100, seed: 7 };

test('proxy-train gives each architecture the same accuracy with 1 job, 2 jobs and in this process', async () => {
  const accuracies: number[][] = [];
  for (const jobs of [1, 2]) {
    const src = proxyTrainSource({ ...opts, jobs });
    assert.equal(src.concurrency, jobs);
    assert.deepEqual(src.alongside, ['trainMs', 'trainImages', 'trainImagesPerS']);
    // All candidates in flight at once, as an evaluator with concurrency `jobs` would have them.
    const res = await Promise.all(archs.map((a) => src.metrics(space, parseArch(space, a).genotype)));
    await src.close?.();
    for (const r of res) {
      assert.ok(r.trainMs! > 0 && r.trainImagesPerS! > 0, JSON.stringify(r));
      assert.equal(r.trainImages, opts.trainSize);
      assert.ok(Math.abs(r.trainImagesPerS! - (1000 * opts.trainSize) / r.trainMs!) < 1e-6 * r.trainImagesPerS!);
    }
    accuracies.push(res.map((r) => r.accuracy!));
  }
  const data = loadProxyData(opts);
  const inProcess: ProxyTrainResult[] = [];
  for (const a of archs) inProcess.push(await proxyTrain(space.build(parseArch(space, a).genotype), data, opts));
  assert.deepEqual(accuracies[0], inProcess.map((r) => r.accuracy));
  assert.deepEqual(accuracies[1], accuracies[0]);
  // Not all the same number: the comparison above compares trained networks, not a constant.
  assert.ok(new Set(accuracies[0]).size > 1, `accuracies ${accuracies[0]}`);

  // Bit for bit beyond the rounded accuracy: the final training loss from two workers racing for tasks.
  const pool = new WorkerPool<ProxyTrainTask, ProxyTrainResult>({ size: 2, entry: WORKER });
  const pooled = await Promise.all(archs.map((a) => pool.run({ graph: space.build(parseArch(space, a).genotype), opts })));
  await pool.close();
  assert.deepEqual(pooled.map((r) => r.finalLoss), inProcess.map((r) => r.finalLoss));
});

test('a worker passes an InputError back as one, and a closed pool rejects new tasks', async () => {
  const b = new GraphBuilder('five-way', [3, 32, 32]);
  const fiveWay = b.build(b.linear(b.flatten(b.globalAvgPool(b.conv(b.input, 4, { kernel: 3 }))), 5));
  const pool = new WorkerPool<ProxyTrainTask, ProxyTrainResult>({ size: 1, entry: WORKER });
  await assert.rejects(pool.run({ graph: fiveWay, opts }), (e: unknown) => e instanceof InputError && /at least 10 logits/.test(e.message));
  // The same worker serves the next task.
  const ok = await pool.run({ graph: space.build(parseArch(space, '000').genotype), opts });
  assert.ok(ok.accuracy >= 0 && ok.accuracy <= 100);
  await pool.close();
  await assert.rejects(pool.run({ graph: fiveWay, opts }), /closed/);
});

test('an idle proxy-train pool does not keep the process alive', () => {
  const script = `
    const { proxyTrainSource } = await import(${JSON.stringify(new URL('../../src/accuracy/proxy-train.ts', import.meta.url).href)});
    const { loadSpace } = await import(${JSON.stringify(new URL('../../src/space/space-registry.ts', import.meta.url).href)});
    const space = loadSpace(${JSON.stringify(fileURLToPath(new URL('./fixtures/tiny-chain.json', import.meta.url)))});
    const src = proxyTrainSource({ trainSize: 64, testSize: 20, jobs: 2 });
    const m = await src.metrics(space, [0, 0, 0]);
    console.log(JSON.stringify(m));
  `;
  // No close(): the process must still end once the task is done.
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.signal, null, `killed by ${r.signal}: the idle pool kept the process alive\n${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(r.stdout.trim()) as Record<string, number>;
  assert.ok(m.accuracy! >= 0 && m.trainMs! > 0);
});
