import type { Queue, QueueEvents } from 'bullmq';
import type { AccuracySource } from '../../accuracy/accuracy-source.ts';
import { tableAccuracyFactories } from '../../accuracy/table-accuracy.ts';
import { UnavailableError } from '../../errors.ts';
import { createLatencyProvider, MEASURED_METRICS } from '../../latency/create-latency-provider.ts';
import { checkDeviceForSpace, type DeviceProfile } from '../../latency/device-profile.ts';
import { COUNT_METRICS, LATENCY_METRICS } from '../../record/metric-registry.ts';
import type { MetricFilter } from '../../record/outcome.ts';
import type { LatencyProvider } from '../../latency/latency-provider.ts';
import { spaceContentHash } from '../../space/space-registry.ts';
import type { Genotype, SearchSpace } from '../../space/search-space.ts';
import { contentHash } from '../../util/content-hash.ts';
import { Evaluator } from '../evaluator.ts';
import type { EvaluationBackend, TargetPlan } from '../study.ts';
import type { BatchEvaluate, Evaluated } from '../trial-loop.ts';
import { jobId, jobResultProblem, KEY_PREFIX, queueOf, type AccuracyJob, type EvaluationJob, type JobResult, type LatencyJob } from './queue-jobs.ts';
import { RedisConnections, redactRedisUrl } from './redis-connection.ts';
import { listWorkers } from './worker-announcement.ts';

/** Settings of a {@link QueueBackend}. */
export interface QueueBackendOptions {
  /** `redis://[:password@]host:port[/db]` or `rediss://…` (TLS). */
  redis: string;
  /**
   * A resumed run: a job that a worker finished while the coordinator was away is used, not computed
   * again. A fresh run computes every job anew (an earlier run's finished job is replaced).
   * @defaultValue false
   */
  resume?: boolean;
  /** Attempts of a failing job (worker crash, lost process) before it is a failed outcome. @defaultValue 3 */
  attempts?: number;
  /** First retry delay, doubled at each attempt (BullMQ exponential backoff). @defaultValue 1000 */
  backoffMs?: number;
  /** Finished jobs are kept this long for `--resume` to collect. @defaultValue 7 days */
  keepFinishedS?: number;
  /** How often pending jobs are checked (a Redis that lost its data gets them again). @defaultValue 2000 */
  checkMs?: number;
  /** Give up (exit 3, resumable) when Redis has not answered for this long. @defaultValue 60000 */
  redisLostMs?: number;
  /** Queue status every this many ms through `onStatus`. @defaultValue 10000 */
  statusMs?: number;
  onStatus?: (s: QueueStatus) => void;
  /** Connection problems and recoveries, one line each. */
  onNote?: (text: string) => void;
}

/** Jobs of one queue (one device, or one accuracy source). */
export interface QueueCounts {
  readonly queue: string;
  readonly waiting: number;
  readonly active: number;
  /** Jobs waiting for a retry. */
  readonly delayed: number;
  /** Workers connected to the queue. */
  readonly workers: number;
  /**
   * Workers holding active jobs of the queue that have stopped their heartbeat (killed, or their
   * machine gone): `host/pid`. Their jobs go back to the queue once the job lock lapses.
   */
  readonly deadWorkers: readonly string[];
  /** Active jobs held by {@link QueueCounts.deadWorkers}. */
  readonly activeOnDeadWorkers: number;
}

export interface QueueStatus {
  readonly queues: readonly QueueCounts[];
  /** Jobs this coordinator waits for. */
  readonly pending: number;
}

type Settled = { readonly result: JobResult } | { readonly failedReason: string };

interface Pending {
  readonly id: string;
  readonly job: EvaluationJob;
  /** Metrics the job's kind may set: a result with any other is refused. */
  readonly allowed: MetricFilter;
  readonly queue: string;
  readonly promise: Promise<Settled>;
  resolve(s: Settled): void;
  /** Added to (or found in) Redis; the periodic check looks after it from then on. */
  enqueued: boolean;
  checkedAt: number;
}

interface QueuePair {
  readonly queue: Queue;
  readonly events: QueueEvents;
}

