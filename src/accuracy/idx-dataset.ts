import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../errors.ts';
import type { Rng } from '../util/rng.ts';

/**
 * IDX files (the MNIST / Fashion-MNIST format, LeCun et al.): a big-endian header — two zero bytes,
 * the element type (0x08 = unsigned byte), the number of dimensions — then one 32-bit size per
 * dimension and the row-major data. Files may be gzip-compressed (`.gz`).
 */

/** Grey images with their labels, pixel values scaled to [0, 1], layout NHWC with C = 1. */
export interface ImageSet {
  /** `count · height · width` values in [0, 1], image after image, row-major. */
  readonly images: Float32Array;
  /** Class index of each image. */
  readonly labels: Uint8Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  /** Number of classes: 1 + the largest label of the full split. */
  readonly classes: number;
}

/** The Fashion-MNIST subset shipped in `data/` (2,000 training and 500 test images; see `data/README.md`). */
export const VENDORED_FASHION_MNIST_DIR = fileURLToPath(new URL('../../data/fashion-mnist-subset/', import.meta.url));

/** Split names and their IDX file stems. */
export type IdxSplit = 'train' | 't10k';

function readMaybeGz(file: string): Uint8Array {
  const bytes = readFileSync(file);
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
}

/** Dimensions and unsigned-byte payload of an IDX file. */
export function readIdx(file: string): { dims: number[]; data: Uint8Array } {
  if (!existsSync(file)) throw new InputError('io', 'no such IDX file', { file });
  const b = readMaybeGz(file);
  const bad = (expected: string, actual: string): never => {
    throw new InputError('io', 'not an unsigned-byte IDX file', { file, expected, actual });
  };
  if (b.length < 4 || b[0] !== 0 || b[1] !== 0) bad('magic 00 00 08 <ndims>', `${b.length} bytes starting ${Array.from(b.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join(' ')}`);
  if (b[2] !== 0x08) bad('element type 0x08 (unsigned byte)', `0x${b[2]!.toString(16)}`);
  const ndims = b[3]!;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length < 4 + 4 * ndims) bad(`${ndims} dimension sizes`, `${b.length} bytes`);
  const dims = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, x) => a * x, 1);
  const start = 4 + 4 * ndims;
  if (b.length - start !== size) bad(`${size} data bytes for dims [${dims.join(',')}]`, `${b.length - start}`);
  return { dims, data: b.subarray(start) };
}

/** File of a split in a folder: `<split>-images-idx3-ubyte[.gz]` or `<split>-labels-idx1-ubyte[.gz]`. */
function idxFile(dir: string, split: IdxSplit, kind: 'images' | 'labels'): string {
  const stem = join(dir, `${split}-${kind}-idx${kind === 'images' ? 3 : 1}-ubyte`);
  if (existsSync(`${stem}.gz`)) return `${stem}.gz`;
  if (existsSync(stem)) return stem;
  throw new InputError('io', `no ${split} ${kind} IDX file`, { file: `${stem}[.gz]`, path: '--data-dir', expected: 'a folder with the MNIST-style IDX files' });
}

/** Read one split (`train` or `t10k`) of an IDX data set from a folder. */
export function readIdxSplit(dir: string, split: IdxSplit): ImageSet {
  const imagesFile = idxFile(dir, split, 'images');
  const labelsFile = idxFile(dir, split, 'labels');
  const img = readIdx(imagesFile);
  const lab = readIdx(labelsFile);
  const [count, height, width] = img.dims;
  if (img.dims.length !== 3 || count === undefined || height === undefined || width === undefined) {
    throw new InputError('io', 'images IDX file must have 3 dimensions', { file: imagesFile, actual: `[${img.dims.join(',')}]` });
  }
  if (lab.dims.length !== 1 || lab.dims[0] !== count) {
    throw new InputError('io', 'labels do not match the images', { file: labelsFile, expected: `[${count}]`, actual: `[${lab.dims.join(',')}]` });
  }
  const images = new Float32Array(img.data.length);
  for (let i = 0; i < images.length; i++) images[i] = img.data[i]! / 255;
  let maxLabel = 0;
  for (const l of lab.data) maxLabel = Math.max(maxLabel, l);
  return { images, labels: Uint8Array.from(lab.data), count, height, width, classes: maxLabel + 1 };
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
  const px = set.height * set.width;
  const images = new Float32Array(indices.length * px);
  const labels = new Uint8Array(indices.length);
  indices.forEach((src, dst) => {
    images.set(set.images.subarray(src * px, (src + 1) * px), dst * px);
    labels[dst] = set.labels[src]!;
  });
  return { ...set, images, labels, count: indices.length };
}
