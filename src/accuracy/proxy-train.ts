import * as tf from '@tensorflow/tfjs-core';
import '../runtime/tfjs/tfjs-gradients.ts';
import { InputError } from '../errors.ts';
import type { ModelGraph, Shape } from '../graph/model-graph.ts';
import { buildTfjsModel, type TfjsModel } from '../runtime/tfjs/tfjs-model.ts';
import { useTfjsBackend, type TfjsBackendName } from '../runtime/tfjs/tfjs-backends.ts';
import { Rng } from '../util/rng.ts';
import { siblingModule, WorkerPool } from '../util/worker-pool.ts';
import type { Genotype, SearchSpace } from '../space/search-space.ts';
import type { AccuracyCall, AccuracySource, AccuracySourceFactory } from './accuracy-source.ts';
import { readIdxSplit, VENDORED_FASHION_MNIST_DIR } from './idx-dataset.ts';
import { sampleImages, type ImageSet } from './image-set.ts';
import type { ProxyTrainTask } from './proxy-train-worker.ts';

/**
 * Proxy training: train a candidate briefly on a small image classification set (Fashion-MNIST by
 * default) with TensorFlow.js and report its held-out accuracy — a cheap, honest stand-in for the
 * benchmark accuracy when no table covers the space. It ranks architectures; it is not their
 * CIFAR/ImageNet accuracy.
 *
 * Input adaptation (the network is trained exactly as the space builds it): each 28×28 grey image is
 * zero-padded, centred, to the space's input height × width (bilinear resize instead when the input
 * is smaller than the image) and repeated over the input channels; the loss uses the first
 * `data.classes` logits (a space with fewer classes than the data set is refused). For
 * NAS-Bench-Macro and NAS-Bench-201 (3×32×32, 10 classes) this is a 2-pixel black border and the
 * grey value on R, G and B; the 10-way head is used as is.
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
   * (batch norm uses each micro-batch's statistics). Bounds the memory of a step. @defaultValue 32
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
  /** Folder with the IDX files (`train-*`, `t10k-*`); the full Fashion-MNIST lives there. @defaultValue the vendored 2,000 + 500 image subset */
  dataDir?: string;
}

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

const DEFAULTS = { epochs: 1, trainSize: 2000, testSize: 500, batchSize: 64, microBatchSize: 32, learningRate: 1e-3, seed: 0, backend: 'wasm' as TfjsBackendName };

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v <= 0) throw new InputError('bad-flag', `${name} must be a positive integer`, { path: name, actual: String(v) });
  return v;
}

type Resolved = Required<Omit<ProxyTrainOptions, 'dataDir'>> & { dataDir: string };

function resolve(opts: ProxyTrainOptions): Resolved {
  const r = { ...DEFAULTS, dataDir: VENDORED_FASHION_MNIST_DIR, ...opts };
  for (const k of ['epochs', 'trainSize', 'testSize', 'batchSize', 'microBatchSize'] as const) positiveInt(k, r[k]);
  if (!(r.learningRate > 0)) throw new InputError('bad-flag', 'learningRate must be positive', { path: 'learningRate', actual: String(r.learningRate) });
  return r;
}

const splitCache = new Map<string, ImageSet>();

function split(dir: string, name: 'train' | 't10k'): ImageSet {
  const key = `${dir}\0${name}`;
  let s = splitCache.get(key);
  if (!s) {
    s = readIdxSplit(dir, name);
    splitCache.set(key, s);
  }
  return s;
}

/** The seeded training and held-out draws of `opts` (same seed ⇒ same images). */
export function loadProxyData(opts: ProxyTrainOptions = {}): ProxyData {
  const r = resolve(opts);
  const rng = new Rng(r.seed);
  return {
    train: sampleImages(split(r.dataDir, 'train'), r.trainSize, rng.fork('proxy-train/train')),
    test: sampleImages(split(r.dataDir, 't10k'), r.testSize, rng.fork('proxy-train/test')),
  };
}

