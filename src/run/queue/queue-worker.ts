import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { Job, Worker } from 'bullmq';
import { accuracyFactory } from '../../accuracy/accuracy-registry.ts';
import { checkCommandProgram, COMMAND_PREFIX } from '../../accuracy/command-source.ts';
import { checkAccuracySettings } from '../../accuracy/accuracy-settings.ts';
import type { TrainingBudget } from '../../accuracy/accuracy-source.ts';
import { errorMessage, InputError, UnavailableError } from '../../errors.ts';
import { createLatencyProvider } from '../../latency/create-latency-provider.ts';
import { DEVICES_DIR, loadDevice, type DeviceProfile } from '../../latency/device-profile.ts';
import type { LatencyProvider } from '../../latency/latency-provider.ts';
import { getRuntime, runtimeIds } from '../../runtime/runtime-registry.ts';
import { builtinSpaceIds, loadSpace, spaceContentHash } from '../../space/space-registry.ts';
import type { SearchSpace } from '../../space/search-space.ts';
import { contentHash } from '../../util/content-hash.ts';
import { EvaluationProcess } from './evaluation-process.ts';
import { accuracyQueueName, deviceQueueName, evaluationJobProblem, KEY_PREFIX, type AccuracyJob, type ContentRef, type EvaluationJob, type JobOutcome, type JobResult, type LatencyJob } from './queue-jobs.ts';
import { RedisConnections, redactRedisUrl } from './redis-connection.ts';
import { announceWorker, hwnasVersion, withdrawWorker, type AnnouncedDevice, type WorkerAnnouncement } from './worker-announcement.ts';

/** Settings of `hwnas worker` (and of {@link startQueueWorker} in the library). */
export interface QueueWorkerOptions {
  /** `redis://[:password@]host:port[/db]` or `rediss://…` (TLS). */
  redis: string;
  /** Devices served (built-in ids or profile paths): the queue `device-<id>` of each. */
  devices: readonly string[];
  /** Space files besides the built-in spaces (a coordinator's own spaces); they win over a built-in of the same id. @defaultValue [] */
  spaces?: readonly string[];
  /** Also serve the jobs of this computing accuracy source (`proxy-train`, `zero-cost:synflow`, `command:<your trainer>`…). */
  accuracy?: string;
  /** Seconds a `command:` trainer may run for one job before it is killed (the job is then a failed candidate). @defaultValue 3600 */
  accuracyTimeoutS?: number;
  /**
   * Image data of the accuracy source (`--data`); a coordinator's job is refused unless its source
   * has the same description (data, budget, seed). @defaultValue the vendored CIFAR-10 subset
   */
  data?: string;
  /** Training budget of the accuracy source (`--train-epochs`…). @defaultValue the source's defaults */
  training?: TrainingBudget;
  /** Accuracy jobs (and table/LUT lookups) at once; measured devices always take one at a time. @defaultValue 1 */
  concurrency?: number;
  /**
   * Job lock in ms (BullMQ's lockDuration, renewed every half of it while the job runs): a job of a
   * worker that died goes to another worker about this long after, plus a stalled check (every
   * 2 s at most). Jobs run in child processes, so the worker's own thread is free to renew its locks.
   * @defaultValue 5000
   */
  lockMs?: number;
  /**
   * How often the worker refreshes its announcement; it expires after three of these, and a
   * coordinator then names the worker as dead in its queue line. @defaultValue 1000
   */
  heartbeatMs?: number;
  /** One line per job, refusal and connection problem. */
  onLog?: (line: string) => void;
}

/** A running worker. */
export interface RunningWorker {
  /** `host/pid`. */
  readonly id: string;
  /** The BullMQ queues it serves. */
  readonly queues: readonly string[];
  /** Finish the jobs in hand, withdraw the announcement and disconnect. */
  close(): Promise<void>;
}

interface ServedDevice {
  readonly profile: DeviceProfile;
  readonly file: string;
  readonly hash: string;
  readonly process?: EvaluationProcess;
}

/** A job this worker must not compute (its space or device file differs): failed at once, not retried. */
async function refusal(workerId: string, reason: string): Promise<Error> {
  const { UnrecoverableError } = await import('bullmq');
  return new UnrecoverableError(`worker ${workerId} refused the job: ${reason}`);
}

const short = (h: string) => h.slice(0, 12);

/**
 * Measuring excludes everything else this worker runs: one measurement at a time whatever the
 * device, and no accuracy job (training) while one runs. A measurement waits for running trainings
 * to finish and new trainings wait for it, so a timed model never shares the cores with hwnas work.
 */
