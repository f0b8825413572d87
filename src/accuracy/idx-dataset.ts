import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../errors.ts';
import type { ImageSet } from './image-set.ts';

/**
 * IDX files (the MNIST / Fashion-MNIST format, LeCun et al.): a big-endian header — two zero bytes,
 * the element type (0x08 = unsigned byte), the number of dimensions — then one 32-bit size per
 * dimension and the row-major data. Files may be gzip-compressed (`.gz`).
 */

/** The Fashion-MNIST subset shipped in `data/` (2,000 training and 500 test images; see `data/README.md`). */
export const VENDORED_FASHION_MNIST_DIR = fileURLToPath(new URL('../../data/fashion-mnist-subset/', import.meta.url));

/** Split names and their IDX file stems. */
export type IdxSplit = 'train' | 't10k';

/** Mean and standard deviation of Fashion-MNIST's training pixels scaled to [0, 1] (Xiao et al. 2017). */
export const FASHION_MNIST_MEAN: readonly number[] = [0.286];
export const FASHION_MNIST_STD: readonly number[] = [0.353];

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
  throw new InputError('io', `no ${split} ${kind} IDX file`, { file: `${stem}[.gz]`, path: '--data', expected: 'a folder with the MNIST-style IDX files' });
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
  let maxLabel = 0;
  for (const l of lab.data) maxLabel = Math.max(maxLabel, l);
  const which = `${count.toLocaleString('en-US')} ${split === 'train' ? 'training' : 'test'} images`;
  const description = resolve(dir) === resolve(VENDORED_FASHION_MNIST_DIR) ? `Fashion-MNIST, vendored subset: ${which}` : `IDX images in ${dir}: ${which}`;
  return {
    pixels: Uint8Array.from(img.data),
    labels: Uint8Array.from(lab.data),
    count,
    height,
    width,
    channels: 1,
    classes: maxLabel + 1,
    mean: FASHION_MNIST_MEAN,
    std: FASHION_MNIST_STD,
    description,
  };
}
