import assert from 'node:assert/strict';
import { test } from 'node:test';
import onnxProto from 'onnx-proto';
import { toOnnx } from '../../src/graph/onnx-export.ts';
import { loadSpace } from '../../src/space/space-registry.ts';

const space = loadSpace('nasbench-macro');
const graph = space.build(space.decode('02012100'));

test('same graph and seed give byte-identical ONNX; another seed other weights', () => {
  const a = toOnnx(graph, { seed: 3 });
  assert.deepEqual(toOnnx(graph, { seed: 3 }), a);
  assert.notDeepEqual(toOnnx(graph, { seed: 4 }), a);
});

test('conv weights are He-normal: mean 0, variance 2 / fan-in', () => {
  const model = onnxProto.onnx.ModelProto.decode(toOnnx(graph));
  assert.equal(Number(model.opsetImport[0]?.version), 13);
  // Head conv 1x1, 256 → 1280: fan-in 256, 327,680 weights.
  const head = model.graph?.initializer?.find((t) => (t.dims ?? []).map(Number).join(',') === '1280,256,1,1');
  assert.ok(head, 'head conv weight');
  const raw = head.rawData ?? new Uint8Array();
  const w = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const mean = w.reduce((s, v) => s + v, 0) / w.length;
  const variance = w.reduce((s, v) => s + (v - mean) ** 2, 0) / w.length;
  assert.ok(Math.abs(mean) < 0.01 * Math.sqrt(2 / 256), `mean ${mean}`);
  assert.ok(Math.abs(variance / (2 / 256) - 1) < 0.02, `variance ${variance} vs ${2 / 256}`);
});
