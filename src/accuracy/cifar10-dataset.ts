import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { InputError } from '../errors.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import type { ImageSet } from './image-set.ts';

/**
 * CIFAR-10 (Krizhevsky 2009): 50,000 training and 10,000 test images, 32×32 RGB, 10 classes, read
 * from either of two layouts:
 *
 * - the **binary release** users download (`cifar-10-binary.tar.gz` → `cifar-10-batches-bin/`):
 *   `data_batch_1.bin` … `data_batch_5.bin` and `test_batch.bin`, each a sequence of 3,073-byte
 *   records — 1 label byte, then 1,024 red, 1,024 green and 1,024 blue bytes, row-major;
 * - **JPEG records** (`cifar10-train.jpgrec.gz`, `cifar10-test.jpgrec.gz`, optionally not gzipped):
 *   per record 1 label byte, a little-endian 16-bit length L, then L bytes of a 32×32 baseline JPEG.
 *   The subset hwnas ships (`data/cifar10-subset/`) is in this layout because it is 10× smaller; its
 *   pixels are JPEG-decoded, not bit-identical to the binary release ("CIFAR-10 (JPEG re-encoding)").
 */

/** Class names in label order. */
export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'] as const;

/**
 * Per-channel mean and standard deviation of CIFAR-10's 50,000 training images, pixels scaled to
 * [0, 1] (R, G, B): the values used by the reference training code of NAS-Bench-201 and most CIFAR
 * pipelines.
 */
export const CIFAR10_MEAN: readonly number[] = [0.4914, 0.4822, 0.4465];
export const CIFAR10_STD: readonly number[] = [0.247, 0.2435, 0.2616];

/** The CIFAR-10 subset shipped in `data/` (first 10,000 training and 2,000 test records of the shuffled JPEG records; see `data/README.md`). */
export const VENDORED_CIFAR10_DIR = fileURLToPath(new URL('../../data/cifar10-subset/', import.meta.url));

/** A CIFAR-10 split. */
export type Cifar10Split = 'train' | 'test';

const SIDE = 32;
const PLANE = SIDE * SIDE;
const RECORD = 1 + 3 * PLANE;
const TRAIN_BATCHES = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'];
const TEST_BATCH = 'test_batch.bin';
const RECORD_FILES: Record<Cifar10Split, string> = { train: 'cifar10-train.jpgrec', test: 'cifar10-test.jpgrec' };

function readMaybeGz(file: string): Uint8Array {
  const bytes = readFileSync(file);
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
}

/** Which layout a folder holds, and its files for a split; `undefined` when it holds neither. */
export function cifar10Files(dir: string, split: Cifar10Split): { layout: 'binary' | 'jpeg-records'; files: string[] } | undefined {
  for (const d of [dir, join(dir, 'cifar-10-batches-bin')]) {
    if (split === 'train' && existsSync(join(d, TRAIN_BATCHES[0]!))) {
      return { layout: 'binary', files: TRAIN_BATCHES.map((f) => join(d, f)).filter((f) => existsSync(f)) };
    }
    if (split === 'test' && existsSync(join(d, TEST_BATCH))) return { layout: 'binary', files: [join(d, TEST_BATCH)] };
  }
  for (const name of [`${RECORD_FILES[split]}.gz`, RECORD_FILES[split]]) {
    if (existsSync(join(dir, name))) return { layout: 'jpeg-records', files: [join(dir, name)] };
  }
  return undefined;
}

/** True when `dir` holds CIFAR-10 in either layout (both splits). */
export function isCifar10Dir(dir: string): boolean {
  return cifar10Files(dir, 'train') !== undefined && cifar10Files(dir, 'test') !== undefined;
}

function describe(dir: string, split: Cifar10Split, layout: string, count: number): string {
  const which = split === 'train' ? 'training' : 'test';
  if (resolve(dir) === resolve(VENDORED_CIFAR10_DIR)) return `CIFAR-10 (JPEG re-encoding), vendored subset: ${count.toLocaleString('en-US')} ${which} images`;
  return `CIFAR-10 ${layout === 'binary' ? 'binary batches' : '(JPEG re-encoding) records'} in ${dir}: ${count.toLocaleString('en-US')} ${which} images`;
}

function checkLabel(file: string, record: number, label: number): void {
  if (label > 9) throw new InputError('io', `record ${record} has label ${label}`, { file, expected: 'a CIFAR-10 label 0–9', actual: String(label) });
}

/** Bytes of binary batch files, each checked to hold whole records. */
function readBinaryFiles(files: readonly string[]): { file: string; b: Uint8Array }[] {
  return files.map((file) => {
    const b = readMaybeGz(file);
    if (b.length === 0 || b.length % RECORD !== 0) {
      throw new InputError('io', 'not a CIFAR-10 binary batch', { file, expected: `a multiple of ${RECORD} bytes (1 label + 3,072 pixel bytes per image)`, actual: `${b.length} bytes` });
    }
    return { file, b };
  });
}

