import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/errors.ts';
import { Rng } from '../../src/util/rng.ts';
import { readIdx, readIdxSplit, VENDORED_FASHION_MNIST_DIR } from '../../src/accuracy/idx-dataset.ts';
import { sampleImages } from '../../src/accuracy/image-set.ts';

test('the vendored Fashion-MNIST subset reads as 2,000 + 500 grey 28x28 byte images (0..255) with labels 0..9', () => {
  const train = readIdxSplit(VENDORED_FASHION_MNIST_DIR, 'train');
  const test10k = readIdxSplit(VENDORED_FASHION_MNIST_DIR, 't10k');
  assert.deepEqual([train.count, train.height, train.width, train.classes], [2000, 28, 28, 10]);
  assert.deepEqual([test10k.count, test10k.height, test10k.width], [500, 28, 28]);
  assert.equal(train.pixels.length, 2000 * 28 * 28);
  assert.equal(train.channels, 1);
  let lo = Infinity, hi = -Infinity;
  for (const v of train.pixels) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  assert.equal(lo, 0);
  assert.equal(hi, 255);
  const seen = new Set(train.labels);
  assert.deepEqual([...seen].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('sampleImages is a seeded draw without replacement', () => {
  const train = readIdxSplit(VENDORED_FASHION_MNIST_DIR, 'train');
  const a = sampleImages(train, 100, new Rng(7));
  const b = sampleImages(train, 100, new Rng(7));
  const c = sampleImages(train, 100, new Rng(8));
  assert.deepEqual(a.labels, b.labels);
  assert.deepEqual(a.pixels, b.pixels);
  assert.notDeepEqual(a.pixels, c.pixels);
  assert.throws(() => sampleImages(train, 2001, new Rng(1)), InputError);
});

test('a file that is not IDX is an InputError naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hwnas-idx-'));
  const file = join(dir, 'bad-idx1-ubyte');
  writeFileSync(file, Buffer.from([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]));
  assert.throws(() => readIdx(file), (e: unknown) => e instanceof InputError && e.message.includes(file) && e.message.includes('element type'));
  assert.throws(() => readIdxSplit(dir, 'train'), (e: unknown) => e instanceof InputError && e.code === 'io');
});
