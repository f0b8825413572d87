import * as tf from '@tensorflow/tfjs-core';
import '../runtime/tfjs/tfjs-gradients.ts';
import { InputError } from '../errors.ts';
import type { ModelGraph, Shape } from '../graph/model-graph.ts';
import { buildTfjsModel, type TfjsModel } from '../runtime/tfjs/tfjs-model.ts';
import { useTfjsBackend, type TfjsBackendName } from '../runtime/tfjs/tfjs-backends.ts';
import { Rng } from '../util/rng.ts';
import { siblingModule, WorkerPool } from '../util/worker-pool.ts';
import type { Genotype, SearchSpace } from '../space/search-space.ts';
import type { AccuracyCall, AccuracySettings, AccuracySource, AccuracySourceFactory } from './accuracy-source.ts';
import { checkImageDataDir, DEFAULT_IMAGE_DATA_DIR, imageSplitCount, imageSplitInfo, sampleImageSplit } from './image-data.ts';
import type { ImageSet } from './image-set.ts';
import { checkImageInput, drawAugmentation, networkInput } from './network-input.ts';
import type { ProxyTrainTask } from './proxy-train-worker.ts';
import { checkTrainingBudget, TRAINING_FIELDS, type BudgetFieldNames, type TrainingBudget, type TrainingProgress } from './training-budget.ts';

/**
 * Proxy training: train a candidate briefly on a small image classification set (CIFAR-10 by
 * default: the vendored subset of 10,000 training and 2,000 test images) with TensorFlow.js and
 * report its held-out accuracy — a cheap, honest stand-in for the benchmark accuracy when no table
 * covers the space. It ranks architectures; it is not their CIFAR/ImageNet accuracy.
 *
 * Input (the network is trained exactly as the space builds it, stem and head included; see
 * network-input.ts): images normalised per channel with the data set's mean and std, optionally
 * augmented (random crop with 4-px padding and flip), and resized bilinearly to the space's input
 * when it differs — CIFAR-10's 32 px to 224 px for the ImageNet spaces (mnasnet, fbnet,
 * proxyless-mobile; ofa-mbv3 to each candidate's own resolution), so every layer sees feature maps of
 * the size it is built for; the loss uses the first `data.classes` logits of the head (1000- or
 * 100-way heads train their first 10 outputs; a space with fewer classes than the data set is
 * refused). For NAS-Bench-Macro and NAS-Bench-201 (3×32×32, 10 classes) the images go in as they are.
 */

export interface ProxyTrainOptions {
  /** Passes over the training images. @defaultValue 1 */
  epochs?: number;
  /** Training images, drawn (seeded) from the training split. @defaultValue 2000 */
  trainSize?: number;
  /** Held-out images, drawn (seeded) from the test split, the same for every architecture of a seed. @defaultValue 500 */
  testSize?: number;
  /** Images per Adam step. @defaultValue 64 */
  batchSize?: number;
  /**
   * Images per forward/backward pass; a batch is split into micro-batches whose gradients are summed
   * (batch norm uses each micro-batch's statistics). Bounds the memory of a step.
   * @defaultValue {@link defaultMicroBatch} of the input: 32 up to 112 px, 8 at 224 px
   */
  microBatchSize?: number;
  /** Adam step size (Kingma & Ba, ICLR 2015). @defaultValue 1e-3 */
  learningRate?: number;
  /** Seed of the weights, the image draws and the batch order. @defaultValue 0 */
  seed?: number;
  /**
   * tfjs backend: `wasm` (XNNPACK, the fastest here), `cpu` (pure JS), `webgpu`, or `tensorflow`
   * (tfjs-node, when installed). @defaultValue 'wasm'
   */
  backend?: TfjsBackendName;
  /**
   * Folder of the image data set (CIFAR-10 binary release or JPEG records, or IDX files such as
   * Fashion-MNIST). @defaultValue the vendored CIFAR-10 subset ({@link DEFAULT_IMAGE_DATA_DIR})
   */
  dataDir?: string;
  /**
   * Random crop with 4-px zero padding and left–right flip of every training image, drawn per epoch
   * from the seed (network-input.ts). @defaultValue false
   */
  augment?: boolean;
}

/** Progress of a training: after every optimiser step (the trainer's caller decides how often to show it). */
export type StepProgress = Omit<TrainingProgress, 'arch'>;

