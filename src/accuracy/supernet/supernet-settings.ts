import { homedir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../errors.ts';
import { DEFAULT_IMAGE_DATA_DIR } from '../image-data.ts';
import { PATH_SAMPLINGS, type PathSampling } from './path-sampler.ts';
import type { SupernetProgress } from './supernet-train.ts';

/**
 * Settings of the `supernet` accuracy source. Those that shape the trained weights (data, images,
 * epochs, optimiser, sampling, augmentation, seed) are part of the supernet's cache key; those of
 * scoring (batch-norm batches, held-out images) and of bookkeeping (cache folder, checkpoints) are
 * not, so changing them reuses a trained supernet.
 */
export interface SupernetOptions {
  /** Image data folder (CIFAR-10 binary or JPEG records, IDX). @defaultValue the vendored CIFAR-10 subset (10,000 + 2,000 images) */
  dataDir?: string;
  /** Training images, a seeded draw from the training split (all of it when smaller). @defaultValue 10000 */
  trainImages?: number;
  /**
   * Channel multiplier of the trained supernet (chain spaces): every stem, stage and head width
   * times this, rounded to a multiple of 8. Below 1 it trains faster per image; the searched
   * architectures keep their real widths. @defaultValue 0.5
   */
  widthMultiplier?: number;
  /** Passes over the training images. @defaultValue 12 */
  epochs?: number;
  /** Images per SGD step. @defaultValue 64 */
  batchSize?: number;
  /** Images per forward/backward pass within a step (memory bound). @defaultValue 64 */
  microBatchSize?: number;
  /** Peak learning rate of the cosine schedule. @defaultValue 0.05 */
  learningRate?: number;
  /** Steps of linear learning-rate warm-up before the cosine decay (at most a quarter of all steps). @defaultValue 100 */
  warmupSteps?: number;
  /** Largest global L2 norm of a step's gradient (0 = no clipping). @defaultValue 5 */
  gradientClip?: number;
  /** SGD momentum (Nesterov). @defaultValue 0.9 */
  momentum?: number;
  /** Nesterov momentum. @defaultValue true */
  nesterov?: boolean;
  /** L2 weight decay of conv and linear weights. @defaultValue 5e-4 */
  weightDecay?: number;
  /** `uniform` (SPOS) or `fair` (FairNAS strict fairness). @defaultValue 'uniform' */
  sampling?: PathSampling;
  /** Random crop and flip of training images. @defaultValue true */
  augment?: boolean;
  /** Seed of the weights, image draws, batch order, paths and augmentation. @defaultValue 0 */
  seed?: number;
  /** Training batches (of `batchSize` images, the same for every architecture) over which batch-norm statistics are re-estimated before scoring. @defaultValue 10 */
  bnBatches?: number;
  /** Held-out images scored per architecture: the first ones of the test split (all of it when smaller). @defaultValue 2000 */
  testImages?: number;
  /**
   * What the source searches on: `logLikelihood`, the mean log-probability the path gives the true
   * class of the held-out images (minus their cross-entropy, in nats; higher is better), or
   * `accuracy`, their top-1 accuracy in %. Both are reported; the log-likelihood ranks better
   * (docs/supernet.md: it does not round each image to right or wrong). @defaultValue 'logLikelihood'
   */
  score?: SupernetScore;
  /** Folder of trained supernets and their checkpoints. @defaultValue `$HWNAS_SUPERNET_CACHE`, else `$XDG_CACHE_HOME/hwnas/supernets`, else `~/.cache/hwnas/supernets` */
  cacheDir?: string;
  /** Checkpoint after this many steps… @defaultValue 200 */
  checkpointSteps?: number;
  /** …or this many seconds since the last checkpoint. @defaultValue 60 */
  checkpointSeconds?: number;
  /** Training progress (every 20 steps, every epoch, every checkpoint). @defaultValue none */
  onProgress?: (p: SupernetProgress) => void;
}

/** The searched metric of the `supernet` source. */
export type SupernetScore = 'logLikelihood' | 'accuracy';

/** Names of {@link SupernetScore}. */
export const SUPERNET_SCORES: readonly SupernetScore[] = ['logLikelihood', 'accuracy'];

export type ResolvedSupernetOptions = Required<Omit<SupernetOptions, 'onProgress'>> & Pick<SupernetOptions, 'onProgress'>;

/**
 * The default cache folder: `$HWNAS_SUPERNET_CACHE` when set, else `$XDG_CACHE_HOME/hwnas/supernets`,
 * else `~/.cache/hwnas/supernets`.
 */
export function defaultSupernetCacheDir(): string {
  const own = process.env['HWNAS_SUPERNET_CACHE'];
  if (own) return own;
  const xdg = process.env['XDG_CACHE_HOME'];
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.cache'), 'hwnas', 'supernets');
}

export const SUPERNET_DEFAULTS = {
  trainImages: 10000,
  widthMultiplier: 0.5,
  epochs: 12,
  batchSize: 64,
  microBatchSize: 64,
  learningRate: 0.05,
  warmupSteps: 100,
  gradientClip: 5,
  momentum: 0.9,
  weightDecay: 5e-4,
  nesterov: true,
  sampling: 'uniform' as PathSampling,
  augment: true,
  seed: 0,
  bnBatches: 10,
  testImages: 2000,
  score: 'logLikelihood' as SupernetScore,
  checkpointSteps: 200,
  checkpointSeconds: 60,
} as const;

function int(name: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min) throw new InputError('bad-flag', `supernet ${name} must be an integer ≥ ${min}`, { path: name, actual: String(v) });
  return v;
}

