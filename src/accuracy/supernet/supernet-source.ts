import { BroadcastChannel } from 'node:worker_threads';
import { InputError } from '../../errors.ts';
import type { Genotype, SearchSpace } from '../../space/search-space.ts';
import { spaceContentHash } from '../../space/space-registry.ts';
import { siblingModule, WorkerPool } from '../../util/worker-pool.ts';
import type { AccuracySettings, AccuracySource, AccuracySourceFactory } from '../accuracy-source.ts';
import type { SupernetInfo } from './one-shot-supernet.ts';
import { trainedSpace, supernetLayout } from './supernet-layout.ts';
import { resolveSupernetOptions, type SupernetOptions } from './supernet-settings.ts';
import type { SupernetProgress } from './supernet-train.ts';
import type { SupernetReply, SupernetTask } from './supernet-worker.ts';
import { sampleImageSplit } from '../image-data.ts';
import { Rng } from '../../util/rng.ts';
import { formatSeconds } from '../../util/progress.ts';

/**
 * The `supernet` accuracy source: every candidate scored with the weights it inherits from one
 * weight-sharing supernet (SPOS), trained once per space × data × settings and cached
 * (`./one-shot-supernet.ts`). Training and scoring run in worker threads, so the calling thread
 * stays free: the first candidate waits for the supernet (trained, resumed from a checkpoint or
 * loaded from the cache), the others are then scored `jobs` at a time, each worker holding its own
 * copy of the trained weights.
 */
export interface SupernetSourceOptions extends SupernetOptions {
  /** Worker threads scoring candidates at once (training uses one). @defaultValue 1 */
  jobs?: number;
}

/** The `supernet` source, with what its training cost once it is known. */
export interface SupernetAccuracySource extends AccuracySource {
  /** The supernet's training facts (cost, cache, steps) once it is trained or loaded. */
  readonly supernet: SupernetInfo | undefined;
}

/** The worker entry (`./supernet-worker.ts`, or `.js` when compiled). */
export const SUPERNET_WORKER = siblingModule('supernet-worker', import.meta.url);

let channels = 0;

/** A progress printer for people: one line at start, every epoch and at most every `everySeconds` otherwise. */
export function supernetProgressPrinter(write: (line: string) => void, label: string, everySeconds = 30): (p: SupernetProgress) => void {
  let last = -Infinity;
  const time = (s: number): string => (Number.isFinite(s) ? formatSeconds(s) : '?');
  return (p) => {
    if (p.kind === 'step' || p.kind === 'checkpoint') {
      if (p.wallSeconds - last < everySeconds) return;
    }
    last = p.wallSeconds;
    const pct = p.totalSteps > 0 ? Math.floor((100 * p.step) / p.totalSteps) : 100;
    if (p.kind === 'wait') return write(`${label}: another process is training this supernet; waiting for it\n`);
    const what = p.kind === 'start' ? 'training starts' : p.kind === 'resume' ? `resumed from its checkpoint at step ${p.step}` : p.kind === 'done' ? 'trained' : p.kind === 'epoch' ? `epoch ${Math.round(p.epoch)} done` : 'training';
    const loss = Number.isFinite(p.loss) ? `, loss ${p.loss.toFixed(3)}` : '';
    const eta = p.kind === 'done' ? '' : `, eta ${time(p.etaSeconds)}`;
    write(`${label}: ${what} — ${pct}% (epoch ${p.epoch.toFixed(1)}/${p.epochs}, step ${p.step}/${p.totalSteps})${loss}, ${time(p.wallSeconds)} elapsed${eta}\n`);
  };
}

/**
 * Check that `space` can be served (layout, data resolution) without training anything: an
 * `incompatible` {@link InputError} says why not.
 */
export function checkSupernetSpace(space: SearchSpace, opts: SupernetOptions = {}): void {
  const r = resolveSupernetOptions(opts);
  // One image says the resolution and classes (without decoding the whole split).
  const one = sampleImageSplit(r.dataDir, 'train', 1, new Rng(0), { data: 'data' });
  supernetLayout(trainedSpace(space, { side: one.height, classes: one.classes, widthMultiplier: r.widthMultiplier }));
}

