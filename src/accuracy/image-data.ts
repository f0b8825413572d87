import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import type { Rng } from '../util/rng.ts';
import { cifar10Files, cifar10SplitInfo, readCifar10Sample, readCifar10Split, VENDORED_CIFAR10_DIR } from './cifar10-dataset.ts';
import { readIdxSplit } from './idx-dataset.ts';
import { selectImages, type ImageSet } from './image-set.ts';

/**
 * The image data of every data-dependent accuracy signal (proxy training, data-dependent zero-cost
 * proxies, the supernet), from a folder (`--data DIR`, or a library setting):
 * CIFAR-10 in its binary release layout or as JPEG records ({@link readCifar10Split}), or an IDX data
 * set such as Fashion-MNIST (`train-images-idx3-ubyte[.gz]`, `t10k-…`). The default is the CIFAR-10
 * subset shipped in `data/cifar10-subset/`.
 */

/** The folder used when none is given: the vendored CIFAR-10 subset. */
export const DEFAULT_IMAGE_DATA_DIR = VENDORED_CIFAR10_DIR;

/** A split of an image data set. */
export type ImageSplit = 'train' | 'test';

const cache = new Map<string, ImageSet>();

/**
 * One split of the image data set in `dir`, read once per process (thread). An unknown layout is an
 * {@link InputError} naming `path` (the flag or API field that gave the folder).
 */
export function readImageSplit(dir: string, split: ImageSplit, path = '--data'): ImageSet {
  const key = `${dir}\0${split}`;
  let set = cache.get(key);
  if (!set) {
    set = readUncached(dir, split, path);
    cache.set(key, set);
  }
  return set;
}

/** Which reader serves `dir`'s split: CIFAR-10 (either layout) or IDX; a missing folder is an {@link InputError}. */
function layoutOf(dir: string, split: ImageSplit, path: string): 'cifar10' | 'idx' {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError('io', 'no such data folder', { path, file: dir, expected: 'a folder with CIFAR-10 (data_batch_1.bin … test_batch.bin, or cifar10-*.jpgrec.gz) or IDX files (train-images-idx3-ubyte …)' });
  }
  if (cifar10Files(dir, split)) return 'cifar10';
  const idx = split === 'train' ? 'train' : 't10k';
  if (['', '.gz'].some((ext) => existsSync(join(dir, `${idx}-images-idx3-ubyte${ext}`)))) return 'idx';
  // Neither layout: the CIFAR-10 reader says what it expects (the default kind of data).
  return 'cifar10';
}

function readUncached(dir: string, split: ImageSplit, path: string): ImageSet {
  return layoutOf(dir, split, path) === 'cifar10' ? readCifar10Split(dir, split, path) : readIdxSplit(dir, split === 'train' ? 'train' : 't10k');
}

/**
 * `n` images of a split drawn without replacement in an order shuffled by `rng`: the same images as
 * `sampleImages(readImageSplit(dir, split), n, rng)`, but CIFAR-10 images are read (JPEG records:
 * decoded) only for the `n` drawn, which is most of the cost of a small draw from a large split.
 */
export function sampleImageSplit(dir: string, split: ImageSplit, n: number, rng: Rng, names: { data?: string; count?: string } = {}): ImageSet {
  const path = names.data ?? '--data';
  const pick = (count: number): number[] => {
    if (!Number.isInteger(n) || n <= 0 || n > count) {
      const what = split === 'train' ? 'training' : 'held-out';
      throw new InputError('bad-flag', `cannot draw ${n} ${what} images from the ${split} split of ${count} in ${dir}`, { path: names.count ?? path, expected: `at most ${count} ${what} images (or a larger data set with --data)`, actual: String(n) });
    }
    return rng.shuffle(Array.from({ length: count }, (_, i) => i)).slice(0, n);
  };
  const whole = cache.get(`${dir}\0${split}`);
  if (whole) return selectImages(whole, pick(whole.count));
  if (layoutOf(dir, split, path) === 'idx') return selectImages(readImageSplit(dir, split, path), pick(readImageSplit(dir, split, path).count));
  return readCifar10Sample(dir, split, pick, path);
}

/**
 * Images in a split of the data set in `dir`, and its description for reports
 * (`CIFAR-10 (JPEG re-encoding), vendored subset: 10,000 training images`), without decoding
 * CIFAR-10 images (an IDX split is small: read whole). An unknown layout is an {@link InputError} naming `path`.
 */
export function imageSplitInfo(dir: string, split: ImageSplit, path = '--data'): { count: number; description: string } {
  const key = `${dir}\0${split}`;
  const whole = cache.get(key);
  if (whole) return { count: whole.count, description: whole.description };
  let info = infoCache.get(key);
  if (!info && layoutOf(dir, split, path) === 'cifar10') info = cifar10SplitInfo(dir, split);
  if (!info) {
    const set = readImageSplit(dir, split, path);
    info = { count: set.count, description: set.description };
  }
  infoCache.set(key, info);
  return info;
}

const infoCache = new Map<string, { count: number; description: string }>();

/** Images in a split of the data set in `dir` ({@link imageSplitInfo}). */
export function imageSplitCount(dir: string, split: ImageSplit, path = '--data'): number {
  return imageSplitInfo(dir, split, path).count;
}

/**
 * Check, without reading the images, that `dir` holds a data set this reader knows (both splits).
 * An {@link InputError} naming `path` otherwise (`--data`, or the library field `data`).
 */
export function checkImageDataDir(dir: string, path = '--data'): void {
  if (typeof dir !== 'string' || dir.trim() === '') throw new InputError('bad-flag', 'empty data folder', { path, expected: 'a folder path' });
  for (const split of ['train', 'test'] as const) {
    if (layoutOf(dir, split, path) === 'cifar10' && !cifar10Files(dir, split)) readCifar10Split(dir, split, path); // throws, naming what is missing
  }
}

/** Forget the data sets read so far (tests that rewrite a folder). */
export function clearImageDataCache(): void {
  cache.clear();
  infoCache.clear();
}