export interface ProxyTrainResult {
  /** Top-1 accuracy on the held-out images, in %. */
  accuracy: number;
  /** Wall time of the training loop (batches, gradients, updates), in ms. */
  trainMs: number;
  /** Images passed through the training loop (epochs × training images, less any dropped last batch of one). */
  trainImages: number;
  /** Wall time of the held-out evaluation, in ms. */
  evalMs: number;
  /** Mean training loss of the last epoch. */
  finalLoss: number;
  backend: TfjsBackendName;
}

/** Training and held-out images for proxy training. */
export interface ProxyData {
  train: ImageSet;
  test: ImageSet;
}

const DEFAULTS = { epochs: 1, trainSize: 2000, testSize: 500, batchSize: 64, learningRate: 1e-3, seed: 0, backend: 'wasm' as TfjsBackendName, augment: false };

/**
 * Micro-batch of a network input `[C, H, W]` when none is given: 32 images up to 112 px, fewer above
 * (memory grows with the pixels): 8 at 224 px, where 32 overflow tfjs-wasm's 4 GiB heap on FBNet.
 */
export function defaultMicroBatch(input: readonly number[]): number {
  const side = Math.max(input[1] ?? 1, input[2] ?? 1);
  return Math.min(32, Math.max(2, Math.floor(32 * (112 / side) ** 2)));
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v <= 0) throw new InputError('bad-flag', `${name} must be a positive integer`, { path: name, actual: String(v) });
  return v;
}

type Resolved = Required<Omit<ProxyTrainOptions, 'dataDir' | 'microBatchSize'>> & { dataDir: string; microBatchSize?: number };

function resolve(opts: ProxyTrainOptions): Resolved {
  const r = { ...DEFAULTS, dataDir: DEFAULT_IMAGE_DATA_DIR, ...opts };
  for (const k of ['epochs', 'trainSize', 'testSize', 'batchSize'] as const) positiveInt(k, r[k]);
  if (r.microBatchSize !== undefined) positiveInt('microBatchSize', r.microBatchSize);
  if (!(r.learningRate > 0)) throw new InputError('bad-flag', 'learningRate must be positive', { path: 'learningRate', actual: String(r.learningRate) });
  return r;
}

/** Error names of the options that come from a {@link TrainingBudget} and the data folder. */
interface DataNames {
  data: string;
  training: BudgetFieldNames;
}

const LIBRARY_NAMES: DataNames = { data: 'data', training: TRAINING_FIELDS };

/** The seeded training and held-out draws of `opts` (same seed ⇒ same images). */
export function loadProxyData(opts: ProxyTrainOptions = {}, names: DataNames = LIBRARY_NAMES): ProxyData {
  const r = resolve(opts);
  const rng = new Rng(r.seed);
  // The held-out images are read when first used (after training): the first step comes sooner.
  let test: ImageSet | undefined;
  return {
    train: sampleImageSplit(r.dataDir, 'train', r.trainSize, rng.fork('proxy-train/train'), { data: names.data, count: names.training.trainImages }),
    get test() {
      test ??= sampleImageSplit(r.dataDir, 'test', r.testSize, rng.fork('proxy-train/test'), { data: names.data, count: names.training.testImages });
      return test;
    },
  };
}

/**
 * Check, without decoding images, that the data folder of `opts` holds a known data set with at
 * least the training and held-out images asked: an {@link InputError} naming the flag or field.
 */
export function checkProxyData(opts: ProxyTrainOptions, names: DataNames = LIBRARY_NAMES): void {
  const r = resolve(opts);
  checkImageDataDir(r.dataDir, names.data);
  for (const [split, n, name, what] of [['train', r.trainSize, names.training.trainImages, 'training'], ['test', r.testSize, names.training.testImages, 'held-out']] as const) {
    const count = imageSplitCount(r.dataDir, split, names.data);
    if (n > count) throw new InputError('bad-flag', `${n} ${what} images asked, the ${split} split of ${r.dataDir} has ${count}`, { path: name, expected: `at most ${count} (or a larger data set with ${names.data})`, actual: String(n) });
  }
}

/**
 * NHWC batch `[n, H, W, C]` for a graph input `[C, H, W]` from images `idx` of `set`: normalised,
 * resized to the input and optionally augmented as network-input.ts describes.
 */
