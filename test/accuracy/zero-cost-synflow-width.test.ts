import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nb201Family, type Nb201SpaceDef } from '../../src/space/nb201-space.ts';
import { synflow } from '../../src/accuracy/zero-cost/synflow.ts';
import { Rng } from '../../src/util/rng.ts';
import { forward, initParams, weightTensors } from '../../src/accuracy/zero-cost/graph-net.ts';
import * as tf from '@tensorflow/tfjs-core';

function space(width: number) {
  const def: Nb201SpaceDef = {
    id: `nb201-w${width}`, family: 'nb201-cell', input: [3, 16, 16], classes: 10,
    stemChannels: width, stageChannels: [width, 2 * width, 4 * width], cellsPerStage: 1, nodes: 4,
    ops: ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'],
  };
  return nb201Family.create(def, 'test');
}

test('synflow of a wider network exceeds that of a narrower one with the same cell', async () => {
  const arch = '|nor_conv_3x3~0|+|nor_conv_3x3~0|skip_connect~1|+|skip_connect~0|nor_conv_1x1~1|nor_conv_3x3~2|';
  const narrow = space(8);
  const wide = space(16);
  const a = await synflow(narrow.build(narrow.decode(arch)), new Rng(3));
  const b = await synflow(wide.build(wide.decode(arch)), new Rng(3));
  assert.ok(Number.isFinite(a.logScore) && Number.isFinite(b.logScore));
  assert.ok(b.logScore > a.logScore, `wide ${b.logScore} > narrow ${a.logScore}`);
});

test('log-scaled synflow equals a plain float32 synflow where that does not overflow', async () => {
  // One cell per stage on 16×16: small enough that the true R fits float32.
  const s = space(8);
  const graph = s.build(s.decode('|nor_conv_1x1~0|+|skip_connect~0|nor_conv_3x3~1|+|avg_pool_3x3~0|none~1|nor_conv_1x1~2|'));
  const r = await synflow(graph, new Rng(5));
  assert.ok(Math.abs(Math.log(r.score) - r.logScore) < 1e-9);
  // Same weights (same seed), no scaling: Σ|θ ⊙ ∂R/∂θ| directly.
  const plain = tf.tidy(() => {
    const params = initParams(graph, new Rng(5));
    const entries = weightTensors(params);
    const abs = entries.map(([, w]) => tf.abs(w));
    const x = tf.ones([1, 16, 16, 3]) as tf.Tensor4D;
    const grads = tf.grads((...ws: tf.Tensor[]) => {
      const weights = new Map(entries.map(([id], i) => [id, ws[i]!] as const));
      return tf.sum(forward(graph, params, x, { bn: 'identity', weights }).y) as tf.Scalar;
    })(abs);
    return grads.map((g, i) => tf.sum(tf.mul(g, abs[i]!)).dataSync()[0]!).reduce((a, b) => a + b, 0);
  });
  assert.ok(Number.isFinite(plain) && plain > 0);
  assert.ok(Math.abs(r.score / plain - 1) < 1e-4, `scaled ${r.score} vs plain ${plain}`);
});
