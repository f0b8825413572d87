import { rmSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../util/rng.ts';
import type { ImageSet } from '../image-set.ts';
import { normalisedBatch, oneHotLabels } from './image-batch.ts';
import { PathSgd } from './path-sgd.ts';
import { samplePaths, type PathSampling } from './path-sampler.ts';
import { readCheckpoint, restoreCheckpoint, writeCheckpoint, type CheckpointState } from './supernet-checkpoint.ts';
import type { SupernetLayout } from './supernet-layout.ts';
import { SupernetWeights } from './supernet-weights.ts';

/**
 * Training of a one-shot supernet: single-path steps (SPOS; FairNAS with `fair` sampling) with SGD
 * and a cosine learning rate, checkpointed atomically every few steps or seconds so that a killed
 * run resumes where its last checkpoint left it — with the same result as an uninterrupted run,
 * since every random draw of a step (batch order, path, augmentation) is forked from the seed and
 * the step number.
 */
export interface SupernetTrainSettings {
  /** Passes over the training images. */
  readonly epochs: number;
  /** Images per SGD step. */
  readonly batchSize: number;
  /** Images per forward/backward pass (gradients summed over a step's micro-batches; bounds memory). */
  readonly microBatchSize: number;
  /**
   * Peak learning rate η₀: a linear warm-up over the first {@link warmupSteps} steps (Goyal et al.
   * 2017, §2.2), then the cosine schedule η₀ · (1 + cos(π t / T)) / 2 over the remaining T steps
   * (Loshchilov & Hutter, ICLR 2017).
   */
  readonly learningRate: number;
  /** Steps of linear warm-up (capped at a quarter of all steps). */
  readonly warmupSteps: number;
  /** Largest global L2 norm of a step's gradient; larger ones are scaled down to it (0 = no clipping; Pascanu et al., ICML 2013). */
  readonly gradientClip: number;
  readonly momentum: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  readonly sampling: PathSampling;
  /** Random crop (4-pixel padding) and horizontal flip of training images. */
  readonly augment: boolean;
  readonly seed: number;
}

/** What training reports while it runs. */
export interface SupernetProgress {
  /** `wait`: another process is training this supernet; this one waits for it. */
  readonly kind: 'wait' | 'start' | 'resume' | 'step' | 'epoch' | 'checkpoint' | 'done';
  /** Steps done. */
  readonly step: number;
  readonly totalSteps: number;
  /** Epochs done (fractional while an epoch runs). */
  readonly epoch: number;
  readonly epochs: number;
  /** Mean training loss of the current (or, for `epoch`, the finished) epoch so far. */
  readonly loss: number;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  /** Seconds left at the speed of this run so far (NaN before the first step). */
  readonly etaSeconds: number;
}

export interface SupernetTrainRun {
  readonly layout: SupernetLayout;
  readonly train: ImageSet;
  readonly settings: SupernetTrainSettings;
  /** Identity of the supernet: a checkpoint with another key is ignored (and overwritten). */
  readonly key: string;
  /** Checkpoint file (resumed from when it exists with the same key). */
  readonly checkpointFile: string;
  /** Write a checkpoint after this many steps since the last one. @defaultValue 200 */
  readonly checkpointSteps?: number;
  /** …or after this many seconds since the last one. @defaultValue 60 */
  readonly checkpointSeconds?: number;
  /** Report a `step` event every this many steps. @defaultValue 20 */
  readonly reportSteps?: number;
  readonly onProgress?: (p: SupernetProgress) => void;
  /** Called after every step (the training lock's heartbeat). */
  readonly heartbeat?: () => void;
  /** Stop (without a final file) after this many steps of this process, e.g. to test resuming. */
  readonly stopAfterSteps?: number;
}

/** A trained supernet with what its training cost. */
export interface TrainedSupernet {
  readonly weights: SupernetWeights;
  readonly stats: SupernetTrainStats;
}

export interface SupernetTrainStats {
  readonly steps: number;
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
  readonly epochLoss: readonly number[];
  /** Steps of this process (the rest came from a checkpoint). */
  readonly stepsThisRun: number;
  /** Step training resumed at (0 for a fresh start). */
  readonly resumedAt: number;
}

function cpuSecondsNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Learning rate of step `step` (0-based) of `total`. */
export function learningRateAt(s: Pick<SupernetTrainSettings, 'learningRate' | 'warmupSteps'>, step: number, total: number): number {
  const warm = Math.min(s.warmupSteps, Math.floor(total / 4));
  if (step < warm) return (s.learningRate * (step + 1)) / (warm + 1);
  return (s.learningRate * (1 + Math.cos((Math.PI * (step - warm)) / (total - warm)))) / 2;
}

/** Steps per epoch: whole batches of the training images. */
export function stepsPerEpoch(trainCount: number, batchSize: number): number {
  return Math.floor(trainCount / batchSize);
}

/**
 * Train (or resume training) a supernet on `run.train`; the caller owns the returned weights
 * (dispose them). Runs on the current tfjs backend (the caller makes it the training backend).
 */
export async function trainSupernet(run: SupernetTrainRun): Promise<TrainedSupernet> {
  const { layout, train, settings: s } = run;
  const perEpoch = stepsPerEpoch(train.count, s.batchSize);
  if (perEpoch < 1) throw new Error(`supernet training needs at least one batch of ${s.batchSize} images, got ${train.count}`);
  const total = perEpoch * s.epochs;
  const channels = layout.space.inputShape[0]!;
  const root = new Rng(s.seed);
  const weights = new SupernetWeights(layout, s.seed);
  const sgd = new PathSgd({ momentum: s.momentum, weightDecay: s.weightDecay, nesterov: s.nesterov });
  const byTfName = new Map(weights.allVariables().map((v) => [v.variable.name, v]));
  let done = 0;
  let priorCpu = 0;
  let priorWall = 0;
  let epochLoss: number[] = [];
  let partial = { sum: 0, steps: 0 };
  try {
    const ck = readCheckpointOrNothing(run.checkpointFile);
    if (ck && ck.header.key === run.key && ck.header.totalSteps === total) {
      restoreCheckpoint(ck, weights, sgd);
      done = ck.header.step;
      priorCpu = ck.header.cpuSeconds;
      priorWall = ck.header.wallSeconds;
      epochLoss = [...ck.header.epochLoss];
      partial = { ...ck.header.partialLoss };
    }
    const resumedAt = done;
    const cpu0 = cpuSecondsNow();
    const wall0 = performance.now();
    const cpuSeconds = (): number => priorCpu + cpuSecondsNow() - cpu0;
    const wallSeconds = (): number => priorWall + (performance.now() - wall0) / 1000;
    const report = (kind: SupernetProgress['kind'], loss: number): void => {
      const ranHere = done - resumedAt;
      const rate = ranHere > 0 ? (performance.now() - wall0) / 1000 / ranHere : NaN;
      run.onProgress?.({ kind, step: done, totalSteps: total, epoch: done / perEpoch, epochs: s.epochs, loss, wallSeconds: wallSeconds(), cpuSeconds: cpuSeconds(), etaSeconds: rate * (total - done) });
    };
    report(resumedAt > 0 ? 'resume' : 'start', partial.steps > 0 ? partial.sum / partial.steps : NaN);
    const state = (): CheckpointState => ({ key: run.key, step: done, totalSteps: total, cpuSeconds: cpuSeconds(), wallSeconds: wallSeconds(), epochLoss, partialLoss: partial });
    let order: number[] = [];
    let orderEpoch = -1;
    let lastCkStep = done;
    let lastCkMs = performance.now();
    const ckSteps = run.checkpointSteps ?? 200;
    const ckMs = (run.checkpointSeconds ?? 60) * 1000;
    const reportSteps = run.reportSteps ?? 20;
    while (done < total) {
      if (run.stopAfterSteps !== undefined && done - resumedAt >= run.stopAfterSteps) break;
      const epoch = Math.floor(done / perEpoch);
      if (epoch !== orderEpoch) {
        order = root.fork(`supernet/epoch${epoch}`).shuffle(Array.from({ length: train.count }, (_, i) => i));
        orderEpoch = epoch;
      }
      const k = done % perEpoch;
      const idx = order.slice(k * s.batchSize, (k + 1) * s.batchSize);
      const stepRng = root.fork(`supernet/step${done}`);
      const paths = samplePaths(layout, s.sampling, stepRng.fork('paths'));
      const lr = learningRateAt(s, done, total);
      const loss = await trainStep(weights, sgd, byTfName, train, idx, paths, channels, s, lr, stepRng);
      done++;
      run.heartbeat?.();
      partial = { sum: partial.sum + loss, steps: partial.steps + 1 };
      const epochDone = done % perEpoch === 0;
      if (epochDone) {
        epochLoss = [...epochLoss, partial.sum / partial.steps];
        partial = { sum: 0, steps: 0 };
        report('epoch', epochLoss[epochLoss.length - 1]!);
      } else if (done % reportSteps === 0) {
        report('step', partial.sum / partial.steps);
      }
      if (done < total && (done - lastCkStep >= ckSteps || performance.now() - lastCkMs >= ckMs)) {
        await writeCheckpoint(run.checkpointFile, state(), weights, sgd);
        lastCkStep = done;
        lastCkMs = performance.now();
        report('checkpoint', partial.steps > 0 ? partial.sum / partial.steps : epochLoss[epochLoss.length - 1] ?? NaN);
      }
    }
    if (done < total) {
      // Stopped early on request: leave a checkpoint to resume from.
      await writeCheckpoint(run.checkpointFile, state(), weights, sgd);
    } else {
      report('done', epochLoss[epochLoss.length - 1] ?? NaN);
    }
    return {
      weights,
      stats: { steps: done, cpuSeconds: cpuSeconds(), wallSeconds: wallSeconds(), epochLoss, stepsThisRun: done - resumedAt, resumedAt },
    };
  } catch (e) {
    weights.dispose();
    throw e;
  } finally {
    sgd.dispose();
  }
}

function readCheckpointOrNothing(file: string): ReturnType<typeof readCheckpoint> {
  try {
    return readCheckpoint(file);
  } catch {
    // Not a whole checkpoint (another format, a foreign file): start over and overwrite it.
    rmSync(file, { force: true });
    return undefined;
  }
}

/**
 * One SGD step: the batch `idx` (augmented with `rng`) through every path of `paths`, gradients of
 * the mean cross-entropy summed over micro-batches and averaged over paths, then one update.
 * Returns the mean loss over paths.
 */
async function trainStep(
  weights: SupernetWeights,
  sgd: PathSgd,
  byTfName: Map<string, ReturnType<SupernetWeights['allVariables']>[number]>,
  train: ImageSet,
  idx: readonly number[],
  paths: readonly (readonly number[])[],
  channels: number,
  s: SupernetTrainSettings,
  lr: number,
  rng: Rng,
): Promise<number> {
  const parts: number[][] = [];
  for (let i = 0; i < idx.length; i += s.microBatchSize) parts.push(idx.slice(i, i + s.microBatchSize));
  // A trailing micro-batch of one image has no batch statistics: merge it into the previous one.
  if (parts.length > 1 && parts[parts.length - 1]!.length < 2) parts[parts.length - 2]!.push(...parts.pop()!);
  const augRng = rng.fork('augment');
  const batches = parts.map((part) => ({
    x: normalisedBatch(train, part, channels, s.augment ? { pad: 4, flip: true, rng: augRng } : undefined),
    y: oneHotLabels(train, part),
    weight: part.length / idx.length / paths.length,
  }));
  const total = new Map<string, tf.Tensor>();
  let loss = 0;
  try {
    for (const path of paths) {
      const vars = weights.pathVariables(path).filter((v) => v.trainable).map((v) => v.variable);
      for (const b of batches) {
        const { value, grads } = tf.variableGrads(() => tf.mul(tf.losses.softmaxCrossEntropy(b.y, weights.forward(path, b.x, true)), b.weight) as tf.Scalar, vars);
        loss += (await value.data())[0]!;
        value.dispose();
        for (const [name, g] of Object.entries(grads)) {
          const prev = total.get(name);
          if (prev) {
            total.set(name, tf.add(prev, g));
            prev.dispose();
            g.dispose();
          } else {
            total.set(name, g);
          }
        }
      }
    }
    const names = [...total.keys()];
    let grads = names.map((n) => total.get(n)!);
    if (s.gradientClip > 0) {
      const norm = Math.sqrt(await tf.tidy(() => tf.addN(grads.map((g) => tf.sum(tf.square(g))))).data().then((v) => v[0]!));
      if (norm > s.gradientClip) {
        const f = s.gradientClip / norm;
        grads = grads.map((g) => tf.mul(g, f));
      }
    }
    try {
      sgd.step(names.map((n) => byTfName.get(n)!), grads, lr);
    } finally {
      for (const g of grads) if (!names.some((n) => total.get(n) === g)) g.dispose();
    }
    return loss;
  } finally {
    for (const t of total.values()) t.dispose();
    for (const b of batches) tf.dispose([b.x, b.y]);
  }
}
