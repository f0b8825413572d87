import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countFeatures, fitAdditive, INTERCEPT, predictAdditive } from '../../src/latency/fitted-predictor.ts';
import { Rng } from '../../src/util/rng.ts';
import { isLayeredSpace } from '../../src/space/layered-space.ts';
import { loadSpace } from '../../src/space/space-registry.ts';
import { spearman } from '../../src/util/spearman.ts';

test('fitted predictor on synthetic additive FBNet data predicts held-out models exactly', () => {
  const space = loadSpace('fbnet-cifar100');
  assert.ok(isLayeredSpace(space));
  const rng = new Rng(3);
  const costOf = new Map<string, number>();
  const cost = (key: string): number => {
    if (!costOf.has(key)) costOf.set(key, rng.uniform(0.1, 2));
    return costOf.get(key)!;
  };
  const models = Array.from({ length: 400 }, () => space.decisions.map((d) => rng.int(d.choices.length)));
  const feats = models.map((g) => countFeatures(space.layers(g).filter((l) => !l.empty).map((l) => l.key)));
  const y = feats.map((f) => 1.5 + [...f].reduce((s, [k, n]) => s + n * cost(k), 0));
  const fit = fitAdditive(feats.slice(0, 300), y.slice(0, 300));
  assert.ok((fit.costs.get(INTERCEPT) ?? 0) >= 0);
  for (let i = 300; i < 400; i++) {
    const p = predictAdditive(fit, feats[i]!);
    assert.deepEqual(p.unseen, []);
    assert.ok(Math.abs(p.latencyMs - y[i]!) < 1e-6 * y[i]!, `${p.latencyMs} vs ${y[i]}`);
  }
});

test('spearman handles ties and perfect rankings', () => {
  assert.equal(spearman([1, 2, 3, 4], [10, 20, 30, 40]), 1);
  assert.equal(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  // scipy.stats.spearmanr([1,2,2,3],[1,3,2,4]).correlation = 0.9486832980505138
  assert.ok(Math.abs(spearman([1, 2, 2, 3], [1, 3, 2, 4]) - 0.9486832980505138) < 1e-12);
});
