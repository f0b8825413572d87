import { InputError } from '../errors.ts';
import type { Rng } from '../util/rng.ts';

/**
 * Labelled images as their bytes: the common form of every image data set hwnas reads (CIFAR-10's
 * binary batches and JPEG records, Fashion-MNIST's IDX files). Kept as bytes, not floats, so the
 * full CIFAR-10 training split is 150 MB rather than 600 MB; consumers scale and normalise a batch
 * at a time with {@link ImageSet.mean} and {@link ImageSet.std}.
 */
export interface ImageSet {
  /** `count · height · width · channels` bytes (0–255), image after image, each row-major NHWC. */
  readonly pixels: Uint8Array;
  /** Class index of each image. */
  readonly labels: Uint8Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  /** 3 for RGB (CIFAR-10), 1 for grey (Fashion-MNIST). */
  readonly channels: number;
  /** Number of classes of the data set (10 for CIFAR-10 and Fashion-MNIST). */
  readonly classes: number;
  /** Per-channel mean of the pixel values scaled to [0, 1], over the data set's training split. */
  readonly mean: readonly number[];
  /** Per-channel standard deviation of the pixel values scaled to [0, 1], over the training split. */
  readonly std: readonly number[];
  /** What the images are, for reports: `CIFAR-10 (JPEG re-encoding), vendored subset, training split`. */
  readonly description: string;
}

/** Bytes of one image of `set`. */
export function imageBytes(set: Pick<ImageSet, 'height' | 'width' | 'channels'>): number {
  return set.height * set.width * set.channels;
}

/** `n` images of a set, drawn without replacement in an order shuffled by `rng`. */
export function sampleImages(set: ImageSet, n: number, rng: Rng): ImageSet {
  if (!Number.isInteger(n) || n <= 0 || n > set.count) {
    throw new InputError('bad-flag', `cannot take ${n} images from a set of ${set.count}`, { expected: `an integer in [1, ${set.count}]`, actual: String(n) });
  }
  const order = rng.shuffle(Array.from({ length: set.count }, (_, i) => i)).slice(0, n);
  return selectImages(set, order);
}

/** The images at `indices`, in that order. */
export function selectImages(set: ImageSet, indices: readonly number[]): ImageSet {
  const px = imageBytes(set);
  const pixels = new Uint8Array(indices.length * px);
  const labels = new Uint8Array(indices.length);
  indices.forEach((src, dst) => {
    pixels.set(set.pixels.subarray(src * px, (src + 1) * px), dst * px);
    labels[dst] = set.labels[src]!;
  });
  return { ...set, pixels, labels, count: indices.length };
}

/** The first `n` images of a set (or all of it when it has fewer). */
export function firstImages(set: ImageSet, n: number): ImageSet {
  if (n >= set.count) return set;
  const px = imageBytes(set);
  return { ...set, pixels: set.pixels.subarray(0, n * px), labels: set.labels.subarray(0, n), count: n };
}
