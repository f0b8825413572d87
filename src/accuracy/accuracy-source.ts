import type { Genotype, SearchSpace } from '../space/search-space.ts';
import type { TrainingBudget, TrainingProgress } from './training-budget.ts';

export type { TrainingBudget, TrainingProgress } from './training-budget.ts';

/**
 * Where the accuracy of an architecture comes from: a benchmark table (exact published results) or
 * a proxy (trained or scored here). One source serves one space.
 */
export interface AccuracySource {
  /** Source id as reported next to its numbers (`nb201`, `nasbench-macro`, ...). */
  readonly id: string;
  /** Name of the searched (maximised) metric among those {@link AccuracySource.metrics} returns. @defaultValue 'accuracy' */
  readonly metric: string;
  /** One line for reports: dataset, split, training budget, provenance. */
  readonly description: string;
  /** Every metric {@link AccuracySource.metrics} returns for a scored architecture ({@link AccuracySource.metric} first). */
  readonly metricNames: readonly string[];
  /**
   * Metrics of one architecture, in % for accuracies; always includes {@link AccuracySource.metric}.
   * Rejects with a plain `Error` when the architecture cannot be scored (recorded as a failed outcome).
   */
  metrics(space: SearchSpace, g: Genotype, call?: AccuracyCall): Promise<Record<string, number>>;
  /**
   * `'epochs'` on sources that train and take a training budget per call ({@link AccuracyCall.epochs}):
   * multi-fidelity evaluation needs it. @defaultValue none (the source ignores `call`)
   */
  readonly fidelity?: 'epochs';
  /**
   * Those of {@link AccuracySource.metricNames} a user sees beside {@link AccuracySource.metric} by
   * default (`hwnas eval` prints them as columns after it), e.g. proxy training's `trainMs`.
   * @defaultValue none
   */
  readonly alongside?: readonly string[];
  /**
   * How many {@link AccuracySource.metrics} calls are worth running at once (training in worker
   * threads: one per job). The evaluator keeps at most this many in flight. @defaultValue 1
   */
  readonly concurrency?: number;
  /**
   * Do the source's one-off work now (a supernet's training, or loading it from the cache) rather
   * than in the first {@link AccuracySource.metrics} call, so that `accuracy-bench` can measure it
   * apart from scoring. @defaultValue none: one-off work happens on first use
   */
  prepare?(): Promise<void>;
  /**
   * CPU-seconds of the one-off work behind the source, read after {@link AccuracySource.prepare}:
   * all of it, also what an earlier process did (a supernet loaded from the cache, or resumed from
   * a checkpoint), so that `accuracy-bench` charges it in full. @defaultValue none: what the bench measures
   */
  readonly oneOffCpuSeconds?: number | undefined;
  /** Release what the source holds (worker threads, backends). */
  close?(): Promise<void>;
}

/** Options of one {@link AccuracySource.metrics} call. */
export interface AccuracyCall {
  /** Training epochs for this call (multi-fidelity), for sources with {@link AccuracySource.fidelity}. @defaultValue the source's own */
  readonly epochs?: number;
}

/**
 * What every accuracy source is created with. Sources that read images (proxy training, the
 * data-dependent zero-cost proxies, the supernet) take them from {@link AccuracySettings.data};
 * sources that train read their budget from {@link AccuracySettings.training}. Check a settings
 * object from outside with `checkAccuracySettings` (accuracy-settings.ts).
 */
export interface AccuracySettings {
  /** Seed of weights, image draws and batch order (proxy training, zero-cost proxies). @defaultValue 0 */
  readonly seed: number;
  /** Candidates scored at once (worker threads) by sources that train. @defaultValue 1 */
  readonly jobs: number;
  /** Seconds a source that runs a program (`command:`) gives one candidate before killing it. @defaultValue 3600 */
  readonly timeoutS?: number;
  /** Folder for the per-candidate logs of sources that run programs. @defaultValue a new folder in the system's temp folder */
  readonly logDir?: string;
  /**
   * Folder of the image data set: CIFAR-10 in its binary release layout (`data_batch_1.bin` …
   * `test_batch.bin`) or as JPEG records, or an IDX set such as Fashion-MNIST (`--data DIR`).
   * @defaultValue the vendored CIFAR-10 subset (`data/cifar10-subset/`, `DEFAULT_IMAGE_DATA_DIR` of image-data.ts)
   */
  readonly data?: string;
  /** Training budget of the sources that train. @defaultValue each field's default ({@link TrainingBudget}) */
  readonly training?: TrainingBudget;
  /**
   * Called by sources that train after each epoch of a candidate (on the thread that created the
   * source). Not part of what a result depends on. @defaultValue none
   */
  readonly onTrainingProgress?: (p: TrainingProgress) => void;
}

/** Settings used when none are given. */
export const DEFAULT_ACCURACY_SETTINGS: AccuracySettings = { seed: 0, jobs: 1 };

/** A named kind of accuracy source, creating the source for a space (or refusing the space). */
export interface AccuracySourceFactory {
  /** Name given with `--accuracy`. */
  readonly id: string;
  /** One line for `--help` listings. */
  readonly description: string;
  /**
   * The source for this space; a space it cannot serve is an {@link InputError} (`incompatible`).
   * Asynchronous for sources that load heavy code (TF.js) only when they are used.
   */
  create(space: SearchSpace, settings: AccuracySettings, name?: string): AccuracySource | Promise<AccuracySource>;
  /**
   * A factory registered under an id ending in `:` (`command:`) serves every name that starts with
   * it (`command:python3 train.py`): `create` gets the whole name. `validate` checks such a name
   * before anything runs (an {@link InputError} naming `--accuracy`). @defaultValue exact ids only
   */
  validate?(name: string): void;
}
