import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../src/errors.ts';
import { Rng } from '../../src/util/rng.ts';
import { createReinforceStrategy, FactorizedSoftmax, mnasReward } from '../../src/search/reinforce.ts';
import { decisions } from './synthetic-space.ts';

test('MnasNet reward (Tan et al. 2019, Eq. 2): soft and hard constraints', () => {
  assert.equal(mnasReward(80, 10, 10, -0.07, -0.07), 80);
  assert.ok(Math.abs(mnasReward(80, 20, 10, -0.07, -0.07) - 80 * 2 ** -0.07) < 1e-12);
  assert.ok(Math.abs(mnasReward(80, 5, 10, -0.07, -0.07) - 80 * 0.5 ** -0.07) < 1e-12);
  assert.equal(mnasReward(80, 5, 10, 0, -1), 80);
  assert.equal(mnasReward(80, 20, 10, 0, -1), 40);
});

test('reinforce: without targetLatencyMs the target is the median latency of the first batch; it needs a maximised objective', () => {
  const objectives = [{ metric: 'accuracy', direction: 'max' as const }, { metric: 'latencyMs', direction: 'min' as const }];
  const s = createReinforceStrategy({ decisions, objectiveCount: 2, objectives, rng: new Rng(1), options: {} });
  const gs = s.ask(3);
  s.tell(gs.map((g, i) => ({ genotype: g, values: [-90, [4, 1, 2][i]!], violation: 0 })));
  assert.deepEqual(s.summary?.(), { targetLatencyMs: 2, targetSource: 'median latency of the first 3 results' });
  const given = createReinforceStrategy({ decisions, objectiveCount: 2, objectives, rng: new Rng(1), options: { targetLatencyMs: 3 } });
  assert.deepEqual(given.summary?.(), { targetLatencyMs: 3, targetSource: 'option targetLatencyMs' });
  assert.throws(() => createReinforceStrategy({ decisions, objectiveCount: 2, objectives: [{ metric: 'latencyMs', direction: 'min' }, { metric: 'paramCount', direction: 'min' }], rng: new Rng(1), options: { targetLatencyMs: 3 } }), InputError);
  assert.deepEqual(createReinforceStrategy({ decisions, objectiveCount: 1, rng: new Rng(1), options: {} }).summary?.(), {});
});

test('a policy-gradient step raises the probability of a rewarded choice', () => {
  const p = new FactorizedSoftmax([3, 2]);
  const before = p.probs(0)[2]!;
  p.step([2, 1], 1, 0.5, 0);
  assert.ok(p.probs(0)[2]! > before);
  const sum = [...p.probs(0)].reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 1) < 1e-12);
});