function measuringGate(): { measure: <T>(work: () => Promise<T>) => Promise<T>; train: <T>(work: () => Promise<T>) => Promise<T> } {
  let tail: Promise<unknown> = Promise.resolve();
  let measuring: Promise<void> | undefined;
  const trainings = new Set<Promise<unknown>>();
  return {
    measure: (work) => {
      const run = tail.then(async () => {
        let done = () => {};
        measuring = new Promise<void>((r) => (done = r));
        try {
          await Promise.allSettled([...trainings]);
          return await work();
        } finally {
          measuring = undefined;
          done();
        }
      });
      tail = run.catch(() => undefined);
      return run;
    },
    train: async (work) => {
      while (measuring) await measuring;
      const p = work();
      trainings.add(p);
      try {
        return await p;
      } finally {
        trainings.delete(p);
      }
    },
  };
}

/**
 * Serve the queues of the named devices (and of an accuracy source) on a Redis: probe every device
 * first (an unavailable one is an {@link UnavailableError}, exit 3, before anything connects), then
 * take jobs, rebuild each candidate from the job's space reference and arch, and return its outcome.
 * A job whose space or device file differs from this worker's is refused with an error naming both
 * content hashes — never measured on a different network. Measured devices run in a child process
 * ({@link EvaluationProcess}) one job at a time; the worker announces itself for `hwnas devices --redis`.
 */