export function adaptBatch(set: ImageSet, idx: readonly number[], input: Shape, augment?: Rng): tf.Tensor4D {
  const [c, h, w] = input as [number, number, number];
  return tf.tensor4d(networkInput(set, idx, input, augment && drawAugmentation(idx.length, augment)), [idx.length, h, w, c]);
}

/** The first `classes` logits of a model output `[n, K]`. */
function firstLogits(y: tf.Tensor, classes: number): tf.Tensor2D {
  const k = y.shape[1]!;
  return (k === classes ? y : tf.slice(y, [0, 0], [y.shape[0]!, classes])) as tf.Tensor2D;
}

function checkGraph(graph: ModelGraph, data: ImageSet): void {
  const classes = data.classes;
  const out = graph.nodes.find((n) => n.id === graph.output)?.shape ?? [];
  if (out.length !== 1 || out[0]! < classes) {
    throw new InputError('incompatible', `proxy training needs a graph with at least ${classes} logits`, { expected: `output [K ≥ ${classes}]`, actual: `[${out.join(',')}] of ${graph.name}` });
  }
  if (graph.input.length !== 3) throw new InputError('incompatible', 'proxy training needs a [C,H,W] image input', { actual: `[${graph.input.join(',')}]` });
  checkImageInput(data, graph.input);
}

async function accuracyOf(model: TfjsModel, set: ImageSet, graph: ModelGraph, batchSize: number): Promise<number> {
  let correct = 0;
  for (let start = 0; start < set.count; start += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, set.count - start) }, (_, i) => start + i);
    const pred = tf.tidy(() => {
      const x = adaptBatch(set, idx, graph.input);
      return tf.argMax(firstLogits(model.forward(x, { training: false }), set.classes), 1);
    });
    const p = await pred.data();
    pred.dispose();
    idx.forEach((src, i) => {
      if (p[i] === set.labels[src]) correct++;
    });
  }
  return (100 * correct) / set.count;
}

/**
 * Train `graph` from its seeded He-normal initialisation on `data.train` with Adam and softmax
 * cross-entropy (batch norm in training mode), then measure top-1 accuracy on `data.test` with
 * batch norm's running statistics. Deterministic for a seed on the cpu and wasm backends.
 */
export async function proxyTrain(graph: ModelGraph, data: ProxyData, opts: ProxyTrainOptions = {}, onStep?: (p: StepProgress) => void): Promise<ProxyTrainResult> {
  const r = resolve(opts);
  checkGraph(graph, data.train);
  await useTfjsBackend(r.backend);
  const model = buildTfjsModel(graph, { seed: r.seed });
  const optimizer = tf.train.adam(r.learningRate);
  const rng = new Rng(r.seed).fork(`proxy-train/batches`);
  const micro = r.microBatchSize ?? defaultMicroBatch(graph.input);
  // Its own stream: turning augmentation on changes the images, never the batch order.
  const augmentRng = r.augment ? new Rng(r.seed).fork('proxy-train/augment') : undefined;
  const classes = data.train.classes;
  let finalLoss = NaN;
  try {
    const variables = model.trainableVariables();
    /**
     * One Adam step on a batch: gradients of the mean loss, accumulated over micro-batches of at most
     * `microBatchSize` images (batch norm normalises each micro-batch with its own statistics, "ghost
     * batch norm", Hoffer et al., NeurIPS 2017), so a large batch fits the wasm heap. Returns the loss.
     */
    const step = async (idx: readonly number[]): Promise<number> => {
      const parts: number[][] = [];
      for (let i = 0; i < idx.length; i += micro) parts.push(idx.slice(i, i + micro));
      // A trailing micro-batch of one image has no batch statistics: merge it into the previous one.
      if (parts.length > 1 && parts[parts.length - 1]!.length < 2) parts[parts.length - 2]!.push(...parts.pop()!);
      let total: tf.NamedTensorMap | undefined;
      let loss = 0;
      for (const part of parts) {
        const weight = part.length / idx.length;
        const x = adaptBatch(data.train, part, graph.input, augmentRng);
        const labels = tf.tidy(() => tf.oneHot(tf.tensor1d(part.map((i) => data.train.labels[i]!), 'int32'), classes));
        const { value, grads } = tf.variableGrads(
          () => tf.mul(tf.losses.softmaxCrossEntropy(labels, firstLogits(model.forward(x, { training: true }), classes)), weight) as tf.Scalar,
          variables,
        );
        x.dispose();
        labels.dispose();
        loss += (await value.data())[0]!;
        value.dispose();
        if (!total) total = grads;
        else {
          const prev: tf.NamedTensorMap = total;
          total = Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.tidy(() => tf.add(prev[k]!, g))]));
          for (const t of [...Object.values(prev), ...Object.values(grads)]) t.dispose();
        }
      }
      if (total) {
        optimizer.applyGradients(Object.entries(total).map(([name, tensor]) => ({ name, tensor })));
        for (const t of Object.values(total)) t.dispose();
      }
      return loss;
    };
    let trainImages = 0;
    const t0 = performance.now();
    for (let epoch = 0; epoch < r.epochs; epoch++) {
      const order = rng.shuffle(Array.from({ length: data.train.count }, (_, i) => i));
      let lossSum = 0;
      let batches = 0;
      // Batch statistics need at least two images: a last batch of one is dropped.
      const steps = Math.floor(order.length / r.batchSize) + (order.length % r.batchSize >= 2 ? 1 : 0);
      // Step 0: data read and network built, training starts (the first step also warms up).
      if (epoch === 0) onStep?.({ epoch: 1, epochs: r.epochs, step: 0, steps, loss: NaN, trainMs: 0 });
      for (let start = 0; start < order.length; start += r.batchSize) {
        const idx = order.slice(start, start + r.batchSize);
        if (idx.length < 2) continue;
        lossSum += await step(idx);
        trainImages += idx.length;
        batches++;
        onStep?.({ epoch: epoch + 1, epochs: r.epochs, step: batches, steps, loss: lossSum / batches, trainMs: performance.now() - t0 });
      }
      finalLoss = lossSum / Math.max(1, batches);
    }
    const trainMs = performance.now() - t0;
    const t1 = performance.now();
    const accuracy = await accuracyOf(model, data.test, graph, Math.max(r.batchSize, 100));
    return { accuracy, trainMs, trainImages, evalMs: performance.now() - t1, finalLoss, backend: r.backend };
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

