// CIFAR-10 JPEG records → the binary release layout (data_batch_1.bin … data_batch_5.bin,
// test_batch.bin, batches.meta.txt), the format users have from the official download. For
// developers: the development share holds CIFAR-10 only as JPEG records.
//
//   node --import tsx scripts/cifar10-to-binary.ts --from ../shared/data/cifar10 --out /tmp/cifar-10-batches-bin [--train N] [--test N]
//
// `--from` is a folder with cifar10-train.jpgrec[.gz] and cifar10-test.jpgrec[.gz] (the shared copy,
// or data/cifar10-subset/); --train / --test keep only the first N records of each (the record files
// are shuffled, so a prefix is a random sample). Decoded with jpeg-js: the pixels are those of the JPEG
// re-encoding, not bit-identical to the official binary release.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readCifar10JpegRecords, writeCifar10Binary } from '../src/accuracy/cifar10-dataset.ts';
import { firstImages } from '../src/accuracy/image-set.ts';

const { values } = parseArgs({ options: { from: { type: 'string' }, out: { type: 'string' }, train: { type: 'string' }, test: { type: 'string' } }, strict: true });
if (!values.from || !values.out) {
  console.error('usage: cifar10-to-binary.ts --from DIR --out DIR [--train N] [--test N]');
  process.exit(2);
}
const limit = (flag: string, v: string | undefined): number => {
  if (v === undefined) return Infinity;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${flag} must be a positive integer, got ${v}`);
    process.exit(2);
  }
  return n;
};
const t0 = performance.now();
for (const [split, n] of [['train', limit('train', values.train)], ['test', limit('test', values.test)]] as const) {
  const file = [`cifar10-${split}.jpgrec.gz`, `cifar10-${split}.jpgrec`].map((f) => join(values.from!, f)).find((f) => {
    try {
      return readCifar10JpegRecords(f, 1).count === 1;
    } catch {
      return false;
    }
  });
  if (!file) {
    console.error(`no cifar10-${split}.jpgrec[.gz] in ${values.from}`);
    process.exit(2);
  }
  const set = firstImages(readCifar10JpegRecords(file, n), n);
  const files = writeCifar10Binary(set, values.out, split);
  console.log(`${split}: ${set.count} images → ${files.join(', ')}`);
}
console.log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