export async function startQueueWorker(o: QueueWorkerOptions): Promise<RunningWorker> {
  const log = o.onLog ?? (() => {});
  const id = `${hostname()}/${process.pid}`;
  const concurrency = o.concurrency ?? 1;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > 1024) throw new InputError('bad-flag', 'concurrency out of range', { path: '--concurrency', expected: 'an integer in [1, 1024]', actual: String(concurrency) });
  const lockMs = o.lockMs ?? 5000;
  if (o.devices.length === 0 && o.accuracy === undefined) throw new InputError('bad-flag', 'nothing to serve', { path: '--device', expected: 'one or more --device flags (or --accuracy SOURCE)' });

  // Devices: loaded and probed before anything connects.
  const devices = new Map<string, ServedDevice>();
  const announced: AnnouncedDevice[] = [];
  for (const d of o.devices) {
    const profile = loadDevice(d);
    const isPath = d.endsWith('.json') || d.includes('/');
    const file = isPath ? resolve(d) : join(DEVICES_DIR, `${d}.json`);
    if (devices.has(profile.id)) throw new InputError('bad-flag', `device "${profile.id}" is given twice`, { path: '--device' });
    let a: AnnouncedDevice = { id: profile.id, kind: profile.kind, contentHash: contentHash(profile) };
    if (profile.kind === 'measured') {
      const runtime = getRuntime(profile.runtime);
      if (!runtime) throw new InputError('unknown-id', `device "${profile.id}" names an unknown runtime "${profile.runtime}"`, { file, path: '/runtime', expected: `one of ${runtimeIds().join(', ')}` });
      const probe = await runtime.probe();
      if (!probe.available) throw new UnavailableError(`device ${profile.id} (${profile.runtime})`, probe.reason);
      const info = runtime.info({ threads: profile.threads });
      a = { ...a, runtime: info.runtime, version: info.version, provider: info.provider, threads: info.threads };
    }
    devices.set(profile.id, { profile, file, hash: a.contentHash, ...(profile.kind === 'measured' && { process: new EvaluationProcess({ kind: 'device', file }, profile.id) }) });
    announced.push(a);
  }
  if (o.accuracy !== undefined) {
    accuracyFactory(o.accuracy);
    // A trainer program missing here fails at start, not once per job.
    if (o.accuracy.startsWith(COMMAND_PREFIX)) checkCommandProgram(o.accuracy);
  }
  if (o.accuracyTimeoutS !== undefined && !(o.accuracyTimeoutS > 0 && Number.isFinite(o.accuracyTimeoutS))) throw new InputError('bad-flag', 'the timeout must be a positive number of seconds', { path: '--accuracy-timeout', actual: String(o.accuracyTimeoutS) });
  if (o.data !== undefined || o.training !== undefined) checkAccuracySettings({ seed: 0, jobs: concurrency, ...(o.data !== undefined && { data: o.data }), ...(o.training !== undefined && { training: o.training }) });
  const accuracyProcess = o.accuracy !== undefined
    ? new EvaluationProcess({
        kind: 'accuracy', id: o.accuracy, jobs: concurrency, ...(o.accuracyTimeoutS !== undefined && { timeoutS: o.accuracyTimeoutS }),
        ...(o.data !== undefined && { data: o.data }), ...(o.training !== undefined && { training: o.training }),
      }, `accuracy ${o.accuracy}`)
    : undefined;

  // Spaces: the worker's own files, checked against each job's content hash.
  const ownSpaces = new Map<string, SearchSpace>();
  for (const f of o.spaces ?? []) {
    const s = loadSpace(f.endsWith('.json') || f.includes('/') ? f : `./${f}`);
    if (ownSpaces.has(s.id)) throw new InputError('bad-flag', `two space files have the id "${s.id}"`, { path: '--space', actual: `${ownSpaces.get(s.id)!.file}, ${s.file}` });
    ownSpaces.set(s.id, s);
  }
  const spaceOf = (ref: ContentRef): SearchSpace | string => {
    const s = ownSpaces.get(ref.id) ?? (builtinSpaceIds().includes(ref.id) ? loadSpace(ref.id) : undefined);
    if (!s) return `this worker has no space "${ref.id}" (the coordinator's has content hash ${short(ref.contentHash)}); start it with --space FILE, a copy of the coordinator's space file`;
    const h = spaceContentHash(s);
    if (h !== ref.contentHash) return `space "${ref.id}" differs: this worker's ${s.file} has content hash ${short(h)}, the coordinator's ${short(ref.contentHash)}; give the worker a copy of the coordinator's file with --space FILE`;
    return s;
  };

  const conns = await RedisConnections.open(o.redis, log);
  const gate = measuringGate();
  const lookups = new Map<string, Promise<LatencyProvider>>();

  const finish = (job: EvaluationJob, startedAt: string, t0: number, outcome: JobOutcome): JobResult => {
    let out = outcome;
    if (out.status === 'ok') {
      for (const [k, v] of Object.entries(out.metrics)) if (!Number.isFinite(v)) out = { status: 'failed', error: `metric ${k} is ${v}` };
    }
    const busyMs = performance.now() - t0;
    log(`${job.kind === 'latency' ? job.device.id : `accuracy ${job.accuracy.id}`} ${job.arch}: ${out.status === 'ok' ? Object.entries(out.metrics).slice(0, 2).map(([k, v]) => `${k} ${Number(v.toPrecision(4))}`).join(', ') : `failed: ${out.error}`} (${Math.round(busyMs)} ms)`);
    return { outcome: out, worker: id, startedAt, finishedAt: new Date().toISOString(), busyMs };
  };

  const latencyJob = async (job: Job): Promise<JobResult> => {
    const problem = evaluationJobProblem(job.data);
    if (problem || (job.data as EvaluationJob).kind !== 'latency') throw await refusal(id, problem ?? 'an accuracy job on a device queue');
    const data = job.data as LatencyJob;
    const device = devices.get(data.device.id);
    if (!device) throw await refusal(id, `this worker does not serve device "${data.device.id}"`);
    if (device.hash !== data.device.contentHash) {
      throw await refusal(id, `device profile "${device.profile.id}" differs: this worker's ${device.file} has content hash ${short(device.hash)}, the coordinator's ${short(data.device.contentHash)}`);
    }
    const space = spaceOf(data.space);
    if (typeof space === 'string') throw await refusal(id, space);
    if (space.encode(data.genotype) !== data.arch) throw await refusal(id, `arch ${data.arch} does not match its genotype in space ${space.id}`);
    log(`start ${device.profile.id} ${data.arch} (job ${job.id}, attempt ${job.attemptsMade + 1})`);
    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    if (device.process) {
      const r = await gate.measure(() => device.process!.evaluate({ spaceFile: space.file, spaceHash: data.space.contentHash, arch: data.arch, genotype: data.genotype, seed: data.seed }));
      if ('refused' in r) throw await refusal(id, r.refused);
      return finish(data, startedAt, t0, 'ok' in r ? { status: 'ok', metrics: r.ok.metrics, info: { ...r.ok.info, worker: id } } : { status: 'failed', error: r.failed });
    }
    // Table and LUT devices: a lookup, done here.
    const key = `${device.profile.id}/${data.space.contentHash}`;
    let p = lookups.get(key);
    if (!p) lookups.set(key, (p = createLatencyProvider(device.profile, space)));
    let provider: LatencyProvider;
    try {
      provider = await p;
    } catch (e) {
      lookups.delete(key);
      throw await refusal(id, errorMessage(e));
    }
    try {
      const r = await provider.latency(space, data.genotype);
      return finish(data, startedAt, t0, { status: 'ok', metrics: r.metrics, info: r.info });
    } catch (e) {
      return finish(data, startedAt, t0, { status: 'failed', error: errorMessage(e) });
    }
  };

  const accuracyJob = async (job: Job): Promise<JobResult> => {
    const problem = evaluationJobProblem(job.data);
    if (problem || (job.data as EvaluationJob).kind !== 'accuracy') throw await refusal(id, problem ?? 'a latency job on an accuracy queue');
    const data = job.data as AccuracyJob;
    if (data.accuracy.id !== o.accuracy) throw await refusal(id, `this worker serves accuracy source "${o.accuracy}", not "${data.accuracy.id}"`);
    const space = spaceOf(data.space);
    if (typeof space === 'string') throw await refusal(id, space);
    if (space.encode(data.genotype) !== data.arch) throw await refusal(id, `arch ${data.arch} does not match its genotype in space ${space.id}`);
    log(`start accuracy ${data.accuracy.id} ${data.arch}${data.epochs !== undefined ? ` at ${data.epochs} epochs` : ''} (job ${job.id}, attempt ${job.attemptsMade + 1})`);
    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    const r = await gate.train(() => accuracyProcess!.evaluate({
      spaceFile: space.file, spaceHash: data.space.contentHash, arch: data.arch, genotype: data.genotype, seed: data.seed, description: data.accuracy.description,
      ...(data.epochs !== undefined && { epochs: data.epochs }),
    }));
    if ('refused' in r) throw await refusal(id, r.refused);
    return finish(data, startedAt, t0, 'ok' in r ? { status: 'ok', metrics: r.ok.metrics, info: {} } : { status: 'failed', error: r.failed });
  };

  const { Worker: BullWorker } = await import('bullmq');
  const workers: Worker[] = [];
  const queues: string[] = [];
  const serve = (queue: string, processor: (job: Job) => Promise<JobResult>, jobsAtOnce: number) => {
    const w = new BullWorker(queue, processor, {
      connection: conns.connection(), prefix: KEY_PREFIX, concurrency: jobsAtOnce, name: id,
      lockDuration: lockMs, stalledInterval: Math.min(lockMs, 2000), maxStalledCount: 2,
    });
    w.on('error', (e) => log(`${queue}: ${errorMessage(e)}`));
    w.on('failed', (job, e) => log(`${queue} job ${job?.id ?? '?'}: ${errorMessage(e)}`));
    workers.push(w);
    queues.push(queue);
  };
  for (const d of devices.values()) serve(deviceQueueName(d.profile.id), latencyJob, d.process ? 1 : concurrency);
  if (o.accuracy !== undefined) serve(accuracyQueueName(o.accuracy), accuracyJob, concurrency);

  // Announce: host, runtime versions, device profile content hashes, last seen.
  const control = conns.connection();
  const heartbeatMs = o.heartbeatMs ?? 1000;
  const announcement: WorkerAnnouncement = {
    worker: id, host: hostname(), pid: process.pid, node: process.version, hwnas: hwnasVersion(), platform: `${process.platform}-${process.arch}`,
    devices: announced, accuracy: o.accuracy ?? null, concurrency, startedAt: new Date().toISOString(), lastSeen: '',
  };
  let beating: Promise<void> | undefined;
  const beat = () => {
    beating ??= announceWorker(control, announcement, 3 * heartbeatMs).catch(() => {}).finally(() => (beating = undefined));
  };
  beat();
  const timer = setInterval(beat, heartbeatMs);
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  log(`worker ${id} serving ${queues.join(', ')} on ${redactRedisUrl(o.redis)}`);

  let closing: Promise<void> | undefined;
  return {
    id,
    queues,
    close: () => (closing ??= (async () => {
      clearInterval(timer);
      await Promise.all(workers.map((w) => w.close()));
      // A Redis that is gone would hold this forever; the announcement expires by itself anyway.
      await Promise.race([withdrawWorker(control, id).catch(() => {}), new Promise((r) => setTimeout(r, 2000).unref())]);
      await Promise.all([...devices.values()].map((d) => d.process?.close()));
      await accuracyProcess?.close();
      for (const p of lookups.values()) await p.then((x) => x.close?.(), () => {});
      conns.close();
    })()),
  };
}
