import { InputError } from '../../errors.ts';
import { DEFAULT_IMAGE_DATA_DIR, sampleImageSplit, type ImageSplit } from '../image-data.ts';
import { networkInput } from '../network-input.ts';
import type { Rng } from '../../util/rng.ts';

/**
 * The labelled image batch of the data-dependent zero-cost proxies (NASWOT, grad_norm, snip): `n`
 * images drawn from a data set (CIFAR-10 by default: the vendored subset, `data/cifar10-subset/`),
 * prepared exactly as proxy training prepares them (network-input.ts): normalised per channel with
 * the set's mean and std, resized bilinearly to the network's input (32 px CIFAR images upsampled to
 * 224 px for the ImageNet spaces), grey images repeated over the input channels. Layout NHWC.
 */
export interface ImageBatch {
  /** `n·size·size·channels` values, NHWC. */
  readonly pixels: Float32Array;
  /** Class labels. */
  readonly labels: Int32Array;
  readonly n: number;
  readonly size: number;
  readonly channels: number;
}

export interface BatchOptions {
  /** Images in the batch. */
  n: number;
  /** Side of the square network input. @defaultValue 32 */
  size?: number;
  /** Channels of the network input. @defaultValue 3 */
  channels?: number;
  /** @defaultValue 'train' */
  split?: ImageSplit;
  /** Draws the images, without replacement (a repeated image would make NASWOT's kernel singular). */
  rng: Rng;
  /** Folder of the data set. @defaultValue the vendored CIFAR-10 subset */
  data?: string;
  /** Flag or field that named {@link BatchOptions.data}, for errors. @defaultValue '--data' */
  dataPath?: string;
}

/** A batch of images prepared as described on {@link ImageBatch}. */
export function imageBatch(o: BatchOptions): ImageBatch {
  const size = o.size ?? 32;
  const channels = o.channels ?? 3;
  if (!Number.isInteger(size) || size < 1) throw new InputError('bad-flag', 'image size must be a positive integer', { actual: String(size) });
  const set = sampleImageSplit(o.data ?? DEFAULT_IMAGE_DATA_DIR, o.split ?? 'train', o.n, o.rng, { data: o.dataPath ?? '--data' });
  const idx = Array.from({ length: set.count }, (_, i) => i);
  return { pixels: networkInput(set, idx, [channels, size, size]), labels: Int32Array.from(set.labels), n: o.n, size, channels };
}
