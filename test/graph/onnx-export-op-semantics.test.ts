import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { GraphBuilder, type Tensor } from '../../src/graph/graph-builder.ts';
import { toOnnx } from '../../src/graph/onnx-export.ts';
import { Rng } from '../../src/util/rng.ts';

// Weight-free graphs on a known input: each exported op must compute what the IR says.
const C = 4, H = 3, W = 3;
const rng = new Rng(7);
const x = Float32Array.from({ length: C * H * W }, () => 3 * rng.normal());
const at = (c: number, h: number, w: number): number => x[c * H * W + h * W + w]!;
const map = (f: (v: number) => number): number[] => [...x].map(f);
const relu6 = (v: number): number => Math.min(6, Math.max(0, v));
const hsig = (v: number): number => relu6(v + 3) / 6;
const sigm = (v: number): number => 1 / (1 + Math.exp(-v));

async function runOnnx(build: (b: GraphBuilder, x: Tensor) => Tensor, opset: number): Promise<{ dims: readonly number[]; data: number[] }> {
  const b = new GraphBuilder('ops', [C, H, W]);
  const g = b.build(build(b, b.input));
  const s = await ort.InferenceSession.create(toOnnx(g, { opset }), { graphOptimizationLevel: 'all' });
  try {
    const out = await s.run({ input: new ort.Tensor('float32', x, [1, C, H, W]) });
    return { dims: out.output!.dims, data: [...(out.output!.data as Float32Array)] };
  } finally {
    await s.release();
  }
}

function close(actual: number[], expected: number[]): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]!) <= 1e-5 * (1 + Math.abs(expected[i]!)), `[${i}] ${a} vs ${expected[i]}`));
}

const cases: { name: string; build: (b: GraphBuilder, x: Tensor) => Tensor; dims: number[]; expected: () => number[] }[] = [
  { name: 'relu', build: (b, t) => b.act(t, 'relu'), dims: [1, C, H, W], expected: () => map((v) => Math.max(0, v)) },
  { name: 'relu6 (Clip 0..6)', build: (b, t) => b.act(t, 'relu6'), dims: [1, C, H, W], expected: () => map(relu6) },
  { name: 'hswish', build: (b, t) => b.act(t, 'hswish'), dims: [1, C, H, W], expected: () => map((v) => v * hsig(v)) },
  { name: 'hsigmoid', build: (b, t) => b.act(t, 'hsigmoid'), dims: [1, C, H, W], expected: () => map(hsig) },
  { name: 'sigmoid', build: (b, t) => b.act(t, 'sigmoid'), dims: [1, C, H, W], expected: () => map(sigm) },
  { name: 'swish', build: (b, t) => b.act(t, 'swish'), dims: [1, C, H, W], expected: () => map((v) => v * sigm(v)) },
  { name: 'zero', build: (b, t) => b.zero(t), dims: [1, C, H, W], expected: () => map(() => 0) },
  { name: '3-input add', build: (b, t) => b.add(t, b.act(t, 'relu'), t), dims: [1, C, H, W], expected: () => map((v) => 2 * v + Math.max(0, v)) },
  { name: 'batchnorm (identity statistics)', build: (b, t) => b.batchnorm(t), dims: [1, C, H, W], expected: () => map((v) => v / Math.sqrt(1 + 1e-5)) },
  {
    name: 'avgpool 3x3/1 pad 1, padding not counted', build: (b, t) => b.avgpool(t, 3, 1, 1), dims: [1, C, H, W],
    expected: () => {
      const out: number[] = [];
      for (let c = 0; c < C; c++) for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) {
        let s = 0, n = 0;
        for (let dh = -1; dh <= 1; dh++) for (let dw = -1; dw <= 1; dw++) {
          if (h + dh >= 0 && h + dh < H && w + dw >= 0 && w + dw < W) { s += at(c, h + dh, w + dw); n++; }
        }
        out.push(s / n);
      }
      return out;
    },
  },
  {
    name: 'maxpool 3x3/2 pad 1', build: (b, t) => b.maxpool(t, 3, 2, 1), dims: [1, C, 2, 2],
    expected: () => {
      const out: number[] = [];
      for (let c = 0; c < C; c++) for (let oh = 0; oh < 2; oh++) for (let ow = 0; ow < 2; ow++) {
        let m = -Infinity;
        for (let h = oh * 2 - 1; h <= oh * 2 + 1; h++) for (let w = ow * 2 - 1; w <= ow * 2 + 1; w++) if (h >= 0 && h < H && w >= 0 && w < W) m = Math.max(m, at(c, h, w));
        out.push(m);
      }
      return out;
    },
  },
  {
    name: 'globalavgpool + flatten', build: (b, t) => b.flatten(b.globalAvgPool(t)), dims: [1, C],
    expected: () => Array.from({ length: C }, (_, c) => x.slice(c * H * W, (c + 1) * H * W).reduce((a, v) => a + v, 0) / (H * W)),
  },
  {
    name: 'mul with a [C,1,1] scale', build: (b, t) => b.mul(t, b.globalAvgPool(t)), dims: [1, C, H, W],
    expected: () => {
      const mean = Array.from({ length: C }, (_, c) => x.slice(c * H * W, (c + 1) * H * W).reduce((a, v) => a + v, 0) / (H * W));
      return [...x].map((v, i) => v * mean[Math.floor(i / (H * W))]!);
    },
  },
  {
    // Groups 2 over 4 channels: [a0 a1 | b0 b1] → [a0 b0 a1 b1].
    name: 'channelshuffle', build: (b, t) => b.channelShuffle(t, 2), dims: [1, C, H, W],
    expected: () => [0, 2, 1, 3].flatMap((c) => [...x.slice(c * H * W, (c + 1) * H * W)]),
  },
  {
    name: 'concat', build: (b, t) => b.concat(t, b.act(t, 'relu')), dims: [1, 2 * C, H, W],
    expected: () => [...x, ...map((v) => Math.max(0, v))],
  },
];

for (const opset of [13, 14, 18]) {
  for (const c of cases) {
    test(`opset ${opset}: exported ${c.name} computes the IR op`, async () => {
      const { dims, data } = await runOnnx(c.build, opset);
      assert.deepEqual([...dims], c.dims);
      close(data, c.expected());
    });
  }
}

test('conv and linear export as Conv/Gemm with the IR shapes', async () => {
  const { dims, data } = await runOnnx((b, t) => {
    const y = b.conv(t, 6, { kernel: 3, stride: 2, groups: 2, bias: true });
    const d = b.conv(y, 6, { kernel: 3, groups: 6 });
    return b.linear(b.flatten(d), 5, false);
  }, 13);
  assert.deepEqual([...dims], [1, 5]);
  assert.ok(data.every(Number.isFinite) && data.some((v) => v !== 0));
});