/**
 * NHWC batch `[n, H, W, C]` for a graph input `[C, H, W]` from `n` images of `set` (indices
 * `idx`): centred zero padding (or bilinear resize when smaller) and the grey value on every channel.
 */
export function adaptBatch(set: ImageSet, idx: readonly number[], input: Shape): tf.Tensor4D {
  const [c, h, w] = input as [number, number, number];
  const sc = set.channels;
  if (sc !== 1 && sc !== c) throw new InputError('incompatible', `images with ${sc} channels cannot feed a network input of ${c} channels`, { expected: `1 or ${c} channels`, actual: String(sc) });
  const px = set.height * set.width * sc;
  // Image channel of network channel ch: the same one, or the only one of a grey image (repeated).
  const srcChannel = (ch: number): number => (sc === 1 ? 0 : ch);
  if (h >= set.height && w >= set.width) {
    // Padding and channel copies written directly (tfjs-wasm's Tile is slow): image pixel (y, x)
    // goes to (top + y, left + x) on every channel.
    const top = Math.floor((h - set.height) / 2);
    const left = Math.floor((w - set.width) / 2);
    const out = new Float32Array(idx.length * h * w * c);
    idx.forEach((src, i) => {
      for (let y = 0; y < set.height; y++) {
        for (let x = 0; x < set.width; x++) {
          const p = src * px + (y * set.width + x) * sc;
          const o = ((i * h + top + y) * w + left + x) * c;
          for (let ch = 0; ch < c; ch++) out[o + ch] = set.pixels[p + srcChannel(ch)]! / 255;
        }
      }
    });
    return tf.tensor4d(out, [idx.length, h, w, c]);
  }
  const raw = new Float32Array(idx.length * px);
  idx.forEach((src, i) => {
    for (let k = 0; k < px; k++) raw[i * px + k] = set.pixels[src * px + k]! / 255;
  });
  return tf.tidy(() => {
    const x = tf.image.resizeBilinear(tf.tensor4d(raw, [idx.length, set.height, set.width, sc]), [h, w]);
    return c === sc ? x : tf.concat(Array.from({ length: c }, () => x), 3);
  });
}

/** The first `classes` logits of a model output `[n, K]`. */
function firstLogits(y: tf.Tensor, classes: number): tf.Tensor2D {
  const k = y.shape[1]!;
  return (k === classes ? y : tf.slice(y, [0, 0], [y.shape[0]!, classes])) as tf.Tensor2D;
}

