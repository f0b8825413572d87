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

test('reinforce needs targetLatencyMs when a latency objective is present', () => {
  assert.throws(() => createReinforceStrategy({ decisions, objectiveCount: 2, rng: new Rng(1), options: {} }), InputError);
  assert.throws(() => createReinforceStrategy({ decisions, objectiveCount: 2, rng: new Rng(1), options: { objectives: 'latencyMs,paramCount', targetLatencyMs: 3 } }), InputError);
  createReinforceStrategy({ decisions, objectiveCount: 1, rng: new Rng(1), options: {} });
});

test('a policy-gradient step raises the probability of a rewarded choice', () => {
  const p = new FactorizedSoftmax([3, 2]);
  const before = p.probs(0)[2]!;
  p.step([2, 1], 1, 0.5, 0);
  assert.ok(p.probs(0)[2]! > before);
  const sum = [...p.probs(0)].reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 1) < 1e-12);
});
