import { createLatencyProvider } from '../src/latency/create-latency-provider.ts';
import { loadDevice } from '../src/latency/device-profile.ts';
import { Evaluator } from '../src/run/evaluator.ts';
import { QueueBackend } from '../src/run/queue/queue-backend.ts';
import type { Candidate } from '../src/run/trial-loop.ts';
import { randomArchs } from '../src/space/arch-list.ts';
import { loadSpace } from '../src/space/space-registry.ts';
import type { SearchSpace } from '../src/space/search-space.ts';
import { median } from '../src/util/stats.ts';
import { Rng } from '../src/util/rng.ts';
import { startRedis } from '../test/helpers/redis-server.ts';
import { startWorker, type WorkerProcess } from '../test/helpers/worker-process.ts';

export interface QueueBenchResult {
  bench: 'queue';
  /** One job at a time, submit → result, table device (fpga × nb201), 1 worker. */
  roundTrip: { jobs: number; medianMs: number; p90Ms: number; inProcessMedianMs: number; overheadMs: number; targetMs: number; meetsTarget: boolean };
  /** A batch submitted at once on a LUT device (pixel1-lut × proxyless-mobile), in jobs per second. */
  throughput: { jobs: number; inProcessJobsPerS: number; workers: { workers: number; jobsPerS: number; vsOneWorker: number }[] };
  /** latencyMs through a worker / in-process on the same archs (ort-cpu-1t × nasbench-macro). */
  agreement: { archs: number; ratios: number[]; medianRatio: number; within5Percent: boolean };
}

const candidates = (space: SearchSpace, n: number, seed: number): Candidate[] => randomArchs(space, n, new Rng(seed)).map((a) => ({ genotype: a.genotype, arch: a.arch }));

async function withWorkers<T>(url: string, n: number, args: readonly string[], work: () => Promise<T>): Promise<T> {
  const workers: WorkerProcess[] = [];
  try {
    for (let i = 0; i < n; i++) workers.push(await startWorker(url, args));
    return await work();
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

/**
 * The queue's cost: round-trip overhead per job (submit → result) against the same lookup in
 * process (target ≤ 5 ms on loopback), jobs/s with 1, 2 and 4 workers, and the agreement of
 * latency measured through a worker with in-process measurement (median ratio within 5 %).
 */
export async function queueBench(opts: { roundTrips?: number; batch?: number; archs?: number } = {}): Promise<QueueBenchResult> {
  const redis = await startRedis();
  const backend = await QueueBackend.open({ redis: redis.url });
  try {
    const plan = async (deviceId: string, space: SearchSpace, seed: number) => {
      const device = loadDevice(deviceId);
      const remote = await backend.latencyProvider(device, space);
      const local = await createLatencyProvider(device, space);
      const target = { id: device.id, devices: [device], joint: false };
      return {
        remote: backend.evaluator({ target, space, accuracy: undefined, providers: [remote], counts: false, seed }),
        local: new Evaluator(space, { counts: false, latency: [local] }),
      };
    };

    // Round trip: one job at a time on a table device.
    const nb201 = loadSpace('nb201');
    const n = opts.roundTrips ?? 200;
    const rt = await plan('fpga', nb201, 1);
    const roundTrip = await withWorkers(redis.url, 1, ['--device', 'fpga'], async () => {
      const cs = candidates(nb201, n + 20, 1);
      for (const c of cs.slice(0, 20)) await rt.remote([c])[0]; // warm: worker's table, connections
      const remoteMs: number[] = [];
      for (const c of cs.slice(20)) {
        const t = performance.now();
        const r = await rt.remote([c])[0]!;
        remoteMs.push(performance.now() - t);
        if (r.outcome.status !== 'ok') throw new Error(`round trip failed: ${r.outcome.error}`);
      }
      const localMs: number[] = [];
      for (const c of cs.slice(20)) {
        const t = performance.now();
        await rt.local.evaluateBatch([c])[0];
        localMs.push(performance.now() - t);
      }
      const sorted = [...remoteMs].sort((a, b) => a - b);
      const med = median(remoteMs);
      const overheadMs = med - median(localMs);
      return { jobs: n, medianMs: med, p90Ms: sorted[Math.floor(0.9 * (sorted.length - 1))]!, inProcessMedianMs: median(localMs), overheadMs, targetMs: 5, meetsTarget: overheadMs <= 5 };
    });

    // Throughput on a LUT device with 1, 2, 4 workers (a fresh seed each: distinct job ids).
    const mobile = loadSpace('proxyless-mobile');
    const batch = opts.batch ?? 400;
    const workers: QueueBenchResult['throughput']['workers'] = [];
    let inProcessJobsPerS = 0;
    for (const [k, w] of [1, 2, 4].entries()) {
      const p = await plan('pixel1-lut', mobile, 10 + k);
      const cs = candidates(mobile, batch, 10 + k);
      if (k === 0) {
        const t = performance.now();
        await Promise.all(p.local.evaluateBatch(cs));
        inProcessJobsPerS = batch / ((performance.now() - t) / 1000);
      }
      const jobsPerS = await withWorkers(redis.url, w, ['--device', 'pixel1-lut', '--concurrency', '4'], async () => {
        await Promise.all(p.remote(candidates(mobile, 20, 99 + k))); // warm every worker's LUT
        const t = performance.now();
        const rs = await Promise.all(p.remote(cs));
        if (rs.some((r) => r.outcome.status !== 'ok')) throw new Error('a LUT job failed');
        return batch / ((performance.now() - t) / 1000);
      });
      workers.push({ workers: w, jobsPerS, vsOneWorker: jobsPerS / (workers[0]?.jobsPerS ?? jobsPerS) });
    }

    // Agreement of a worker's measurement with this process's, same archs, alternating.
    const macro = loadSpace('nasbench-macro');
    const archs = opts.archs ?? 8;
    const m = await plan('ort-cpu-1t', macro, 20);
    const agreement = await withWorkers(redis.url, 1, ['--device', 'ort-cpu-1t'], async () => {
      const cs = candidates(macro, archs, 20);
      await m.remote([candidates(macro, 1, 77)[0]!])[0]; // the worker's child starts its runtime
      const ratios: number[] = [];
      for (const [i, c] of cs.entries()) {
        // Alternate which goes first, so that a slow spell of the machine favours neither.
        const first = i % 2 === 0 ? 'local' : 'remote';
        const ms: Record<string, number> = {};
        for (const which of first === 'local' ? ['local', 'remote'] : ['remote', 'local']) {
          const r = which === 'local' ? await m.local.evaluateBatch([c])[0]! : await m.remote([c])[0]!;
          if (r.outcome.status !== 'ok') throw new Error(`${which} measurement failed: ${r.outcome.error}`);
          ms[which] = r.outcome.metrics.latencyMs!;
        }
        ratios.push(ms.remote! / ms.local!);
      }
      const medianRatio = median(ratios);
      return { archs, ratios, medianRatio, within5Percent: Math.abs(medianRatio - 1) <= 0.05 };
    });
    return { bench: 'queue', roundTrip, throughput: { jobs: batch, inProcessJobsPerS, workers }, agreement };
  } finally {
    await backend.close();
    await redis.stop();
  }
}
