import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitSurrogate } from '../../src/accuracy/surrogate/surrogate.ts';
import { oneHot } from '../../src/accuracy/surrogate/one-hot.ts';
import { spearman } from '../../src/util/spearman.ts';
import { Rng } from '../../src/util/rng.ts';

test('the boosted-tree surrogate ranks held-out archs of a small additive table well', () => {
  // 3 decisions × 4 choices; accuracy = additive per-choice gains + an interaction + noise.
  const space = { decisions: [0, 1, 2].map((i) => ({ name: `d${i}`, choices: ['a', 'b', 'c', 'd'] })) };
  const gain = [[0, 1, 3, 2], [0, 2, 1, 4], [1, 0, 2, 3]];
  const rng = new Rng(11);
  const X: number[][] = [];
  const y: number[] = [];
  for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) for (let c = 0; c < 4; c++) {
    const g = [a, b, c];
    X.push(oneHot(space, g));
    y.push(gain[0]![a]! + gain[1]![b]! + gain[2]![c]! + (a === 3 && b === 3 ? 2 : 0) + 0.1 * rng.normal());
  }
  const order = new Rng(2).shuffle(X.map((_, i) => i));
  const train = order.slice(0, 40);
  const held = order.slice(40);
  const s = fitSurrogate(train.map((i) => X[i]!), train.map((i) => y[i]!), new Rng(4), { trees: 200, learningRate: 0.1, minLeaf: 2 });
  const rho = spearman(held.map((i) => s.predict(X[i]!)), held.map((i) => y[i]!));
  assert.ok(rho > 0.9, `held-out Spearman ${rho}`);
  assert.deepEqual(oneHot(space, [1, 0, 3]), [0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
});

test('spearman handles ties and reversed order', () => {
  assert.equal(spearman([1, 2, 3, 4], [10, 20, 30, 40]), 1);
  assert.equal(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  assert.ok(Math.abs(spearman([1, 1, 2, 3], [1, 2, 3, 4]) - 0.9486832980505138) < 1e-12);
});