/**
 * Records of binary batch files (all, or those at `pick(count)`, in that order), pixels re-laid from
 * the release's planar R, G, B to NHWC.
 */
function readBinary(files: readonly string[], pick?: (count: number) => readonly number[]): { pixels: Uint8Array; labels: Uint8Array } {
  const chunks = readBinaryFiles(files);
  // Record i of the split: file and offset.
  const where: { file: string; b: Uint8Array; o: number; r: number }[] = [];
  for (const c of chunks) for (let r = 0; r < c.b.length / RECORD; r++) where.push({ ...c, o: r * RECORD, r });
  const chosen = pick ? pick(where.length) : where.map((_, i) => i);
  const pixels = new Uint8Array(chosen.length * 3 * PLANE);
  const labels = new Uint8Array(chosen.length);
  chosen.forEach((src, i) => {
    const { file, b, o, r } = where[src]!;
    checkLabel(file, r, b[o]!);
    labels[i] = b[o]!;
    const dst = i * 3 * PLANE;
    for (let p = 0; p < PLANE; p++) {
      pixels[dst + 3 * p] = b[o + 1 + p]!;
      pixels[dst + 3 * p + 1] = b[o + 1 + PLANE + p]!;
      pixels[dst + 3 * p + 2] = b[o + 1 + 2 * PLANE + p]!;
    }
  });
  return { pixels, labels };
}

/**
 * Records of a JPEG-record file (the first `limit`, or those at `pick(count)` in that order), each
 * decoded to 32×32 RGB (jpeg-js). Only the chosen records are decoded: decoding is the cost.
 */
function readJpegRecords(file: string, limit = Infinity, pick?: (count: number) => readonly number[]): { pixels: Uint8Array; labels: Uint8Array } {
  const b = readMaybeGz(file);
  const offsets: number[] = [];
  for (let o = 0; o < b.length && offsets.length < limit; ) {
    if (o + 3 > b.length) throw new InputError('io', `record ${offsets.length} is cut short`, { file, expected: 'label byte and 16-bit length', actual: `${b.length - o} bytes left` });
    const len = b[o + 1]! | (b[o + 2]! << 8);
    if (o + 3 + len > b.length) throw new InputError('io', `record ${offsets.length} is cut short`, { file, expected: `${len} JPEG bytes`, actual: `${b.length - o - 3}` });
    offsets.push(o);
    o += 3 + len;
  }
  const chosen = pick ? pick(offsets.length).map((i) => ({ i, o: offsets[i]! })) : offsets.map((o, i) => ({ i, o }));
  const pixels = new Uint8Array(chosen.length * 3 * PLANE);
  const labels = new Uint8Array(chosen.length);
  chosen.forEach(({ i: rec, o }, i) => {
    checkLabel(file, rec, b[o]!);
    labels[i] = b[o]!;
    const len = b[o + 1]! | (b[o + 2]! << 8);
    let img: { width: number; height: number; data: Uint8Array };
    try {
      img = jpeg.decode(b.subarray(o + 3, o + 3 + len), { useTArray: true, formatAsRGBA: false, maxResolutionInMP: 1 });
    } catch (e) {
      throw new InputError('io', `record ${rec} is not a decodable JPEG (${(e as Error).message})`, { file });
    }
    if (img.width !== SIDE || img.height !== SIDE || img.data.length !== 3 * PLANE) {
      throw new InputError('io', `record ${rec} is not a 32×32 RGB image`, { file, expected: '32×32×3', actual: `${img.width}×${img.height}, ${img.data.length} bytes` });
    }
    pixels.set(img.data, i * 3 * PLANE);
  });
  return { pixels, labels };
}

/**
 * One split of CIFAR-10 from a folder holding the binary release (or its parent) or JPEG records.
 * An absent or malformed file is an {@link InputError} naming it (and `path`, the flag or field that
 * named the folder).
 */
export function readCifar10Split(dir: string, split: Cifar10Split, path = '--data'): ImageSet {
  return readCifar10Images(dir, split, path);
}

/**
 * The images of a CIFAR-10 split at the indices `pick(count)` returns, in that order, reading (and
 * JPEG-decoding) only those: `readCifar10Split(dir, split).select(pick(count))` without the cost of
 * the rest. The set's description names the whole split it was drawn from.
 */
export function readCifar10Sample(dir: string, split: Cifar10Split, pick: (count: number) => readonly number[], path = '--data'): ImageSet {
  return readCifar10Images(dir, split, path, pick);
}