function checkGraph(graph: ModelGraph, classes: number): void {
  const out = graph.nodes.find((n) => n.id === graph.output)?.shape ?? [];
  if (out.length !== 1 || out[0]! < classes) {
    throw new InputError('incompatible', `proxy training needs a graph with at least ${classes} logits`, { expected: `output [K ≥ ${classes}]`, actual: `[${out.join(',')}] of ${graph.name}` });
  }
  if (graph.input.length !== 3) throw new InputError('incompatible', 'proxy training needs a [C,H,W] image input', { actual: `[${graph.input.join(',')}]` });
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
export async function proxyTrain(graph: ModelGraph, data: ProxyData, opts: ProxyTrainOptions = {}): Promise<ProxyTrainResult> {
  const r = resolve(opts);
  checkGraph(graph, data.train.classes);
  await useTfjsBackend(r.backend);
  const model = buildTfjsModel(graph, { seed: r.seed });
  const optimizer = tf.train.adam(r.learningRate);
  const rng = new Rng(r.seed).fork(`proxy-train/batches`);
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
      for (let i = 0; i < idx.length; i += r.microBatchSize) parts.push(idx.slice(i, i + r.microBatchSize));
      // A trailing micro-batch of one image has no batch statistics: merge it into the previous one.
      if (parts.length > 1 && parts[parts.length - 1]!.length < 2) parts[parts.length - 2]!.push(...parts.pop()!);
      let total: tf.NamedTensorMap | undefined;
      let loss = 0;
      for (const part of parts) {
        const weight = part.length / idx.length;
        const x = adaptBatch(data.train, part, graph.input);
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
      for (let start = 0; start < order.length; start += r.batchSize) {
        const idx = order.slice(start, start + r.batchSize);
        // Batch statistics need at least two images: a last batch of one is dropped.
        if (idx.length < 2) continue;
        lossSum += await step(idx);
        trainImages += idx.length;
        batches++;
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

/** One line describing a proxy-training setting, for reports. */
export function describeProxyTraining(opts: ProxyTrainOptions = {}): string {
  const r = resolve(opts);
  const data = r.dataDir === VENDORED_FASHION_MNIST_DIR ? 'vendored Fashion-MNIST subset' : `IDX data in ${r.dataDir}`;
  return `proxy training (not benchmark accuracy): ${r.epochs} epoch(s) on ${r.trainSize} images of the ${data}, held-out top-1 on ${r.testSize} test images; Adam lr ${r.learningRate}, batch ${r.batchSize} (micro-batches of ${Math.min(r.microBatchSize, r.batchSize)}), seed ${r.seed}, TF.js ${r.backend}; 28×28 grey images zero-padded to the space's input and repeated over its channels`;
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
}

/** Images per second of a training loop. */
export function trainImagesPerSecond(res: Pick<ProxyTrainResult, 'trainImages' | 'trainMs'>): number {
  return res.trainMs > 0 ? (1000 * res.trainImages) / res.trainMs : 0;
}

/**
 * An accuracy source training each architecture with {@link proxyTrain} in a pool of `jobs` worker
 * threads (started on first use; {@link AccuracySource.close} ends them; an idle pool does not keep
 * the process alive). Metrics: `accuracy` (%), `trainMs` (wall time of the training loop) and
 * `trainImagesPerS` (training images per second).
 */
export function proxyTrainSource(opts: ProxyTrainSourceOptions = {}): AccuracySource {
  const { jobs = 1, ...train } = opts;
  positiveInt('jobs', jobs);
  resolve(train);
  const description = describeProxyTraining(train);
  let pool: WorkerPool<ProxyTrainTask, ProxyTrainResult> | undefined;
  return {
    id: 'proxy-train',
    metric: 'accuracy',
    metricNames: ['accuracy', 'trainMs', 'trainImagesPerS'],
    description,
    alongside: ['trainMs', 'trainImagesPerS'],
    concurrency: jobs,
    fidelity: 'epochs',
    async metrics(space: SearchSpace, g: Genotype, call?: AccuracyCall) {
      const graph = space.build(g);
      pool ??= new WorkerPool<ProxyTrainTask, ProxyTrainResult>({ size: jobs, entry: PROXY_TRAIN_WORKER, name: 'proxy-train' });
      // A multi-fidelity call trains for its own epochs; everything else stays the source's setting.
      const res = await pool.run({ graph, opts: call?.epochs !== undefined ? { ...train, epochs: positiveInt('epochs', call.epochs) } : train });
      return { accuracy: res.accuracy, trainMs: res.trainMs, trainImagesPerS: trainImagesPerSecond(res) };
    },
    async close() {
      const p = pool;
      pool = undefined;
      await p?.close();
    },
  };
}

/** `proxy-train` with the defaults of {@link ProxyTrainOptions} (any space with an image input and ≥ 10 classes). */
export const proxyTrainFactory: AccuracySourceFactory = {
  id: 'proxy-train',
  description: 'train each architecture 1 epoch on 2,000 Fashion-MNIST images (TF.js wasm) and report held-out accuracy on 500',
  create: (space, settings) => {
    if (space.inputShape.length !== 3 || space.classes < 10) {
      throw new InputError('incompatible', `proxy-train needs an image space with at least 10 classes`, { path: '--accuracy', actual: `space ${space.id}: input [${space.inputShape.join(',')}], ${space.classes} classes` });
    }
    return proxyTrainSource({ seed: settings.seed, jobs: settings.jobs });
  },
};