/**
 * One line describing a proxy-training setting, for reports: the data as its reader names it
 * (`CIFAR-10 (JPEG re-encoding), vendored subset: 10,000 training images`), the budget, the input.
 * `data` is the training split's description when known (else the folder is named).
 */
export function describeProxyTraining(opts: ProxyTrainOptions = {}, data?: string): string {
  const r = resolve(opts);
  const from = data ?? (r.dataDir === DEFAULT_IMAGE_DATA_DIR ? 'CIFAR-10 (JPEG re-encoding), vendored subset: 10,000 training images' : `the data set in ${r.dataDir}`);
  return `proxy training (not benchmark accuracy): ${r.epochs} epoch(s) on ${r.trainSize} images drawn from ${from}${r.augment ? ', augmented (random crop with 4-px padding, horizontal flip)' : ''}; held-out top-1 on ${r.testSize} test images; Adam lr ${r.learningRate}, batch ${r.batchSize} (micro-batches of ${r.microBatchSize !== undefined ? Math.min(r.microBatchSize, r.batchSize) : `${Math.min(32, r.batchSize)}, 8 at 224 px`}), seed ${r.seed}, TF.js ${r.backend}; images normalised per channel and resized bilinearly to the space's input (network, stem and head as built; loss on the first 10 logits)`;
}

/** Proxy-training options from the shared accuracy settings (seed, data folder, training budget). */
export function proxyTrainOptions(settings: Pick<AccuracySettings, 'seed' | 'data' | 'training'>): ProxyTrainOptions {
  const t: TrainingBudget = settings.training ?? {};
  return {
    seed: settings.seed,
    ...(settings.data !== undefined && { dataDir: settings.data }),
    ...(t.epochs !== undefined && { epochs: t.epochs }),
    ...(t.trainImages !== undefined && { trainSize: t.trainImages }),
    ...(t.testImages !== undefined && { testSize: t.testImages }),
    ...(t.batchSize !== undefined && { batchSize: t.batchSize }),
    ...(t.learningRate !== undefined && { learningRate: t.learningRate }),
    ...(t.augment !== undefined && { augment: t.augment }),
  };
}

/** The worker-thread entry of proxy training (`./proxy-train-worker.ts`, or `.js` when compiled). */
export const PROXY_TRAIN_WORKER = siblingModule('proxy-train-worker', import.meta.url);

