import assert from 'node:assert/strict';
import { test } from 'node:test';
import { onePointCrossover } from '../../src/search/nsga2/crossover-one-point.ts';
import { sbxCrossover } from '../../src/search/nsga2/crossover-sbx.ts';
import { uniformCrossover } from '../../src/search/nsga2/crossover-uniform.ts';
import { polynomialMutation } from '../../src/search/nsga2/mutation-polynomial.ts';
import { randomResetMutation } from '../../src/search/nsga2/mutation-random-reset.ts';
import { Rng } from '../../src/util/rng.ts';

test('SBX and polynomial mutation stay within the bounds and keep SBX children centred on the parents', () => {
  const rng = new Rng(9);
  const lo = [0, -1];
  const hi = [1, 2];
  let sum = 0;
  for (let t = 0; t < 2000; t++) {
    const [c1, c2] = sbxCrossover([0.2, 0.5], [0.6, 1.9], lo, hi, rng, 15, 1);
    for (const c of [c1, c2]) c.forEach((v, i) => assert.ok(v >= lo[i]! && v <= hi[i]!));
    sum += c1[0]! + c2[0]!;
    const m = polynomialMutation([0.99, -0.99], lo, hi, 1, rng, 20);
    m.forEach((v, i) => assert.ok(v >= lo[i]! && v <= hi[i]!));
  }
  // SBX preserves the parents' mean (away from the bounds): (0.2 + 0.6) per pair
  assert.ok(Math.abs(sum / 2000 - 0.8) < 0.02, `${sum / 2000}`);
});

test('discrete crossovers only mix parental genes; random reset changes a gene to a different valid choice', () => {
  const rng = new Rng(4);
  const a = [0, 0, 0, 0, 0, 0];
  const b = [1, 1, 1, 1, 1, 1];
  for (let t = 0; t < 100; t++) {
    for (const [c1, c2] of [uniformCrossover(a, b, rng), onePointCrossover(a, b, rng)]) {
      c1.forEach((v, i) => assert.equal(v + c2[i]!, 1));
    }
    const m = randomResetMutation([2, 0, 4], [5, 1, 5], 1, rng);
    assert.notEqual(m[0], 2);
    assert.equal(m[1], 0); // a single-choice gene never changes
    assert.ok(m[2]! >= 0 && m[2]! < 4);
  }
});
