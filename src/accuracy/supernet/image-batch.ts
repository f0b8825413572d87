import * as tf from '@tensorflow/tfjs-core';
import { imageBytes, type ImageSet } from '../image-set.ts';
import type { Rng } from '../../util/rng.ts';

/**
 * Batches of an {@link ImageSet} for the supernet: NHWC float32, each channel normalised with the
 * set's mean and std (x/255 − mean)/std, a grey image repeated over the network's channels.
 * Augmentation, when asked, is the standard CIFAR one (He et al., CVPR 2016, §4.2): a random 32×32
 * crop of the image zero-padded by 4 pixels (black before normalisation) and a random horizontal flip.
 */
export interface BatchAugment {
  /** Pixels of zero padding before the random crop (0 = no crop). */
  readonly pad: number;
  readonly flip: boolean;
  readonly rng: Rng;
}

/** Batch `[n, H, W, channels]` of the images at `idx`. */
export function normalisedBatch(set: ImageSet, idx: readonly number[], channels: number, augment?: BatchAugment): tf.Tensor4D {
  const { height: h, width: w } = set;
  const sc = set.channels;
  const px = imageBytes(set);
  const out = new Float32Array(idx.length * h * w * channels);
  const scale = Array.from({ length: channels }, (_, c) => 1 / (255 * set.std[sc === 1 ? 0 : c]!));
  const shift = Array.from({ length: channels }, (_, c) => set.mean[sc === 1 ? 0 : c]! / set.std[sc === 1 ? 0 : c]!);
  idx.forEach((src, i) => {
    const dy = augment && augment.pad > 0 ? augment.rng.int(2 * augment.pad + 1) - augment.pad : 0;
    const dx = augment && augment.pad > 0 ? augment.rng.int(2 * augment.pad + 1) - augment.pad : 0;
    const flip = augment?.flip === true && augment.rng.next() < 0.5;
    const base = src * px;
    for (let y = 0; y < h; y++) {
      const sy = y + dy;
      for (let x = 0; x < w; x++) {
        const sxRaw = x + dx;
        const sx = flip ? w - 1 - sxRaw : sxRaw;
        const o = ((i * h + y) * w + x) * channels;
        const inside = sy >= 0 && sy < h && sxRaw >= 0 && sxRaw < w;
        for (let c = 0; c < channels; c++) {
          const v = inside ? set.pixels[base + (sy * w + sx) * sc + (sc === 1 ? 0 : c)]! : 0;
          out[o + c] = v * scale[c]! - shift[c]!;
        }
      }
    }
  });
  return tf.tensor4d(out, [idx.length, h, w, channels]);
}

/** One-hot labels `[n, classes]` of the images at `idx`. */
export function oneHotLabels(set: ImageSet, idx: readonly number[]): tf.Tensor2D {
  return tf.tidy(() => tf.oneHot(tf.tensor1d(idx.map((i) => set.labels[i]!), 'int32'), set.classes) as tf.Tensor2D);
}
