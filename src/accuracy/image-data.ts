import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { cifar10Files, readCifar10Split, VENDORED_CIFAR10_DIR } from './cifar10-dataset.ts';
import { readIdxSplit } from './idx-dataset.ts';
import type { ImageSet } from './image-set.ts';

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

function readUncached(dir: string, split: ImageSplit, path: string): ImageSet {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError('io', 'no such data folder', { path, file: dir, expected: 'a folder with CIFAR-10 (data_batch_1.bin … test_batch.bin) or IDX files' });
  }
  if (cifar10Files(dir, split)) return readCifar10Split(dir, split, path);
  const idx = split === 'train' ? 'train' : 't10k';
  if (['', '.gz'].some((ext) => existsSync(join(dir, `${idx}-images-idx3-ubyte${ext}`)))) return readIdxSplit(dir, idx);
  // Neither layout: say what CIFAR-10 expects (the default kind of data).
  return readCifar10Split(dir, split, path);
}

/** Forget the data sets read so far (tests that rewrite a folder). */
export function clearImageDataCache(): void {
  cache.clear();
}