function num(name: string, v: number, min: number, inclusive: boolean): number {
  if (!Number.isFinite(v) || v < min || (!inclusive && v === min)) throw new InputError('bad-flag', `supernet ${name} must be a number ${inclusive ? '≥' : '>'} ${min}`, { path: name, actual: String(v) });
  return v;
}

/** Options with defaults filled in and checked; a bad value is an {@link InputError} naming the field. */
export function resolveSupernetOptions(o: SupernetOptions = {}): ResolvedSupernetOptions {
  const r = {
    ...SUPERNET_DEFAULTS,
    dataDir: DEFAULT_IMAGE_DATA_DIR,
    cacheDir: defaultSupernetCacheDir(),
    ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)),
  } as ResolvedSupernetOptions;
  num('widthMultiplier', r.widthMultiplier, 0, false);
  int('epochs', r.epochs, 1);
  int('batchSize', r.batchSize, 2);
  int('microBatchSize', r.microBatchSize, 2);
  int('trainImages', r.trainImages, r.batchSize);
  num('learningRate', r.learningRate, 0, false);
  int('warmupSteps', r.warmupSteps, 0);
  num('gradientClip', r.gradientClip, 0, true);
  num('momentum', r.momentum, 0, true);
  if (r.momentum >= 1) throw new InputError('bad-flag', 'supernet momentum must be below 1', { path: 'momentum', actual: String(r.momentum) });
  num('weightDecay', r.weightDecay, 0, true);
  if (!PATH_SAMPLINGS.includes(r.sampling)) throw new InputError('bad-flag', 'unknown supernet sampling', { path: 'sampling', expected: PATH_SAMPLINGS.join(' or '), actual: String(r.sampling) });
  int('seed', r.seed, 0);
  int('bnBatches', r.bnBatches, 0);
  int('testImages', r.testImages, 1);
  if (!SUPERNET_SCORES.includes(r.score)) throw new InputError('bad-flag', 'unknown supernet score', { path: 'score', expected: SUPERNET_SCORES.join(' or '), actual: String(r.score) });
  int('checkpointSteps', r.checkpointSteps, 1);
  num('checkpointSeconds', r.checkpointSeconds, 0, false);
  return r;
}
