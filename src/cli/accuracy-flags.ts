import { DEFAULT_IMAGE_DATA_DIR, checkImageDataDir, imageSplitCount } from '../accuracy/image-data.ts';
import { checkTrainingBudget, TRAINING_FLAGS, TRAINING_LIMITS, type TrainingBudget } from '../accuracy/training-budget.ts';
import { InputError } from '../errors.ts';
import type { FlagSpec } from './flags.ts';
import { intFlag, numberFlag } from './flags.ts';

/**
 * The flags of the data and training budget of data-dependent accuracy sources, shared by every
 * command that scores accuracy (search, eval, compare, worker): `--data DIR` and the
 * {@link TrainingBudget} flags. Parsed into the library's `data` and `training` settings.
 */
export const ACCURACY_DATA_FLAGS = {
  data: { type: 'string' },
  'train-epochs': { type: 'string' },
  'train-images': { type: 'string' },
  'test-images': { type: 'string' },
  'train-batch': { type: 'string' },
  'train-lr': { type: 'string' },
  'train-augment': { type: 'boolean' },
} as const satisfies FlagSpec;

/** Usage lines of {@link ACCURACY_DATA_FLAGS}. */
export const ACCURACY_DATA_USAGE = `  --data DIR          images of proxy-train and zero-cost:naswot/grad_norm/snip: CIFAR-10
                      (binary release data_batch_*.bin + test_batch.bin, or JPEG records) or
                      IDX files (data/fashion-mnist-subset)  [data/cifar10-subset: 10,000 + 2,000
                      real CIFAR-10 images]
  --train-epochs N    proxy-train: passes over the training images                        [1]
  --train-images N    proxy-train: training images drawn (seeded) from the training split [2000]
  --test-images N     proxy-train: held-out images drawn from the test split             [500]
  --train-batch N     proxy-train: images per Adam step (≥ 2)                             [64]
  --train-lr X        proxy-train: Adam learning rate                                     [0.001]
  --train-augment     proxy-train: random crop (4-px padding) + horizontal flip of each
                      training image, seeded                                               [off]
                      (--accuracy supernet reads --data and these flags for its one
                      training, with its own defaults: docs/supernet.md)`;

type Parsed = { [K in keyof typeof ACCURACY_DATA_FLAGS]?: (typeof ACCURACY_DATA_FLAGS)[K]['type'] extends 'boolean' ? boolean : string };

/**
 * `data` and `training` settings from the flags (absent when no flag was given), each checked with an
 * error naming the flag: the folder must hold a known data set with at least the images asked.
 */
export function parseAccuracyDataFlags(f: Parsed): { data?: string; training?: TrainingBudget } {
  const training: { -readonly [K in keyof TrainingBudget]: TrainingBudget[K] } = {};
  if (f['train-epochs'] !== undefined) training.epochs = intFlag(f['train-epochs'], TRAINING_FLAGS.epochs, 1, 1, TRAINING_LIMITS.epochs);
  if (f['train-images'] !== undefined) training.trainImages = intFlag(f['train-images'], TRAINING_FLAGS.trainImages, 2000, 2, TRAINING_LIMITS.trainImages);
  if (f['test-images'] !== undefined) training.testImages = intFlag(f['test-images'], TRAINING_FLAGS.testImages, 500, 1, TRAINING_LIMITS.testImages);
  if (f['train-batch'] !== undefined) training.batchSize = intFlag(f['train-batch'], TRAINING_FLAGS.batchSize, 64, 2, TRAINING_LIMITS.batchSize);
  if (f['train-lr'] !== undefined) training.learningRate = numberFlag(f['train-lr'], TRAINING_FLAGS.learningRate, 1e-3, Number.MIN_VALUE, 10);
  if (f['train-augment'] !== undefined) training.augment = f['train-augment'];
  checkTrainingBudget(training, TRAINING_FLAGS);
  if (f.data !== undefined) {
    if (f.data.trim() === '') throw new InputError('bad-flag', 'empty data folder', { path: '--data', expected: 'a folder path' });
    checkImageDataDir(f.data, '--data');
  }
  const dir = f.data ?? DEFAULT_IMAGE_DATA_DIR;
  for (const [n, split, flag, what] of [[training.trainImages, 'train', TRAINING_FLAGS.trainImages, 'training'], [training.testImages, 'test', TRAINING_FLAGS.testImages, 'test']] as const) {
    if (n === undefined) continue;
    const count = imageSplitCount(dir, split, '--data');
    if (n > count) {
      throw new InputError('bad-flag', `${n} images asked, the ${what} split of ${f.data ?? 'the vendored CIFAR-10 subset'} has ${count}`, { path: flag, expected: `at most ${count} (or a larger data set with --data)`, actual: String(n) });
    }
  }
  return { ...(f.data !== undefined && { data: f.data }), ...(Object.keys(training).length > 0 && { training }) };
}
