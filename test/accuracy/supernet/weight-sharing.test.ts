import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { supernetLayout } from '../../../src/accuracy/supernet/supernet-layout.ts';
import { SupernetWeights } from '../../../src/accuracy/supernet/supernet-weights.ts';
import { useTrainingBackend } from '../../../src/runtime/tfjs/tfjs-backends.ts';
import { loadSpace } from '../../../src/space/space-registry.ts';

const TINY = fileURLToPath(new URL('../fixtures/tiny-chain.json', import.meta.url));

test('two architectures picking the same block at a layer read the same variables; changing them changes both and not a third', async () => {
  await useTrainingBackend();
  const space = loadSpace(TINY);
  const layout = supernetLayout(space);
  // stem, 3 searchable layers, head.
  assert.equal(layout.positions.length, 5);
  assert.deepEqual(layout.positions.map((p) => p.decision), [-1, 0, 1, 2, -1]);
  const w = new SupernetWeights(layout, 7);
  try {
    const a = w.pathOf(space.decode('120'));
    const b = w.pathOf(space.decode('102'));
    const c = w.pathOf(space.decode('220'));
    const pos = layout.positionOf[0]!;
    const prefix = `p${pos}c1/`;
    const va = w.pathVariables(a).filter((v) => v.name.startsWith(prefix));
    const vb = w.pathVariables(b).filter((v) => v.name.startsWith(prefix));
    assert.ok(va.length > 0);
    assert.deepEqual(va.map((v) => v.name), vb.map((v) => v.name));
    va.forEach((v, i) => assert.equal(v.variable, vb[i]!.variable, `${v.name} is one tf.Variable for both archs`));
    assert.ok(!w.pathVariables(c).some((v) => v.name.startsWith(prefix)), 'an arch with another block there does not read them');

    const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const out = (p: readonly number[]): Float32Array => tf.tidy(() => w.forward(p, x, false).dataSync() as Float32Array);
    const [a0, b0, c0] = [out(a), out(b), out(c)];
    const conv = va.find((v) => v.decays)!;
    conv.variable.assign(tf.mul(conv.variable, 3));
    const [a1, b1, c1] = [out(a), out(b), out(c)];
    assert.notDeepEqual(a1, a0, 'arch 120 changed');
    assert.notDeepEqual(b1, b0, 'arch 102 changed');
    assert.deepEqual(c1, c0, 'arch 220 did not');
    x.dispose();
  } finally {
    w.dispose();
  }
});

test('blocks of the same shape start from different seeded weights, the same for a seed', async () => {
  await useTrainingBackend();
  // tiny-chain with a third layer in its last stage: layers 2 and 3 are both 16 → 16 channels.
  const def = JSON.parse(readFileSync(TINY, 'utf8')) as { stages: { layers: number }[] };
  def.stages[1]!.layers = 3;
  const file = join(mkdtempSync(join(tmpdir(), 'hwnas-sn-')), 'tiny-chain.json');
  writeFileSync(file, JSON.stringify(def));
  const layout = supernetLayout(loadSpace(file));
  const w1 = new SupernetWeights(layout, 3);
  const w2 = new SupernetWeights(layout, 3);
  try {
    const byName = (w: SupernetWeights) => new Map(w.allVariables().map((v) => [v.name, v.variable.dataSync()]));
    const m1 = byName(w1);
    const m2 = byName(w2);
    assert.deepEqual([...m1.keys()], [...m2.keys()]);
    for (const [k, v] of m1) assert.deepEqual(v, m2.get(k), k);
    // Decisions 2 and 3 offer the same mb1_k3 block on 16 → 16 channels: different draws.
    const first = (pos: number) => [...m1.entries()].find(([k]) => k.startsWith(`p${pos}c1/`) && k.endsWith('.weight'))![1]!;
    const [p2, p3] = [first(layout.positionOf[2]!), first(layout.positionOf[3]!)];
    assert.equal(p2.length, p3.length);
    assert.notDeepEqual(p2, p3);
  } finally {
    w1.dispose();
    w2.dispose();
  }
});
