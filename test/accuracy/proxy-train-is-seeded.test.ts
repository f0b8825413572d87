import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { GraphBuilder } from '../../src/graph/graph-builder.ts';
import { getAccuracySource } from '../../src/accuracy/accuracy-registry.ts';
import { loadProxyData, proxyTrain, proxyTrainFactory } from '../../src/accuracy/proxy-train.ts';
import { InputError } from '../../src/errors.ts';
import { loadSpace } from '../../src/space/space-registry.ts';

/** A tiny conv net with the input of the benchmark spaces (3×32×32, 10 classes). */
function tinyNet() {
  const b = new GraphBuilder('tiny', [3, 32, 32]);
  let x = b.act(b.batchnorm(b.conv(b.input, 8, { kernel: 3, stride: 2 })), 'relu');
  x = b.act(b.batchnorm(b.conv(x, 8, { kernel: 3, stride: 1, groups: 8 })), 'relu');
  return b.build(b.linear(b.flatten(b.globalAvgPool(x)), 10));
}

test('proxy training of a tiny net for 1 epoch on 256 images gives an accuracy in [0,100], the same twice for a seed', async () => {
  const opts = { epochs: 1, trainSize: 256, testSize: 100, batchSize: 64, seed: 3, backend: 'wasm' as const };
  const data = loadProxyData(opts);
  const tensorsBefore = tf.memory().numTensors;
  assert.equal(data.train.count, 256);
  assert.equal(data.test.count, 100);
  const a = await proxyTrain(tinyNet(), data, opts);
  const b = await proxyTrain(tinyNet(), loadProxyData(opts), opts);
  assert.ok(a.accuracy >= 0 && a.accuracy <= 100, `accuracy ${a.accuracy}`);
  assert.ok(Number.isFinite(a.finalLoss) && a.trainMs > 0);
  assert.equal(a.backend, 'wasm');
  assert.equal(b.accuracy, a.accuracy);
  assert.equal(b.finalLoss, a.finalLoss);
  assert.equal(tf.memory().numTensors, tensorsBefore, 'training frees every tensor it made');
});

test('proxy-train is a registered accuracy source and refuses a graph with fewer logits than classes', async () => {
  const src = await getAccuracySource('proxy-train', loadSpace('nasbench-macro'));
  assert.equal(src.metric, 'accuracy');
  assert.match(src.description, /not benchmark accuracy/);
  assert.equal(proxyTrainFactory.id, 'proxy-train');
  const b = new GraphBuilder('five-way', [1, 28, 28]);
  const g = b.build(b.linear(b.flatten(b.globalAvgPool(b.conv(b.input, 4, { kernel: 3 }))), 5));
  const opts = { trainSize: 8, testSize: 8, backend: 'cpu' as const };
  await assert.rejects(proxyTrain(g, loadProxyData(opts), opts), InputError);
});
