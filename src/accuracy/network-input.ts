import { InputError } from '../errors.ts';
import type { Rng } from '../util/rng.ts';
import type { ImageSet } from './image-set.ts';

/**
 * How images of a data set become the input batch of a network as its space builds it — one rule for
 * proxy training, the data-dependent zero-cost proxies and the supernet:
 *
 * 1. optionally the standard CIFAR augmentation ({@link AugmentDraw}): a random 32×32 crop of the image
 *    zero-padded (black) by 4 pixels, then a left–right flip with probability ½ (He et al., CVPR 2016);
 * 2. each pixel scaled to [0, 1] and normalised per channel with the set's mean and std;
 * 3. resized to the network's input height × width when it differs, bilinearly with half-pixel
 *    centres (PyTorch `interpolate(align_corners=False)`, torchvision `Resize` without antialias):
 *    CIFAR-10's 32 px images are upsampled to 224 px for the ImageNet spaces, so every layer runs at
 *    the resolution it is built and deployed for;
 * 4. a grey image repeated over the network's input channels.
 *
 * Layout NHWC, `n · H · W · C` floats.
 */

/** One image's augmentation: crop offsets in [-4, 4] (pixels) and a flip. */
export interface AugmentDraw {
  readonly dy: number;
  readonly dx: number;
  readonly flip: boolean;
}

/** Padding of the random crop, in pixels (the CIFAR convention). */
export const CROP_PADDING = 4;

/** The augmentation of each of `n` images, drawn in order from `rng`. */
export function drawAugmentation(n: number, rng: Rng): AugmentDraw[] {
  return Array.from({ length: n }, () => ({ dy: rng.int(2 * CROP_PADDING + 1) - CROP_PADDING, dx: rng.int(2 * CROP_PADDING + 1) - CROP_PADDING, flip: rng.int(2) === 1 }));
}

/** Check that images of `set` can feed a `[C, H, W]` input: same channels, or grey images. */
export function checkImageInput(set: Pick<ImageSet, 'channels'>, input: readonly number[]): void {
  const c = input[0]!;
  if (input.length !== 3) throw new InputError('incompatible', 'the network needs a [C,H,W] image input', { actual: `[${input.join(',')}]` });
  if (set.channels !== 1 && set.channels !== c) {
    throw new InputError('incompatible', `images with ${set.channels} channels cannot feed a network input of ${c} channels`, { path: '--data', expected: `a data set with 1 or ${c} channels`, actual: String(set.channels) });
  }
}

/**
 * The network input `[n, H, W, C]` (NHWC floats) for images `idx` of `set` and a graph input
 * `[C, H, W]`, following the steps above; `augment[i]` is image i's draw (none: no augmentation).
 */
export function networkInput(set: ImageSet, idx: readonly number[], input: readonly number[], augment?: readonly AugmentDraw[]): Float32Array {
  checkImageInput(set, input);
  const [c, h, w] = input as [number, number, number];
  const sh = set.height;
  const sw = set.width;
  const sc = set.channels;
  const px = sh * sw * sc;
  // Normalised image at the set's size, channels of the set.
  const img = new Float32Array(px);
  const black = set.mean.map((m, ch) => -m / set.std[ch]!);
  const out = new Float32Array(idx.length * h * w * c);
  // Bilinear taps per output row / column (half-pixel centres, edges clamped).
  const taps = (outN: number, inN: number) => Array.from({ length: outN }, (_, o) => {
    const s = Math.min(Math.max((o + 0.5) * (inN / outN) - 0.5, 0), inN - 1);
    const a = Math.floor(s);
    const b = Math.min(a + 1, inN - 1);
    return { a, b, t: s - a };
  });
  const rows = taps(h, sh);
  const cols = taps(w, sw);
  idx.forEach((src, i) => {
    const base = src * px;
    const aug = augment?.[i];
    for (let y = 0; y < sh; y++) {
      for (let x = 0; x < sw; x++) {
        // Augmented pixel (y, x) comes from (y + dy, x' + dx) of the image, x' flipped; outside is black.
        const yy = aug ? y + aug.dy : y;
        const xx = aug ? (aug.flip ? sw - 1 - x : x) + aug.dx : x;
        const inside = yy >= 0 && yy < sh && xx >= 0 && xx < sw;
        for (let ch = 0; ch < sc; ch++) {
          img[(y * sw + x) * sc + ch] = inside ? (set.pixels[base + (yy * sw + xx) * sc + ch]! / 255 - set.mean[ch]!) / set.std[ch]! : black[ch]!;
        }
      }
    }
    const o0 = i * h * w * c;
    for (let y = 0; y < h; y++) {
      const r = rows[y]!;
      const ra = r.a * sw;
      const rb = r.b * sw;
      for (let x = 0; x < w; x++) {
        const q = cols[x]!;
        const o = o0 + (y * w + x) * c;
        for (let ch = 0; ch < c; ch++) {
          const k = sc === 1 ? 0 : ch;
          const aa = img[(ra + q.a) * sc + k]!;
          const ab = img[(ra + q.b) * sc + k]!;
          const ba = img[(rb + q.a) * sc + k]!;
          const bb = img[(rb + q.b) * sc + k]!;
          const top = aa + (ab - aa) * q.t;
          const bottom = ba + (bb - ba) * q.t;
          out[o + ch] = top + (bottom - top) * r.t;
        }
      }
    }
  });
  return out;
}
