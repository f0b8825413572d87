import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { InputError } from '../../errors.ts';
import { useTrainingBackend, type TrainingBackend } from '../../runtime/tfjs/tfjs-backends.ts';
import type { Genotype, SearchSpace } from '../../space/search-space.ts';
import { spaceContentHash } from '../../space/space-registry.ts';
import { writeFileAtomic } from '../../util/atomic-write.ts';
import { contentHash } from '../../util/content-hash.ts';
import { Rng } from '../../util/rng.ts';
import { imageSplitCount, readImageSplit, sampleImageSplit } from '../image-data.ts';
import { firstImages, type ImageSet } from '../image-set.ts';
import { normalisedBatch } from './image-batch.ts';
import { readCheckpoint, restoreCheckpoint, writeCheckpoint } from './supernet-checkpoint.ts';
import { trainedSpace, supernetLayout, type SupernetLayout } from './supernet-layout.ts';
import { pathScore, recalibrateBatchNorm, type PathScore } from './supernet-score.ts';
import { resolveSupernetOptions, type ResolvedSupernetOptions, type SupernetOptions } from './supernet-settings.ts';
import { trainSupernet, type SupernetTrainSettings, type SupernetTrainStats } from './supernet-train.ts';
import { SupernetWeights } from './supernet-weights.ts';
import { tryTrainingLock, type TrainingLock } from './training-lock.ts';

/**
 * A one-shot supernet for a space: trained once per space × data × training settings (or loaded from
 * the cache folder, where a killed training resumes from its checkpoint), then scoring any
 * architecture of the space with its inherited weights ({@link OneShotSupernet.score}).
 *
 * Cache layout: `<cacheDir>/<key>/supernet.bin` (the trained weights), `meta.json` (settings, data,
 * cost; for people), `checkpoint.bin` while training runs. The key is a SHA-256 of the format, the
 * space's content hash (and the resolution it is trained at), the training images' bytes and labels,
 * every training setting and the tfjs backend.
 */

/** What training cost and whether it came from the cache. */
export interface SupernetInfo {
  readonly key: string;
  readonly dir: string;
  /** Loaded from the cache (trained by an earlier run); `false` when trained (or finished) here. */
  readonly cached: boolean;
  readonly steps: number;
  /** CPU seconds of the whole training (all threads, across resumes). */
  readonly trainCpuSeconds: number;
  readonly trainWallSeconds: number;
  readonly epochLoss: readonly number[];
  /** Step a resumed training continued from (0 when it started fresh or came from the cache). */
  readonly resumedAt: number;
  readonly parameterCount: number;
  readonly backend: TrainingBackend;
  /** Input `[C,H,W]` the supernet was trained at. */
  readonly trainedInput: readonly number[];
}

const FORMAT = 'hwnas-supernet-1';

/** How often a process waiting for another one's training looks again. */
const LOCK_POLL_MS = 2000;

function dataHash(set: ImageSet): string {
  return createHash('sha256').update(set.pixels).update(set.labels).update(JSON.stringify([set.count, set.height, set.width, set.channels, set.classes])).digest('hex');
}

function trainSettings(r: ResolvedSupernetOptions): SupernetTrainSettings {
  return {
    epochs: r.epochs, batchSize: r.batchSize, microBatchSize: r.microBatchSize, learningRate: r.learningRate, warmupSteps: r.warmupSteps, gradientClip: r.gradientClip,
    momentum: r.momentum, weightDecay: r.weightDecay, nesterov: r.nesterov, sampling: r.sampling, augment: r.augment, seed: r.seed,
  };
}

/** The images a supernet of these options trains on (the split, or a seeded draw from it). */
export function supernetTrainImages(r: ResolvedSupernetOptions): ImageSet {
  const count = imageSplitCount(r.dataDir, 'train', 'dataDir');
  if (r.trainImages >= count) return readImageSplit(r.dataDir, 'train', 'dataDir');
  return sampleImageSplit(r.dataDir, 'train', r.trainImages, new Rng(r.seed).fork('supernet/train-images'), { data: 'dataDir', count: 'trainImages' });
}

/** Cache key of the supernet `space` × options × training images × backend. */
export function supernetKey(space: SearchSpace, trained: SearchSpace, r: ResolvedSupernetOptions, train: ImageSet, backend: TrainingBackend): string {
  return contentHash({
    format: FORMAT,
    space: spaceContentHash(space),
    trainedInput: trained.inputShape,
    trainedClasses: trained.classes,
    widthMultiplier: r.widthMultiplier,
    data: dataHash(train),
    settings: trainSettings(r),
    backend,
  });
}

