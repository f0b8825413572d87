import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OrtRunnable } from '../../src/runtime/ort-runtime.ts';
import { getRuntime } from '../../src/runtime/runtime-registry.ts';
import { loadSpace } from '../../src/space/space-registry.ts';

const cases: [string, string][] = [
  ['nasbench-macro', '00000000'],
  ['nasbench-macro', '02012100'],
  ['nasbench-macro', '22222222'],
  // Every edge `none`: each cell outputs zeros (the `zero` op).
  ['nb201', '|none~0|+|none~0|none~1|+|none~0|none~1|none~2|'],
  // Cell output zero although some edges are not `none` (node 3 only reads zero nodes).
  ['nb201', '|none~0|+|none~0|avg_pool_3x3~1|+|none~0|nor_conv_3x3~1|none~2|'],
  ['nb201', '|avg_pool_3x3~0|+|avg_pool_3x3~0|avg_pool_3x3~1|+|avg_pool_3x3~0|avg_pool_3x3~1|avg_pool_3x3~2|'],
  ['nb201', '|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|avg_pool_3x3~0|nor_conv_3x3~1|skip_connect~2|'],
];

for (const [spaceId, arch] of cases) {
  test(`${spaceId} ${arch} runs in an ORT CPU session with output [1,10] and finite values`, async () => {
    const space = loadSpace(spaceId);
    const graph = space.build(space.decode(arch));
    if (arch.startsWith('|none~0|+|none~0|')) assert.ok(graph.nodes.some((n) => n.op === 'zero'), 'expected a zero cell');
    if (arch.startsWith('|avg_pool')) assert.ok(graph.nodes.some((n) => n.op === 'avgpool' && n.attrs.stride === 1));
    const r = await getRuntime('ort-cpu')!.load(graph, { threads: 1 });
    try {
      await r.run();
      assert.deepEqual([...r.outputShape()], [1, 10]);
      assert.ok(r instanceof OrtRunnable);
      const y = r.outputValues();
      assert.equal(y.length, 10);
      assert.ok(y.every(Number.isFinite), `non-finite output ${[...y].join(',')}`);
    } finally {
      await r.dispose();
    }
  });
}
