import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCifar10Binary } from '../../src/accuracy/cifar10-dataset.ts';
import { imageSplitInfo, readImageSplit, sampleImageSplit } from '../../src/accuracy/image-data.ts';
import { sampleImages, type ImageSet } from '../../src/accuracy/image-set.ts';
import { drawAugmentation, networkInput } from '../../src/accuracy/network-input.ts';
import { InputError } from '../../src/errors.ts';
import { Rng } from '../../src/util/rng.ts';

/** Two 4×4 RGB images: image 0 pixel (y, x) = 10·y + x on R, 100 on G, 200 on B; image 1 all 50. */
function tinySet(): ImageSet {
  const pixels = new Uint8Array(2 * 4 * 4 * 3);
  for (let y = 0; y < 4; y++) {
    for (let x = 0; x < 4; x++) {
      const o = (y * 4 + x) * 3;
      pixels.set([10 * y + x, 100, 200], o);
      pixels.set([50, 50, 50], 48 + o);
    }
  }
  return { pixels, labels: Uint8Array.from([3, 7]), count: 2, height: 4, width: 4, channels: 3, classes: 10, mean: [0.5, 0.25, 0.75], std: [0.5, 0.25, 0.25], description: 'test' };
}

const norm = (v: number, ch: number) => (v / 255 - [0.5, 0.25, 0.75][ch]!) / [0.5, 0.25, 0.25][ch]!;
const at = (a: Float32Array, w: number, c: number, y: number, x: number, ch: number, i = 0, h = w) => a[((i * h + y) * w + x) * c + ch]!;

test('network input: per-channel normalisation at the same size, bilinear upsampling, grey repeated over channels', () => {
  const s = tinySet();
  const same = networkInput(s, [0, 1], [3, 4, 4]);
  assert.equal(same.length, 2 * 4 * 4 * 3);
  for (const [y, x] of [[0, 0], [2, 3], [3, 1]] as const) {
    assert.ok(Math.abs(at(same, 4, 3, y, x, 0) - norm(10 * y + x, 0)) < 1e-6);
    assert.ok(Math.abs(at(same, 4, 3, y, x, 2) - norm(200, 2)) < 1e-6);
  }
  // Upsampled 4 → 8 (half-pixel centres): a constant image stays constant; a horizontal ramp stays
  // monotone with the edge pixels clamped and the midpoint between source pixels 1 and 2 interpolated.
  const up = networkInput(s, [1, 0], [3, 8, 8]);
  for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) assert.ok(Math.abs(at(up, 8, 3, y, x, 1) - norm(50, 1)) < 1e-6);
  const row = Array.from({ length: 8 }, (_, x) => at(up, 8, 3, 0, x, 0, 1));
  assert.ok(Math.abs(row[0]! - norm(0, 0)) < 1e-6 && Math.abs(row[7]! - norm(3, 0)) < 1e-6);
  for (let x = 1; x < 8; x++) assert.ok(row[x]! >= row[x - 1]! - 1e-6);
  // Output x = 3.5 in source space is 1.5: between pixels 1 and 2, 3/4 of the way from 1 (x=3 → 1.25).
  assert.ok(Math.abs(at(up, 8, 3, 0, 3, 0, 1) - norm(1.25, 0)) < 1e-5);
  // A grey set feeds a 3-channel network: the same value on every channel.
  const grey: ImageSet = { ...s, channels: 1, pixels: Uint8Array.from({ length: 32 }, (_, i) => i * 7), mean: [0.3], std: [0.2] };
  const g = networkInput(grey, [0], [3, 4, 4]);
  assert.equal(at(g, 4, 3, 1, 2, 0), at(g, 4, 3, 1, 2, 2));
  assert.throws(() => networkInput(s, [0], [1, 4, 4]), (e: unknown) => e instanceof InputError && /3 channels cannot feed a network input of 1/.test(e.message));
});

test('augmentation: a flip mirrors rows, a crop shifts them with black padding, draws are seeded', () => {
  const s = tinySet();
  const flipped = networkInput(s, [0], [3, 4, 4], [{ dy: 0, dx: 0, flip: true }]);
  for (let x = 0; x < 4; x++) assert.ok(Math.abs(at(flipped, 4, 3, 2, x, 0) - norm(20 + 3 - x, 0)) < 1e-6);
  const shifted = networkInput(s, [0], [3, 4, 4], [{ dy: 1, dx: -1, flip: false }]);
  // Output (y, x) reads source (y + 1, x − 1); column 0 and the last row fall outside: black.
  assert.ok(Math.abs(at(shifted, 4, 3, 0, 2, 0) - norm(10 + 1, 0)) < 1e-6);
  for (let ch = 0; ch < 3; ch++) {
    assert.ok(Math.abs(at(shifted, 4, 3, 0, 0, ch) - norm(0, ch)) < 1e-6);
    assert.ok(Math.abs(at(shifted, 4, 3, 3, 2, ch) - norm(0, ch)) < 1e-6);
  }
  const a = drawAugmentation(50, new Rng(4));
  assert.deepEqual(drawAugmentation(50, new Rng(4)), a);
  assert.ok(a.every((d) => Math.abs(d.dx) <= 4 && Math.abs(d.dy) <= 4));
  assert.ok(a.some((d) => d.flip) && a.some((d) => !d.flip) && new Set(a.map((d) => d.dx)).size > 3);
});

test('a seeded draw from a CIFAR-10 binary folder decodes only the drawn images and equals drawing from the whole split', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hwnas-cifar-'));
  const n = 40;
  const pixels = Uint8Array.from({ length: n * 3072 }, (_, i) => (i * 31 + (i >> 10)) & 255);
  const set: ImageSet = { pixels, labels: Uint8Array.from({ length: n }, (_, i) => i % 10), count: n, height: 32, width: 32, channels: 3, classes: 10, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25], description: '' };
  writeCifar10Binary(set, dir, 'train');
  writeCifar10Binary({ ...set, count: 10, pixels: pixels.subarray(0, 10 * 3072), labels: set.labels.subarray(0, 10) }, dir, 'test');
  assert.deepEqual(imageSplitInfo(dir, 'train'), { count: 40, description: `CIFAR-10 binary batches in ${dir}: 40 training images` });
  const drawn = sampleImageSplit(dir, 'train', 12, new Rng(9).fork('x'));
  const whole = sampleImages(readImageSplit(dir, 'train'), 12, new Rng(9).fork('x'));
  assert.deepEqual(drawn.labels, whole.labels);
  assert.deepEqual(drawn.pixels, whole.pixels);
  assert.match(drawn.description, /40 training images/);
  assert.throws(() => sampleImageSplit(dir, 'test', 11, new Rng(1), { count: '--test-images' }), (e: unknown) => e instanceof InputError && e.path === '--test-images' && /split of 10/.test(e.message));
});