function readCifar10Images(dir: string, split: Cifar10Split, path: string, pick?: (count: number) => readonly number[]): ImageSet {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError('io', 'no such data folder', { path, file: dir, expected: 'a folder with CIFAR-10 (data_batch_1.bin … test_batch.bin)' });
  }
  const found = cifar10Files(dir, split);
  if (!found) {
    const have = readdirSync(dir).slice(0, 8).join(', ') || 'nothing';
    const want = split === 'train' ? 'data_batch_1.bin … data_batch_5.bin' : 'test_batch.bin';
    throw new InputError('io', `no CIFAR-10 ${split} split in the data folder`, { path, file: dir, expected: `${want} (the binary release, cifar-10-batches-bin/) or ${RECORD_FILES[split]}.gz`, actual: have });
  }
  let whole = 0;
  const counting = pick && ((count: number) => ((whole = count), pick(count)));
  const { pixels, labels } = found.layout === 'binary' ? readBinary(found.files, counting) : readJpegRecords(found.files[0]!, Infinity, counting);
  return {
    pixels,
    labels,
    count: labels.length,
    height: SIDE,
    width: SIDE,
    channels: 3,
    classes: 10,
    mean: CIFAR10_MEAN,
    std: CIFAR10_STD,
    description: describe(dir, split, found.layout, pick ? whole : labels.length),
  };
}

/**
 * Images in a CIFAR-10 split and what they are, without decoding any: record counts from the binary
 * files' sizes, or from a scan of the JPEG records' lengths. `undefined` when `dir` holds no such split.
 */
export function cifar10SplitInfo(dir: string, split: Cifar10Split): { count: number; description: string } | undefined {
  const found = cifar10Files(dir, split);
  if (!found) return undefined;
  let count = 0;
  if (found.layout === 'binary') {
    for (const f of found.files) {
      const head = readFileSync(f).subarray(0, 2);
      count += head[0] === 0x1f && head[1] === 0x8b ? Math.floor(readMaybeGz(f).length / RECORD) : Math.floor(statSync(f).size / RECORD);
    }
  } else {
    const b = readMaybeGz(found.files[0]!);
    for (let o = 0; o + 3 <= b.length; count++) o += 3 + (b[o + 1]! | (b[o + 2]! << 8));
  }
  return { count, description: describe(dir, split, found.layout, count) };
}

/** Images of CIFAR-10's standard batches: 10,000 per file. */
const PER_BATCH = 10_000;

/**
 * Write a CIFAR-10 set in the binary release's layout: the training split as `data_batch_1.bin`, …
 * (10,000 images per file, as in the release), the test split as `test_batch.bin`, plus
 * `batches.meta.txt` (class names). Each file is written whole or not at all.
 */
export function writeCifar10Binary(set: ImageSet, dir: string, split: Cifar10Split): string[] {
  if (set.channels !== 3 || set.height !== SIDE || set.width !== SIDE) throw new Error(`writeCifar10Binary: 32×32×3 images expected, got ${set.height}×${set.width}×${set.channels}`);
  const files: string[] = [];
  const batches = split === 'test' ? [[0, set.count]] : Array.from({ length: Math.ceil(set.count / PER_BATCH) }, (_, k) => [k * PER_BATCH, Math.min(set.count, (k + 1) * PER_BATCH)]);
  if (split === 'train' && batches.length > TRAIN_BATCHES.length) throw new Error(`writeCifar10Binary: at most ${TRAIN_BATCHES.length * PER_BATCH} training images`);
  batches.forEach(([from, to], k) => {
    const out = new Uint8Array((to! - from!) * RECORD);
    for (let i = from!; i < to!; i++) {
      const o = (i - from!) * RECORD;
      out[o] = set.labels[i]!;
      const src = i * 3 * PLANE;
      for (let p = 0; p < PLANE; p++) {
        out[o + 1 + p] = set.pixels[src + 3 * p]!;
        out[o + 1 + PLANE + p] = set.pixels[src + 3 * p + 1]!;
        out[o + 1 + 2 * PLANE + p] = set.pixels[src + 3 * p + 2]!;
      }
    }
    const file = join(dir, split === 'test' ? TEST_BATCH : TRAIN_BATCHES[k]!);
    writeFileAtomic(file, out);
    files.push(file);
  });
  writeFileAtomic(join(dir, 'batches.meta.txt'), `${CIFAR10_CLASSES.join('\n')}\n`);
  return files;
}

/** Read JPEG records (at most `limit`) from one file, for converters and tests. */
export function readCifar10JpegRecords(file: string, limit?: number): ImageSet {
  const { pixels, labels } = readJpegRecords(file, limit);
  return { pixels, labels, count: labels.length, height: SIDE, width: SIDE, channels: 3, classes: 10, mean: CIFAR10_MEAN, std: CIFAR10_STD, description: `CIFAR-10 (JPEG re-encoding) records of ${file}` };
}