/** What a latency job may set: latency metrics only (never accuracy, never counts). */
const LATENCY_JOB_METRICS: ReadonlySet<string> = new Set([...LATENCY_METRICS, ...MEASURED_METRICS]);

/**
 * What an accuracy job may set: its source's metrics and the numbers a trainer adds (a `command:`
 * trainer reports its own), never a latency or count metric, never a per-device name.
 */
const ACCURACY_JOB_METRICS: MetricFilter = {
  has: (name) => !name.includes('@') && !LATENCY_JOB_METRICS.has(name) && !COUNT_METRICS.includes(name),
};

/** A table source is a lookup the coordinator does itself; every other source computes on workers. */
function isComputingSource(s: AccuracySource): boolean {
  return !tableAccuracyFactories.some((f) => f.id === s.id);
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * Evaluation through BullMQ queues on Redis: one queue per device (`device-<id>`) and one per
 * computing accuracy source (`accuracy-<id>`), served by `hwnas worker` processes on any number of
 * machines. The coordinator keeps the strategy and the journal; each candidate of an asked batch
 * becomes a latency job per device (and an accuracy job), with a deterministic id (a hash of space
 * content, arch, device content, what is measured, seed); results come back through BullMQ's
 * events, are journaled by the trial loop, then told. Params, FLOPs and table accuracy are counted
 * here, with the same {@link Evaluator} as in-process, so outcomes match it key for key.
 *
 * Delivery is at least once (a stalled job is run again); each job id is settled once, so a job
 * that ran twice gives one record. Pending jobs are checked every {@link QueueBackendOptions.checkMs}:
 * one that Redis lost (a restart without persistence) is added again; when Redis stays away longer
 * than {@link QueueBackendOptions.redisLostMs} the run stops with an {@link UnavailableError}, the
 * journal holding every finished evaluation for `--resume`.
 */
export class QueueBackend implements EvaluationBackend {
  readonly parallelTargets = true;
  private readonly pending = new Map<string, Pending>();
  private readonly queues = new Map<string, Promise<QueuePair>>();
  private readonly remoteDevices = new WeakMap<LatencyProvider, DeviceProfile>();
  private readonly timers: NodeJS.Timeout[] = [];
  private lastAnswer = Date.now();
  private checking: Promise<void> | undefined;
  private fatal: Error | undefined;
  private closed: Promise<void> | undefined;
  private readonly control: import('ioredis').Redis;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly keepS: number;
  private readonly checkMs: number;
  /** Dead workers already reported through `onNote`. */
  private readonly reportedDead = new Set<string>();

  private constructor(private readonly o: QueueBackendOptions, private readonly conns: RedisConnections, private readonly bull: typeof import('bullmq')) {
    this.attempts = o.attempts ?? 3;
    this.backoffMs = o.backoffMs ?? 1000;
    this.keepS = o.keepFinishedS ?? 7 * 24 * 3600;
    this.checkMs = o.checkMs ?? 2000;
    this.control = conns.connection();
    this.timers.push(setInterval(() => void this.ping(), this.checkMs));
    this.timers.push(setInterval(() => {
      if (this.checking) return;
      this.checking = this.check().then(() => this.watchWorkers()).catch(() => {}).finally(() => (this.checking = undefined));
    }, this.checkMs));
    if (o.onStatus) this.timers.push(setInterval(() => void this.status().then(o.onStatus, () => {}), o.statusMs ?? 10_000));
    for (const t of this.timers) t.unref();
  }

  /** Connect (an unreachable Redis is an {@link UnavailableError}, exit 3); BullMQ is loaded here, on use. */
  static async open(o: QueueBackendOptions): Promise<QueueBackend> {
    const conns = await RedisConnections.open(o.redis, o.onNote);
    return new QueueBackend(o, conns, await import('bullmq'));
  }

  /** A device's latency through its queue; table and LUT devices are also checked here (space coverage, metric names). */
  async latencyProvider(device: DeviceProfile, space: SearchSpace): Promise<LatencyProvider> {
    checkDeviceForSpace(device, space.id);
    let metricNames = MEASURED_METRICS;
    if (device.kind !== 'measured') {
      const local = await createLatencyProvider(device, space);
      metricNames = local.metricNames;
      await local.close?.();
    }
    const p: LatencyProvider = { deviceId: device.id, kind: device.kind, metricNames, latency: (sp, g) => this.remoteLatency(device, sp, g, 0) };
    this.remoteDevices.set(p, device);
    return p;
  }

  evaluator(plan: TargetPlan): BatchEvaluate {
    const meta = new WeakMap<Genotype, JobResult[]>();
    const note = (g: Genotype, r: JobResult) => meta.set(g, [...(meta.get(g) ?? []), r]);
    const latency = plan.providers.map((p): LatencyProvider => {
      const device = this.remoteDevices.get(p);
      return device ? { ...p, latency: (sp, g) => this.remoteLatency(device, sp, g, plan.seed, note) } : p;
    });
    const local = plan.accuracy;
    const accuracy: AccuracySource | undefined = local && isComputingSource(local)
      ? {
          id: local.id, metric: local.metric, description: local.description, metricNames: local.metricNames,
          concurrency: Number.MAX_SAFE_INTEGER, // workers decide how many run at once
          ...(local.fidelity && { fidelity: local.fidelity }),
          metrics: (sp, g, call) => this.remoteAccuracy(local, sp, g, plan.seed, note, call?.epochs),
        }
      : local;
    const e = new Evaluator(plan.space, { counts: plan.counts, ...(accuracy && { accuracy }), latency, joint: plan.target.joint, remote: true });
    return (batch) => e.evaluateBatch(batch).map(async (p, i): Promise<Evaluated> => {
      const r = await p;
      // Redis gone for good: stop before anything is journaled as a failure of the candidate.
      if (this.fatal) throw this.fatal;
      const done = meta.get(batch[i]!.genotype) ?? [];
      if (done.length === 0) return r;
      return {
        ...r,
        evalMs: sum(done.map((d) => d.busyMs)),
        worker: [...new Set(done.map((d) => d.worker))].join(' '),
        startedAt: done.map((d) => d.startedAt).sort()[0]!,
        finishedAt: done.map((d) => d.finishedAt).sort().at(-1)!,
      };
    });
  }

  private async remoteLatency(device: DeviceProfile, space: SearchSpace, g: Genotype, seed: number, note?: (g: Genotype, r: JobResult) => void) {
    const job: LatencyJob = {
      kind: 'latency', space: { id: space.id, contentHash: spaceContentHash(space) }, device: { id: device.id, contentHash: contentHash(device) },
      arch: space.encode(g), genotype: [...g], seed,
    };
    const r = await this.outcome(job, LATENCY_JOB_METRICS, g, note);
    return { metrics: r.metrics, info: r.info ?? {} };
  }

  private async remoteAccuracy(source: AccuracySource, space: SearchSpace, g: Genotype, seed: number, note: (g: Genotype, r: JobResult) => void, epochs?: number) {
    const job: AccuracyJob = {
      kind: 'accuracy', space: { id: space.id, contentHash: spaceContentHash(space) }, accuracy: { id: source.id, description: source.description },
      arch: space.encode(g), genotype: [...g], seed, ...(epochs !== undefined && { epochs }),
    };
    return (await this.outcome(job, ACCURACY_JOB_METRICS, g, note)).metrics;
  }

  /** A job's metrics, or a thrown error (the evaluator records it as the candidate's failed outcome). */
  private async outcome(job: EvaluationJob, allowed: MetricFilter, g: Genotype, note?: (g: Genotype, r: JobResult) => void) {
    const s = await this.submit(job, allowed);
    if ('failedReason' in s) throw new Error(s.failedReason);
    note?.(g, s.result);
    if (s.result.outcome.status === 'failed') throw new Error(s.result.outcome.error);
    return s.result.outcome;
  }

  /** Submit a job (or join the same job already pending) and wait until it is settled. */
  private submit(job: EvaluationJob, allowed: MetricFilter): Promise<Settled> {
    if (this.fatal) return Promise.reject(this.fatal);
    const id = jobId(job);
    const known = this.pending.get(id);
    if (known) return known.promise;
    let resolve!: (s: Settled) => void;
    const promise = new Promise<Settled>((r) => (resolve = r));
    const entry: Pending = { id, job, allowed, queue: queueOf(job), promise, resolve, enqueued: false, checkedAt: Date.now() };
    this.pending.set(id, entry);
    this.enqueue(entry).catch((e: unknown) => this.settle(id, { failedReason: `could not enqueue: ${(e as Error).message}` }));
    return promise;
  }

  private settle(id: string, s: Settled): void {
    const entry = this.pending.get(id);
    if (!entry) return; // settled already: a job delivered twice gives one result
    this.pending.delete(id);
    entry.resolve(s);
  }

  /**
   * A worker's answer is input: checked on arrival by the rules a journal line meets at resume
   * ({@link jobResultProblem}), with only the metrics its job's kind may set. A bad one fails the
   * candidate, naming the worker and what is wrong; no number of it is used.
   */
  private settleFromJob(id: string, returnvalue: unknown): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    let value: unknown = returnvalue;
    if (typeof returnvalue === 'string') {
      try {
        value = JSON.parse(returnvalue) as unknown;
      } catch {
        value = undefined;
      }
    }
    const problem = jobResultProblem(value, entry.allowed);
    if (!problem) {
      this.settle(id, { result: value as JobResult });
      return;
    }
    const who = typeof (value as { worker?: unknown } | undefined)?.worker === 'string' ? `worker ${((value as { worker: string }).worker).slice(0, 200)}` : 'a worker';
    this.settle(id, { failedReason: `${who} sent an invalid result: ${problem}` });
  }

  private async enqueue(entry: Pending): Promise<void> {
    const { queue } = await this.queuePair(entry.queue);
    const job = await queue.getJob(entry.id);
    if (job) {
      const state = await job.getState();
      if (state === 'completed' && this.o.resume) {
        // Finished while the coordinator was away: used, not computed again.
        this.settleFromJob(entry.id, job.returnvalue);
        return;
      }
      if (state === 'completed' || state === 'failed') await job.remove();
      else {
        entry.enqueued = true; // waiting or active (a previous coordinator's): its result will come
        return;
      }
    }
    await this.add(queue, entry);
  }

  private async add(queue: Queue, entry: Pending): Promise<void> {
    await queue.add(entry.job.kind, entry.job, {
      jobId: entry.id,
      attempts: this.attempts,
      backoff: { type: 'exponential', delay: this.backoffMs },
      removeOnComplete: { age: this.keepS },
      removeOnFail: { age: this.keepS },
    });
    entry.enqueued = true;
    entry.checkedAt = Date.now();
  }

  private queuePair(name: string): Promise<QueuePair> {
    let p = this.queues.get(name);
    if (!p) {
      p = (async () => {
        const queue = new this.bull.Queue(name, { connection: this.conns.connection(), prefix: KEY_PREFIX });
        const events = new this.bull.QueueEvents(name, { connection: this.conns.connection(), prefix: KEY_PREFIX });
        queue.on('error', () => {});
        events.on('error', () => {});
        events.on('completed', ({ jobId: id, returnvalue }) => this.settleFromJob(id, returnvalue));
        events.on('failed', ({ jobId: id }) => void this.checkFailed(queue, id));
        await events.waitUntilReady();
        await queue.waitUntilReady();
        return { queue, events };
      })();
      this.queues.set(name, p);
    }
    return p;
  }

  /** A `failed` event is final only when no retry is left: the job's state says which. */
  private async checkFailed(queue: Queue, id: string): Promise<void> {
    if (!this.pending.has(id)) return;
    const job = await queue.getJob(id);
    if (job && (await job.getState()) === 'failed') this.settle(id, { failedReason: job.failedReason || 'failed' });
  }

  /** Redis answers, or the run stops once it has not for {@link QueueBackendOptions.redisLostMs}. */
  private async ping(): Promise<void> {
    if (this.closed || this.fatal) return;
    const ok = await Promise.race([this.control.ping().then(() => true, () => false), new Promise<boolean>((r) => setTimeout(() => r(false), this.checkMs).unref())]);
    const now = Date.now();
    if (ok) this.lastAnswer = now;
    else if (now - this.lastAnswer > (this.o.redisLostMs ?? 60_000)) this.fail();
  }

  /** Every pending job still exists in Redis (else it is added again) and is not finished unseen. */
  private async check(): Promise<void> {
    if (this.closed || this.fatal || Date.now() - this.lastAnswer > this.checkMs) return;
    const now = Date.now();
    for (const entry of [...this.pending.values()]) {
      if (!entry.enqueued || now - entry.checkedAt < this.checkMs) continue;
      entry.checkedAt = now;
      const { queue } = await this.queuePair(entry.queue);
      const job = await queue.getJob(entry.id);
      if (!this.pending.has(entry.id)) continue;
      if (!job) {
        this.o.onNote?.(`job ${entry.id.slice(0, 12)} (${entry.queue} ${entry.job.arch}) is gone from Redis: added again`);
        await this.add(queue, entry);
        continue;
      }
      const state = await job.getState();
      if (state === 'completed') this.settleFromJob(entry.id, job.returnvalue);
      else if (state === 'failed') this.settle(entry.id, { failedReason: job.failedReason || 'failed' });
    }
  }

  private fail(): void {
    const s = Math.round((this.o.redisLostMs ?? 60_000) / 1000);
    this.fatal = new UnavailableError(`Redis at ${redactRedisUrl(this.o.redis)}`, `no answer for ${s} s; every finished evaluation is in the journal: run the same command with --resume once Redis is back`);
    for (const id of [...this.pending.keys()]) this.settle(id, { failedReason: this.fatal.message });
  }

  /**
   * Jobs waiting and active per queue this coordinator uses, the workers on each, and the active jobs
   * held by dead workers: a worker is dead when its announcement (refreshed every second by
   * `hwnas worker`, expiring after three) is gone while a job names it as the one processing it.
   */
  async status(): Promise<QueueStatus> {
    const queues: QueueCounts[] = [];
    let alive: Set<string> | undefined;
    for (const [name, p] of this.queues) {
      const { queue } = await p;
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      const dead: string[] = [];
      if ((c.active ?? 0) > 0) {
        alive ??= new Set((await listWorkers(this.control)).map((w) => w.worker));
        for (const job of await queue.getActive()) if (job.processedBy && !alive.has(job.processedBy)) dead.push(job.processedBy);
      }
      queues.push({
        queue: name, waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0, workers: await queue.getWorkersCount(),
        deadWorkers: [...new Set(dead)].sort(), activeOnDeadWorkers: dead.length,
      });
    }
    return { queues, pending: this.pending.size };
  }

  /** Say at once (a note and a status line) when a worker holding jobs has died. */
  private async watchWorkers(): Promise<void> {
    if (this.closed || this.fatal || this.pending.size === 0) return;
    const s = await this.status();
    const fresh = s.queues.flatMap((q) => q.deadWorkers.filter((w) => !this.reportedDead.has(w)).map((w) => [w, q.queue] as const));
    if (fresh.length === 0) return;
    for (const [w, queue] of fresh) {
      this.reportedDead.add(w);
      this.o.onNote?.(`worker ${w} stopped (no heartbeat) while holding a job of ${queue}: the job goes back to the queue once its lock lapses (the worker's --lock-ms)`);
    }
    this.o.onStatus?.(s);
  }

  /** Stop checking and disconnect (jobs in Redis stay for a later `--resume`). Idempotent. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      for (const t of this.timers) clearInterval(t);
      const graceful = (async () => {
        for (const p of this.queues.values()) {
          const pair = await p.catch(() => undefined);
          await pair?.events.close().catch(() => {});
          await pair?.queue.close().catch(() => {});
        }
      })();
      // A Redis that is gone would hold the closing forever: disconnect after a short wait.
      await Promise.race([graceful, new Promise((r) => setTimeout(r, 3000).unref())]);
      this.conns.close();
    })();
    return this.closed;
  }
}
