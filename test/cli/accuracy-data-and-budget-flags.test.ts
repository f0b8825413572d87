import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { getAccuracySource } from '../../src/accuracy/accuracy-registry.ts';
import { InputError } from '../../src/errors.ts';
import { loadSpace } from '../../src/space/space-registry.ts';
import { runCli } from '../helpers/cli.ts';

const SPACE = fileURLToPath(new URL('../accuracy/fixtures/tiny-chain.json', import.meta.url));
const FASHION = fileURLToPath(new URL('../../data/fashion-mnist-subset', import.meta.url));

test('--data and the training budget flags are checked on search, eval, compare and worker, each error naming its flag', async () => {
  const cases: [string[], RegExp][] = [
    [['search', '--accuracy', 'proxy-train', '--data', '/no/such/folder'], /--data.*no such data folder|no such data folder.*--data/],
    [['eval', '--space', SPACE, '--arch', '000', '--metrics', 'accuracy', '--accuracy', 'proxy-train', '--data', SPACE], /--data/],
    [['search', '--accuracy', 'proxy-train', '--train-epochs', '0'], /--train-epochs.*\[1, 1000\]/],
    [['eval', '--space', SPACE, '--arch', '000', '--train-images', '20000'], /--train-images.*10,?000|10000/],
    [['search', '--test-images', '2001'], /--test-images.*2000/],
    [['compare', '--train-batch', '1'], /--train-batch/],
    [['worker', '--redis', 'redis://127.0.0.1:1', '--accuracy', 'proxy-train', '--train-lr', '-0.1'], /--train-lr/],
    [['search', '--train-lr', 'fast'], /--train-lr.*not a valid number/],
  ];
  for (const [argv, message] of cases) {
    const r = await runCli(argv);
    assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
    assert.match(r.err, message, argv.join(' '));
    assert.equal(r.err.trim().split('\n').length, 1, `one line: ${r.err}`);
  }
});

test('the library names the settings field: data, training.epochs, an unknown budget field', async () => {
  const space = loadSpace('nasbench-macro');
  const field = (path: string) => (e: unknown) => e instanceof InputError && e.path === path;
  await assert.rejects(getAccuracySource('proxy-train', space, { seed: 0, jobs: 1, data: '/no/such/folder' }), field('data'));
  await assert.rejects(getAccuracySource('zero-cost:naswot', space, { seed: 0, jobs: 1, data: '/no/such/folder' }), field('data'));
  await assert.rejects(getAccuracySource('proxy-train', space, { seed: 0, jobs: 1, training: { epochs: 0 } }), field('training.epochs'));
  await assert.rejects(getAccuracySource('proxy-train', space, { seed: 0, jobs: 1, training: { trainImages: 10_001 } }), field('training.trainImages'));
  await assert.rejects(getAccuracySource('proxy-train', space, { seed: 0, jobs: 1, training: { epoch: 2 } as never }), field('training.epoch'));
  // The description says what the data and the budget are.
  const src = await getAccuracySource('proxy-train', space, { seed: 0, jobs: 1, training: { epochs: 2, trainImages: 500, augment: true } });
  assert.match(src.description, /2 epoch\(s\) on 500 images drawn from CIFAR-10 \(JPEG re-encoding\), vendored subset: 10,000 training images, augmented/);
  const fashion = await getAccuracySource('proxy-train', space, { seed: 0, jobs: 1, data: FASHION });
  assert.match(fashion.description, /Fashion-MNIST, vendored subset: 2,000 training images/);
  const naswot = await getAccuracySource('zero-cost:naswot', space, { seed: 0, jobs: 1 });
  assert.match(naswot.description, /batch of 64 images drawn from CIFAR-10 \(JPEG re-encoding\), vendored subset: 10,000 training images/);
});

test('Fashion-MNIST stays usable with --data: zero-cost:naswot on it scores, and differs from CIFAR-10', async () => {
  const args = ['eval', '--space', SPACE, '--arch', '121', '--metrics', 'accuracy', '--accuracy', 'zero-cost:naswot'];
  const cifar = await runCli(args);
  const fashion = await runCli([...args, '--data', FASHION]);
  assert.equal(cifar.code, 0, cifar.err);
  assert.equal(fashion.code, 0, fashion.err);
  const score = (out: string) => Number(out.trim().split('\n')[1]!.split(',')[1]);
  assert.ok(Number.isFinite(score(cifar.out)) && Number.isFinite(score(fashion.out)));
  assert.notEqual(score(cifar.out), score(fashion.out));
});