export class OneShotSupernet {
  private constructor(
    readonly space: SearchSpace,
    readonly layout: SupernetLayout,
    private readonly weights: SupernetWeights,
    readonly options: ResolvedSupernetOptions,
    readonly info: SupernetInfo,
    private readonly bnBatches: tf.Tensor4D[],
    private readonly testX: tf.Tensor4D[],
    private readonly testLabels: Uint8Array[],
  ) {}

  /**
   * The supernet of `space` for `options`: loaded from the cache when trained before, else trained
   * (resuming a checkpoint of the same key). An unserved space is an `incompatible` {@link InputError}.
   */
  static async open(space: SearchSpace, options: SupernetOptions = {}): Promise<OneShotSupernet> {
    const r = resolveSupernetOptions(options);
    const train = supernetTrainImages(r);
    const test = readImageSplit(r.dataDir, 'test', 'dataDir');
    if (train.height !== train.width) throw new InputError('incompatible', 'the supernet needs square images', { path: 'dataDir', actual: `${train.height}×${train.width}` });
    const trained = trainedSpace(space, { side: train.height, classes: train.classes, widthMultiplier: r.widthMultiplier });
    const layout = supernetLayout(trained);
    const backend = await useTrainingBackend();
    const key = supernetKey(space, trained, r, train, backend);
    const dir = join(r.cacheDir, key);
    const finalFile = join(dir, 'supernet.bin');
    const checkpointFile = join(dir, 'checkpoint.bin');
    const base = { key, dir, backend, trainedInput: trained.inputShape };
    let loaded = readFinal(finalFile, key);
    let lock: TrainingLock | undefined;
    // Another process (or worker) training this supernet: wait for it rather than train it twice.
    for (let waited = false; !loaded && !(lock = tryTrainingLock(dir)); waited = true) {
      if (!waited) r.onProgress?.({ kind: 'wait', step: 0, totalSteps: 0, epoch: 0, epochs: r.epochs, loss: NaN, wallSeconds: 0, cpuSeconds: 0, etaSeconds: NaN });
      await new Promise((res) => setTimeout(res, LOCK_POLL_MS));
      loaded = readFinal(finalFile, key);
    }
    let weights: SupernetWeights;
    let info: SupernetInfo;
    try {
      // The holder may have finished while this process waited for the lock.
      loaded ??= readFinal(finalFile, key);
      if (loaded) {
        weights = new SupernetWeights(layout, r.seed);
        restoreCheckpoint(loaded, weights);
        const h = loaded.header;
        info = { ...base, cached: true, steps: h.step, trainCpuSeconds: h.cpuSeconds, trainWallSeconds: h.wallSeconds, epochLoss: h.epochLoss, resumedAt: 0, parameterCount: weights.parameterCount };
      } else {
        const t = await trainSupernet({
          layout, train, settings: trainSettings(r), key, checkpointFile,
          checkpointSteps: r.checkpointSteps, checkpointSeconds: r.checkpointSeconds,
          ...(r.onProgress && { onProgress: r.onProgress }),
          ...(lock && { heartbeat: () => lock!.touch() }),
        });
        weights = t.weights;
        const st: SupernetTrainStats = t.stats;
        await writeCheckpoint(finalFile, { key, step: st.steps, totalSteps: st.steps, cpuSeconds: st.cpuSeconds, wallSeconds: st.wallSeconds, epochLoss: st.epochLoss, partialLoss: { sum: 0, steps: 0 } }, weights);
        writeFileAtomic(join(dir, 'meta.json'), `${JSON.stringify({
          key, format: FORMAT, space: space.id, spaceHash: spaceContentHash(space), trainedInput: trained.inputShape, trainedClasses: trained.classes,
          data: { dir: r.dataDir, description: train.description, images: train.count }, settings: trainSettings(r), widthMultiplier: r.widthMultiplier, backend,
          steps: st.steps, trainCpuSeconds: st.cpuSeconds, trainWallSeconds: st.wallSeconds, epochLoss: st.epochLoss, parameterCount: weights.parameterCount,
        }, null, 2)}\n`);
        rmSync(checkpointFile, { force: true });
        info = { ...base, cached: false, steps: st.steps, trainCpuSeconds: st.cpuSeconds, trainWallSeconds: st.wallSeconds, epochLoss: st.epochLoss, resumedAt: st.resumedAt, parameterCount: weights.parameterCount };
      }
    } finally {
      lock?.release();
    }
    return OneShotSupernet.withScoringData(space, layout, weights, r, info, train, test);
  }