/** Options of the `proxy-train` accuracy source: the training setting and how many candidates train at once. */
export interface ProxyTrainSourceOptions extends ProxyTrainOptions {
  /**
   * Worker threads, each training one candidate at a time on its own TensorFlow.js backend (one
   * core each: tfjs-wasm is single-threaded in Node.js). A candidate's result depends only on the
   * seed, its graph and the options, never on the worker or the job count. @defaultValue 1
   */
  jobs?: number;
  /** Called after each epoch of each candidate, with its arch string. @defaultValue none */
  onProgress?: AccuracySettings['onTrainingProgress'];
}

/** Images per second of a training loop. */
export function trainImagesPerSecond(res: Pick<ProxyTrainResult, 'trainImages' | 'trainMs'>): number {
  return res.trainMs > 0 ? (1000 * res.trainImages) / res.trainMs : 0;
}

/** The metrics proxy training reports, the searched one first. */
export const PROXY_TRAIN_METRICS = ['accuracy', 'trainMs', 'trainImages', 'trainImagesPerS'] as const;

/**
 * An accuracy source training each architecture with {@link proxyTrain} in a pool of `jobs` worker
 * threads (started on first use; {@link AccuracySource.close} ends them; an idle pool does not keep
 * the process alive). Metrics: `accuracy` (%), `trainMs` (wall time of the training loop),
 * `trainImages` (images passed through it) and `trainImagesPerS` (training images per second).
 */
export function proxyTrainSource(opts: ProxyTrainSourceOptions = {}): AccuracySource {
  const { jobs = 1, onProgress, ...train } = opts;
  positiveInt('jobs', jobs);
  const r = resolve(train);
  const description = describeProxyTraining(train, imageSplitInfo(r.dataDir, 'train', 'data').description);
  let pool: WorkerPool<ProxyTrainTask, ProxyTrainResult, StepProgress> | undefined;
  return {
    id: 'proxy-train',
    metric: 'accuracy',
    metricNames: [...PROXY_TRAIN_METRICS],
    description,
    alongside: ['trainMs', 'trainImages', 'trainImagesPerS'],
    concurrency: jobs,
    fidelity: 'epochs',
    async metrics(space: SearchSpace, g: Genotype, call?: AccuracyCall) {
      const graph = space.build(g);
      const arch = space.encode(g);
      pool ??= new WorkerPool<ProxyTrainTask, ProxyTrainResult, StepProgress>({ size: jobs, entry: PROXY_TRAIN_WORKER, name: 'proxy-train' });
      // A multi-fidelity call trains for its own epochs; everything else stays the source's setting.
      const opts = call?.epochs !== undefined ? { ...train, epochs: positiveInt('epochs', call.epochs) } : train;
      const res = await pool.run({ graph, opts }, onProgress && ((p) => onProgress({ arch, ...p })));
      return { accuracy: res.accuracy, trainMs: res.trainMs, trainImages: res.trainImages, trainImagesPerS: trainImagesPerSecond(res) };
    },
    async close() {
      const p = pool;
      pool = undefined;
      await p?.close();
    },
  };
}

/**
 * `proxy-train` from the shared accuracy settings: seed, data folder (`data`, checked here without
 * decoding: an {@link InputError} names the field), training budget (`training`), jobs and progress.
 * Any space with an image input and ≥ 10 classes.
 */
export const proxyTrainFactory: AccuracySourceFactory = {
  id: 'proxy-train',
  description: 'train each architecture 1 epoch on 2,000 CIFAR-10 images (vendored subset; TF.js wasm) and report held-out accuracy on 500 (--data, --train-epochs, --train-images…)',
  create: (space, settings) => {
    if (space.inputShape.length !== 3 || space.classes < 10) {
      throw new InputError('incompatible', `proxy-train needs an image space with at least 10 classes`, { path: '--accuracy', actual: `space ${space.id}: input [${space.inputShape.join(',')}], ${space.classes} classes` });
    }
    if (settings.training) checkTrainingBudget(settings.training);
    const opts = proxyTrainOptions(settings);
    checkProxyData(opts);
    return proxyTrainSource({ ...opts, jobs: settings.jobs, ...(settings.onTrainingProgress && { onProgress: settings.onTrainingProgress }) });
  },
};