/** The `supernet` accuracy source for `space` (refused with an `incompatible` InputError when unserved). */
export function supernetSource(space: SearchSpace, opts: SupernetSourceOptions = {}): SupernetAccuracySource {
  const { jobs = 1, onProgress, ...options } = opts;
  if (!Number.isInteger(jobs) || jobs < 1) throw new InputError('bad-flag', 'jobs must be a positive integer', { path: 'jobs', actual: String(jobs) });
  const r = resolveSupernetOptions(options);
  checkSupernetSpace(space, options);
  const spaceHash = spaceContentHash(space);
  const channel = `hwnas-supernet-${process.pid}-${channels++}`;
  let pool: WorkerPool<SupernetTask, SupernetReply> | undefined;
  let ready: Promise<SupernetInfo> | undefined;
  let info: SupernetInfo | undefined;
  const task = (kind: SupernetTask['kind'], arch?: string): SupernetTask => ({ kind, spaceFile: space.file, spaceHash, options, channel, ...(arch !== undefined && { arch }) });
  const open = (): Promise<SupernetInfo> => {
    pool ??= new WorkerPool<SupernetTask, SupernetReply>({ size: jobs, entry: SUPERNET_WORKER, name: 'supernet' });
    const listener = new BroadcastChannel(channel);
    listener.onmessage = (m) => onProgress?.((m as { data: SupernetProgress }).data);
    const p = pool.run(task('open')).then((rep) => (info = rep.info)).finally(() => listener.close());
    // A failed training is retried by the next candidate (a fresh worker resumes its checkpoint).
    p.catch(() => {
      if (ready === p) ready = undefined;
    });
    return p;
  };
  const metric = r.score;
  const other = metric === 'accuracy' ? 'logLikelihood' : 'accuracy';
  const description = `one-shot supernet (SPOS${r.sampling === 'fair' ? ', FairNAS sampling' : ''}): trained once at width ×${r.widthMultiplier}, ${r.epochs} epoch(s) on ${r.trainImages} training images (at most) of ${r.dataDir}, SGD lr ${r.learningRate} cosine, batch ${r.batchSize}, seed ${r.seed}; each candidate scored with inherited weights after batch-norm re-estimation on ${r.bnBatches}×${r.batchSize} training images, ${metric === 'accuracy' ? 'top-1 accuracy' : 'mean log-likelihood of the true class (−cross-entropy, nats)'} on the first ${r.testImages} test images (a ranking signal, not trained accuracy)`;
  return {
    id: 'supernet',
    metric,
    metricNames: [metric, other],
    alongside: [other],
    description,
    concurrency: jobs,
    get supernet() {
      return info;
    },
    // The whole training, also what an earlier process did (cache, checkpoint), so that a bench
    // charges the supernet in full whoever trained it.
    get oneOffCpuSeconds() {
      return info?.trainCpuSeconds;
    },
    async prepare() {
      ready ??= open();
      await ready;
    },
    async metrics(s: SearchSpace, g: Genotype) {
      if (spaceContentHash(s) !== spaceHash) throw new Error(`the supernet source was made for space ${space.id}, not ${s.id}`);
      ready ??= open();
      await ready;
      const rep = await pool!.run(task('score', s.encode(g)));
      return { accuracy: rep.accuracy!, logLikelihood: rep.logLikelihood! };
    },
    async close() {
      const p = pool;
      pool = undefined;
      ready = undefined;
      await p?.close();
    },
  };
}

/** `supernet` with the defaults of {@link SupernetOptions}, progress on stderr. */
export const supernetFactory: AccuracySourceFactory = {
  id: 'supernet',
  description: 'one-shot weight-sharing supernet (SPOS) trained once on CIFAR-10 and cached; each candidate scored with inherited weights after batch-norm re-estimation (chain spaces)',
  create: (space: SearchSpace, settings: AccuracySettings) => {
    // The shared data folder and training budget (`--data`, `--train-epochs`…: a field given there
    // replaces the supernet's default), and the supernet's own options when given.
    const shared = settings as AccuracySettings & { supernet?: SupernetOptions };
    const t = settings.training ?? {};
    return supernetSource(space, {
      ...shared.supernet,
      seed: settings.seed,
      jobs: settings.jobs,
      ...(settings.data !== undefined && { dataDir: settings.data }),
      ...(t.epochs !== undefined && { epochs: t.epochs }),
      ...(t.trainImages !== undefined && { trainImages: t.trainImages }),
      ...(t.testImages !== undefined && { testImages: t.testImages }),
      ...(t.batchSize !== undefined && { batchSize: t.batchSize }),
      ...(t.learningRate !== undefined && { learningRate: t.learningRate }),
      ...(t.augment !== undefined && { augment: t.augment }),
      onProgress: supernetProgressPrinter((line) => process.stderr.write(line), `supernet ${space.id}`),
    });
  },
};
