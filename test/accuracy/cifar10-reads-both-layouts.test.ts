import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/errors.ts';
import { CIFAR10_MEAN, CIFAR10_STD, readCifar10Split, VENDORED_CIFAR10_DIR, writeCifar10Binary } from '../../src/accuracy/cifar10-dataset.ts';
import { firstImages } from '../../src/accuracy/image-set.ts';
import { readImageSplit, DEFAULT_IMAGE_DATA_DIR } from '../../src/accuracy/image-data.ts';
import { VENDORED_FASHION_MNIST_DIR } from '../../src/accuracy/idx-dataset.ts';

test('the vendored CIFAR-10 subset is 10,000 + 2,000 real 32x32 RGB images whose channel statistics are CIFAR-10\'s', () => {
  const train = readCifar10Split(VENDORED_CIFAR10_DIR, 'train');
  const testSet = readCifar10Split(VENDORED_CIFAR10_DIR, 'test');
  assert.deepEqual([train.count, train.height, train.width, train.channels, train.classes], [10000, 32, 32, 3, 10]);
  assert.equal(testSet.count, 2000);
  assert.equal(train.pixels.length, 10000 * 32 * 32 * 3);
  assert.equal(DEFAULT_IMAGE_DATA_DIR, VENDORED_CIFAR10_DIR);
  // Every class is present in roughly its share (the records are a shuffled sample of a balanced set).
  const perClass = new Array(10).fill(0);
  for (const l of train.labels) perClass[l]++;
  for (const n of perClass) assert.ok(n > 850 && n < 1150, `class count ${n}`);
  // Per-channel mean and std of the real pixels match the published CIFAR-10 statistics.
  for (let c = 0; c < 3; c++) {
    let s = 0, s2 = 0;
    for (let i = c; i < train.pixels.length; i += 3) {
      const v = train.pixels[i]! / 255;
      s += v;
      s2 += v * v;
    }
    const n = train.pixels.length / 3;
    const mean = s / n;
    const std = Math.sqrt(s2 / n - mean * mean);
    assert.ok(Math.abs(mean - CIFAR10_MEAN[c]!) < 0.01, `channel ${c} mean ${mean}`);
    assert.ok(Math.abs(std - CIFAR10_STD[c]!) < 0.01, `channel ${c} std ${std}`);
  }
});

test('the binary release layout round-trips: written batches read back to the same pixels and labels', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hwnas-cifar-'));
  try {
    const src = readCifar10Split(VENDORED_CIFAR10_DIR, 'test');
    const train = firstImages(readCifar10Split(VENDORED_CIFAR10_DIR, 'train'), 25);
    const test10 = firstImages(src, 10);
    writeCifar10Binary(train, join(dir, 'cifar-10-batches-bin'), 'train');
    writeCifar10Binary(test10, join(dir, 'cifar-10-batches-bin'), 'test');
    // The parent of cifar-10-batches-bin is accepted too, as users unpack the release there.
    for (const d of [dir, join(dir, 'cifar-10-batches-bin')]) {
      const a = readCifar10Split(d, 'train');
      const b = readCifar10Split(d, 'test');
      assert.equal(a.count, 25);
      assert.deepEqual(a.pixels, train.pixels);
      assert.deepEqual(a.labels, train.labels);
      assert.deepEqual(b.pixels, test10.pixels);
      assert.match(a.description, /binary batches/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the data folder may hold IDX files instead (Fashion-MNIST): grey images, 1 channel', () => {
  const s = readImageSplit(VENDORED_FASHION_MNIST_DIR, 'test');
  assert.deepEqual([s.count, s.height, s.width, s.channels], [500, 28, 28, 1]);
});

test('malformed CIFAR-10 files are InputErrors naming the file, the flag and what was expected', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hwnas-cifar-bad-'));
  try {
    writeFileSync(join(dir, 'data_batch_1.bin'), new Uint8Array(3073 * 2 + 5));
    writeFileSync(join(dir, 'test_batch.bin'), Uint8Array.from({ length: 3073 }, (_, i) => (i === 0 ? 11 : 0)));
    assert.throws(() => readCifar10Split(dir, 'train'), (e: unknown) => e instanceof InputError && e.message.includes('data_batch_1.bin') && e.message.includes('multiple of 3073'));
    assert.throws(() => readCifar10Split(dir, 'test'), (e: unknown) => e instanceof InputError && e.message.includes('test_batch.bin') && e.message.includes('label 11'));
    writeFileSync(join(dir, 'cifar10-test.jpgrec'), Uint8Array.from([3, 200, 0, 1, 2]));
    rmSync(join(dir, 'test_batch.bin'));
    assert.throws(() => readCifar10Split(dir, 'test'), (e: unknown) => e instanceof InputError && e.message.includes('cut short'));
    const empty = mkdtempSync(join(tmpdir(), 'hwnas-cifar-empty-'));
    assert.throws(() => readImageSplit(empty, 'train', 'settings.data'), (e: unknown) => e instanceof InputError && e.path === 'settings.data' && e.message.includes('data_batch_1.bin'));
    assert.throws(() => readImageSplit(join(empty, 'nope'), 'train'), (e: unknown) => e instanceof InputError && e.path === '--data');
    rmSync(empty, { recursive: true, force: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
