import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from '../../src/graph/graph-builder.ts';
import type { ModelGraph } from '../../src/graph/model-graph.ts';
import { toOnnx } from '../../src/graph/onnx-export.ts';
import { loadSpace } from '../../src/space/space-registry.ts';
import { buildTfjsModel, nchwToNhwc } from '../../src/runtime/tfjs/tfjs-model.ts';
import { onnxWeights } from '../../src/runtime/tfjs/onnx-weights.ts';
import { useTfjsBackend } from '../../src/runtime/tfjs/tfjs-backends.ts';

/** Every IR op once, on a small input: grouped, depthwise and strided convs, padded pools, all activations. */
function everyOpGraph(): ModelGraph {
  const b = new GraphBuilder('every-op', [4, 9, 9]);
  let x = b.conv(b.input, 8, { kernel: 3, stride: 2, pad: 1, bias: true });
  x = b.act(b.batchnorm(x), 'relu');
  const g = b.conv(x, 8, { kernel: 3, groups: 2 });
  const sh = b.channelShuffle(b.act(g, 'hswish'), 2);
  const dw = b.act(b.conv(sh, 16, { kernel: 5, stride: 1, groups: 8 }), 'relu6');
  const mp = b.maxpool(b.act(x, 'swish'), 3, 1, 1);
  const ap = b.avgpool(b.act(x, 'sigmoid'), 3, 1, 1);
  const cat = b.concat(mp, ap);
  const se = b.act(b.conv(b.globalAvgPool(cat), 16, { kernel: 1, bias: true }), 'hsigmoid');
  const sum = b.add(b.mul(cat, se), dw, b.zero(dw));
  const pooled = b.avgpool(sum, 2, 2, 0);
  return b.build(b.linear(b.flatten(pooled), 7));
}

async function compare(graph: ModelGraph, seed: number): Promise<void> {
  const [c, h, w] = graph.input as [number, number, number];
  const data = Float32Array.from({ length: c * h * w }, (_, i) => Math.sin(i * 0.37) * 2);
  const session = await ort.InferenceSession.create(toOnnx(graph, { seed }));
  const expected = (await session.run({ input: new ort.Tensor('float32', data, [1, c, h, w]) }))['output']!.data as Float32Array;
  await session.release();
  const model = buildTfjsModel(graph, { weights: onnxWeights(graph, { seed }) });
  const x = tf.tidy(() => nchwToNhwc(tf.tensor4d(data, [1, c, h, w])));
  const y = model.forward(x);
  const got = await y.data();
  assert.deepEqual(y.shape, [1, expected.length]);
  const scale = Math.max(1, ...Array.from(expected, Math.abs));
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(got[i]! - expected[i]!) <= 1e-4 * scale, `${graph.name} logit ${i}: tfjs ${got[i]} vs ORT ${expected[i]}`);
  }
  x.dispose();
  y.dispose();
  model.dispose();
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(`tfjs-${backend} computes the same logits as ORT on identical weights`, async () => {
    await useTfjsBackend(backend);
    const before = tf.memory().numTensors;
    await compare(everyOpGraph(), 5);
    const nb201 = loadSpace('nb201');
    await compare(nb201.build(nb201.decode('|nor_conv_3x3~0|+|none~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|avg_pool_3x3~2|')), 1);
    assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
  });
}
