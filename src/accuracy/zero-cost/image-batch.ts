import { InputError } from '../../errors.ts';
import { readIdxSplit, VENDORED_FASHION_MNIST_DIR, type IdxSplit } from '../idx-dataset.ts';
import type { ImageSet } from '../image-set.ts';
import type { Rng } from '../../util/rng.ts';

/**
 * The real image batch we have: Fashion-MNIST (Xiao et al. 2017, vendored under
 * `data/fashion-mnist-subset/`: 2,000 train and 500 test images), since CIFAR-10 is not vendored. Each 28×28 grey image is zero-padded by 2
 * to 32×32 (block-averaged down to a `size` dividing 32, or resized nearest-neighbour to any other
 * `size`, e.g. 224 for ImageNet spaces), scaled to [0, 1], normalised with the
 * dataset mean 0.2860 and std 0.3530, and tiled to `channels` channels. Layout NHWC.
 */
export interface ImageBatch {
  /** `n·size·size·channels` values, NHWC. */
  readonly pixels: Float32Array;
  /** Class labels 0–9. */
  readonly labels: Int32Array;
  readonly n: number;
  readonly size: number;
  readonly channels: number;
}

const MEAN = 0.286;
const STD = 0.353;

const cache = new Map<string, ImageSet>();

/** A split of the vendored subset, read once per process (src/accuracy/idx-dataset.ts). */
function split(name: IdxSplit): ImageSet {
  let set = cache.get(name);
  if (!set) {
    set = readIdxSplit(VENDORED_FASHION_MNIST_DIR, name);
    cache.set(name, set);
  }
  return set;
}

export interface BatchOptions {
  /** Images in the batch. */
  n: number;
  /** Side of the square output (≤ 32: 32 pads, less block-averages the padded 32×32). @defaultValue 32 */
  size?: number;
  /** Channels to tile the grey image to. @defaultValue 3 */
  channels?: number;
  /** @defaultValue 'train' */
  split?: 'train' | 't10k';
  /** Draw the images at random without replacement (else the first `n`, offset by `offset`). */
  rng?: Rng;
  /** @defaultValue 0 */
  offset?: number;
}

/** A batch of Fashion-MNIST images prepared as described on {@link ImageBatch}. */
export function imageBatch(o: BatchOptions): ImageBatch {
  const size = o.size ?? 32;
  const channels = o.channels ?? 3;
  if (!Number.isInteger(size) || size < 1) throw new InputError('bad-flag', 'image size must be a positive integer', { actual: String(size) });
  const src = split(o.split ?? 'train');
  const pixels = new Float32Array(o.n * size * size * channels);
  const labels = new Int32Array(o.n);
  const f = 32 / size;
  if (o.rng && o.n > src.count) throw new InputError('bad-flag', 'more images asked than the subset holds', { expected: `at most ${src.count}`, actual: String(o.n) });
  // Random draw without replacement (a repeated image would make NASWOT's kernel singular):
  // redraw on a repeat, so a draw that had no repeat is the same as a plain uniform draw.
  const taken = new Set<number>();
  for (let b = 0; b < o.n; b++) {
    let k = ((o.offset ?? 0) + b) % src.count;
    if (o.rng) {
      do k = o.rng.int(src.count);
      while (taken.has(k));
      taken.add(k);
    }
    labels[b] = src.labels[k]!;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        if (32 % size !== 0) {
          // sizes that do not divide 32 (ImageNet spaces: 160-224): nearest-neighbour resize of the padded 32×32
          const py = Math.floor((y * 32) / size) - 2;
          const px = Math.floor((x * 32) / size) - 2;
          const v = ((py >= 0 && py < 28 && px >= 0 && px < 28 ? src.pixels[k * 784 + py * 28 + px]! / 255 : 0) - MEAN) / STD;
          const base = ((b * size + y) * size + x) * channels;
          for (let c = 0; c < channels; c++) pixels[base + c] = v;
          continue;
        }
        let s = 0;
        for (let dy = 0; dy < f; dy++) {
          for (let dx = 0; dx < f; dx++) {
            const py = y * f + dy - 2;
            const px = x * f + dx - 2;
            s += py >= 0 && py < 28 && px >= 0 && px < 28 ? src.pixels[k * 784 + py * 28 + px]! / 255 : 0;
          }
        }
        const v = (s / (f * f) - MEAN) / STD;
        const base = ((b * size + y) * size + x) * channels;
        for (let c = 0; c < channels; c++) pixels[base + c] = v;
      }
    }
  }
  return { pixels, labels, n: o.n, size, channels };
}