  /**
   * A supernet from a weights file (`supernet.bin` of a cache entry, or a copy of one) whatever its
   * key, trained at the data's resolution with `options`' width: for tools that score a supernet
   * trained elsewhere. Throws when the file does not hold this layout's tensors.
   */
  static async load(space: SearchSpace, file: string, options: SupernetOptions = {}): Promise<OneShotSupernet> {
    const r = resolveSupernetOptions(options);
    const train = supernetTrainImages(r);
    const test = readImageSplit(r.dataDir, 'test', 'dataDir');
    const trained = trainedSpace(space, { side: train.height, classes: train.classes, widthMultiplier: r.widthMultiplier });
    const layout = supernetLayout(trained);
    const backend = await useTrainingBackend();
    const ck = readCheckpoint(file);
    if (!ck) throw new InputError('io', 'no such supernet file', { file });
    const weights = new SupernetWeights(layout, r.seed);
    restoreCheckpoint(ck, weights);
    const h = ck.header;
    const info: SupernetInfo = {
      key: h.key, dir: file, backend, trainedInput: trained.inputShape, cached: true, steps: h.step, trainCpuSeconds: h.cpuSeconds,
      trainWallSeconds: h.wallSeconds, epochLoss: h.epochLoss, resumedAt: 0, parameterCount: weights.parameterCount,
    };
    return OneShotSupernet.withScoringData(space, layout, weights, r, info, train, test);
  }

  /**
   * Scoring data, the same for every architecture: `bnBatches` batches drawn (seeded) from the
   * supernet's training images for batch norm, the first `testImages` held-out images.
   */
  private static withScoringData(space: SearchSpace, layout: SupernetLayout, weights: SupernetWeights, r: ResolvedSupernetOptions, info: SupernetInfo, split: ImageSet, test: ImageSet): OneShotSupernet {
    const channels = layout.space.inputShape[0]!;
    const bnRng = new Rng(r.seed).fork('supernet/bn-batches');
    const bnBatches = Array.from({ length: r.bnBatches }, () => normalisedBatch(split, Array.from({ length: r.batchSize }, () => bnRng.int(split.count)), channels));
    const held = firstImages(test, r.testImages);
    const testX: tf.Tensor4D[] = [];
    const testLabels: Uint8Array[] = [];
    const chunk = 250;
    for (let i = 0; i < held.count; i += chunk) {
      const idx = Array.from({ length: Math.min(chunk, held.count - i) }, (_, k) => i + k);
      testX.push(normalisedBatch(held, idx, channels));
      testLabels.push(held.labels.slice(i, i + idx.length));
    }
    return new OneShotSupernet(space, layout, weights, r, info, bnBatches, testX, testLabels);
  }

  /**
   * Accuracy (%) of architecture `g` of the space with the supernet's weights: batch-norm statistics
   * re-estimated on the fixed training batches, top-1 on the held-out images. Deterministic.
   */
  async score(g: Genotype): Promise<number> {
    return (await this.scoreWithLoss(g)).accuracy;
  }

  /** {@link OneShotSupernet.score} with the mean held-out cross-entropy beside the accuracy. */
  async scoreWithLoss(g: Genotype): Promise<PathScore> {
    const path = this.weights.pathOf(g);
    await useTrainingBackend();
    await recalibrateBatchNorm(this.weights, path, this.bnBatches);
    return pathScore(this.weights, path, this.testX, this.testLabels, this.layout.space.classes);
  }

  /** The shared weights (tests, tools). */
  get sharedWeights(): SupernetWeights {
    return this.weights;
  }

  dispose(): void {
    this.weights.dispose();
    tf.dispose([...this.bnBatches, ...this.testX]);
  }
}

function readFinal(file: string, key: string): ReturnType<typeof readCheckpoint> {
  if (!existsSync(file)) return undefined;
  try {
    const ck = readCheckpoint(file);
    return ck && ck.header.key === key && ck.header.step === ck.header.totalSteps ? ck : undefined;
  } catch {
    return undefined;
  }
}
