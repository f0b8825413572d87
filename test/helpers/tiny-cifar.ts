import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCifar10JpegRecords, VENDORED_CIFAR10_DIR, writeCifar10Binary } from '../../src/accuracy/cifar10-dataset.ts';

/**
 * A small real CIFAR-10 folder in the binary release layout: the first `train` and `test` images of
 * the vendored subset, decoded and written as `data_batch_*.bin` / `test_batch.bin` in a new
 * temporary folder (decoding only these few JPEGs keeps a test fast).
 */
export function tinyCifarDir(train: number, test: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'hwnas-tiny-cifar-'));
  writeCifar10Binary(readCifar10JpegRecords(join(VENDORED_CIFAR10_DIR, 'cifar10-train.jpgrec.gz'), train), dir, 'train');
  writeCifar10Binary(readCifar10JpegRecords(join(VENDORED_CIFAR10_DIR, 'cifar10-test.jpgrec.gz'), test), dir, 'test');
  return dir;
}
