import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VENDORED_FASHION_MNIST_DIR } from '../../src/accuracy/idx-dataset.ts';
import { proxyTrainSource } from '../../src/accuracy/proxy-train.ts';
import { Study } from '../../src/run/study.ts';
import { loadSpace } from '../../src/space/space-registry.ts';
import { tempDir } from '../helpers/cli.ts';

/** A chain space small enough to train in well under a second per epoch: 3² architectures on 16×16 grey images. */
const TINY_SPACE = {
  id: 'tiny-chain', family: 'chain', description: 'two searchable layers on 16x16 grey images (a test space)', input: [1, 16, 16], classes: 10,
  stem: [{ op: 'conv', channels: 8, kernel: 3, stride: 2, act: 'relu' }],
  stages: [{ layers: 2, channels: 16, stride: 2 }],
  blocks: { identity: { op: 'identity' }, mb3_k3: { op: 'mbconv', expand: 3, kernel: 3, act: 'relu' }, mb6_k5: { op: 'mbconv', expand: 6, kernel: 5, act: 'relu' } },
  choices: ['identity', 'mb3_k3', 'mb6_k5'],
  head: [{ op: 'conv', channels: 32, kernel: 1, stride: 1, act: 'relu' }],
  encoding: { kind: 'digits' },
};

test('multi-fidelity proxy training: each rung really trains for its epochs', { timeout: 300_000 }, async () => {
  const file = join(tempDir(), 'tiny-chain.json');
  writeFileSync(file, JSON.stringify(TINY_SPACE));
  const space = loadSpace(file);
  // Grey images for a grey network: Fashion-MNIST (28 px, resized to 16).
  const setting = { trainSize: 64, testSize: 64, batchSize: 32, seed: 2, dataDir: VENDORED_FASHION_MNIST_DIR };
  const study = await Study.create({
    space, devices: [], objectives: [{ metric: 'accuracy', direction: 'max' }, { metric: 'flops', direction: 'min' }],
    strategy: 'random', accuracy: proxyTrainSource(setting), budget: 3, batchSize: 3, seed: 1,
    fidelity: { schedule: 'sh', minEpochs: 1, maxEpochs: 3, eta: 3 },
  });
  const [target] = (await study.run()).targets;
  const records = target!.records.filter((r) => r.outcome.status === 'ok');
  assert.equal(records.length, 3);
  const metrics = (r: (typeof records)[number]) => (r.outcome as { metrics: Record<string, number> }).metrics;
  const promoted = records.filter((r) => metrics(r).fidelityEpochs === 3);
  assert.equal(promoted.length, 1, 'the top third of three goes on');
  assert.deepEqual(records.filter((r) => metrics(r).fidelityEpochs === 1).map((r) => metrics(r).accuracyAt3Epochs), [undefined, undefined]);

  // The same training outside the study, one epoch and three: the rungs hold exactly these.
  const check = proxyTrainSource(setting);
  try {
    const g = promoted[0]!.genotype;
    const m = metrics(promoted[0]!);
    const three = await check.metrics(space, g, { epochs: 3 });
    const own = await check.metrics(space, g);
    assert.equal(m.accuracyAt3Epochs, three.accuracy);
    assert.equal(m.accuracy, three.accuracy);
    assert.equal(m.accuracyAt1Epochs, own.accuracy, 'the first rung is the source\'s own 1 epoch');
    assert.notEqual(m.accuracyAt1Epochs, m.accuracyAt3Epochs, 'three epochs of training give another network than one');
    assert.ok(m.totalTrainMs! > m.trainMs!, 'totalTrainMs adds both rungs');
  } finally {
    await check.close?.();
  }
});
