import { InputError } from '../errors.ts';

/**
 * How much a training accuracy source (proxy training, the supernet, a user's trainer) trains each
 * candidate: one typed object that every such source reads, set from the library
 * (`AccuracySettings.training`) or the CLI (`--train-epochs`, `--train-images`, `--test-images`,
 * `--train-batch`, `--train-lr`, `--train-augment`). A field left out takes the source's default.
 */
export interface TrainingBudget {
  /** Passes over the training images. @defaultValue 1 */
  readonly epochs?: number;
  /** Training images, drawn (seeded) from the training split. @defaultValue 2000 */
  readonly trainImages?: number;
  /** Held-out images, drawn (seeded) from the test split, the same for every candidate of a seed. @defaultValue 500 */
  readonly testImages?: number;
  /** Images per optimiser step. @defaultValue 64 */
  readonly batchSize?: number;
  /** Adam step size (Kingma & Ba, ICLR 2015). @defaultValue 1e-3 */
  readonly learningRate?: number;
  /**
   * The standard CIFAR training augmentation: each training image randomly cropped back to its size
   * from a copy zero-padded by 4 pixels, and flipped left–right with probability ½ (He et al. 2016),
   * drawn from the run's seed. @defaultValue false
   */
  readonly augment?: boolean;
}

/** The largest values accepted (a typo such as 1e9 images is an error, not an hour of silence). */
export const TRAINING_LIMITS = { epochs: 1000, trainImages: 10_000_000, testImages: 10_000_000, batchSize: 65_536 } as const;

/** The smallest values accepted: batch norm needs two images in a step. */
const TRAINING_MINIMA = { epochs: 1, trainImages: 2, testImages: 1, batchSize: 2 } as const;

/** Name of a budget field in an error: the CLI flag when `flags`, else the library field `training.<name>`. */
export type BudgetFieldNames = Readonly<Record<keyof TrainingBudget, string>>;

/** The CLI flag of each budget field. */
export const TRAINING_FLAGS: BudgetFieldNames = {
  epochs: '--train-epochs', trainImages: '--train-images', testImages: '--test-images', batchSize: '--train-batch', learningRate: '--train-lr', augment: '--train-augment',
};

/** The library field of each budget field (`training.epochs`…). */
export const TRAINING_FIELDS: BudgetFieldNames = {
  epochs: 'training.epochs', trainImages: 'training.trainImages', testImages: 'training.testImages', batchSize: 'training.batchSize', learningRate: 'training.learningRate', augment: 'training.augment',
};

/**
 * Check a budget: every count an integer within its bounds (batches of at least 2 images: batch norm needs them; at most {@link TRAINING_LIMITS}), the learning rate a
 * positive finite number, `augment` a boolean; an unknown field is an error too (a misspelt field
 * would silently train with the default). Throws an {@link InputError} naming the field (`names`).
 */
export function checkTrainingBudget(b: TrainingBudget, names: BudgetFieldNames = TRAINING_FIELDS): TrainingBudget {
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new InputError('bad-flag', 'training budget must be an object', { path: 'training', actual: JSON.stringify(b) });
  for (const k of Object.keys(b)) {
    if (!(k in TRAINING_FIELDS)) throw new InputError('bad-flag', `unknown training budget field "${k}"`, { path: `training.${k}`, expected: `some of ${Object.keys(TRAINING_FIELDS).join(', ')}` });
  }
  for (const k of ['epochs', 'trainImages', 'testImages', 'batchSize'] as const) {
    const v = b[k];
    if (v === undefined) continue;
    if (!Number.isSafeInteger(v) || v < TRAINING_MINIMA[k] || v > TRAINING_LIMITS[k]) {
      throw new InputError('bad-flag', `${names[k]} out of range`, { path: names[k], expected: `an integer in [${TRAINING_MINIMA[k]}, ${TRAINING_LIMITS[k]}]`, actual: JSON.stringify(v) });
    }
  }
  const lr = b.learningRate;
  if (lr !== undefined && (typeof lr !== 'number' || !Number.isFinite(lr) || lr <= 0 || lr > 10)) {
    throw new InputError('bad-flag', `${names.learningRate} out of range`, { path: names.learningRate, expected: 'a number in (0, 10]', actual: JSON.stringify(lr) });
  }
  if (b.augment !== undefined && typeof b.augment !== 'boolean') {
    throw new InputError('bad-flag', `${names.augment} must be true or false`, { path: names.augment, expected: 'a boolean', actual: JSON.stringify(b.augment) });
  }
  return b;
}

/**
 * Progress of one candidate's training: reported at the end of every epoch (`step === steps`) and,
 * within an epoch, about once a second.
 */
export interface TrainingProgress {
  /** The candidate's arch string. */
  readonly arch: string;
  /** The epoch under way (1-based) of {@link TrainingProgress.epochs}. */
  readonly epoch: number;
  readonly epochs: number;
  /** Optimiser steps done in this epoch, of {@link TrainingProgress.steps}. */
  readonly step: number;
  readonly steps: number;
  /** Mean training loss of the epoch's steps so far. */
  readonly loss: number;
  /** Wall time of the training loop so far, in ms. */
  readonly trainMs: number;
}
