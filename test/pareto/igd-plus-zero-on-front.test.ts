import assert from 'node:assert/strict';
import { test } from 'node:test';
import { igdPlus } from '../../src/pareto/igd-plus.ts';

const front = Array.from({ length: 101 }, (_, i) => [i / 100, 1 - Math.sqrt(i / 100)]);

test('IGD+ is 0 when the approximation contains the reference front, or dominates it', () => {
  assert.equal(igdPlus(front, front), 0);
  assert.equal(igdPlus(front.map(([x, y]) => [x! - 0.1, y! - 0.1]), front), 0);
});

test('IGD+ measures only the dominated part of the distance (Ishibuchi et al. 2015, d+)', () => {
  // A single point (0.5, 0.5) vs reference {(0, 1), (1, 0)}: d+ = sqrt(0.5²) = 0.5 to each.
  assert.equal(igdPlus([[0.5, 0.5]], [[0, 1], [1, 0]]), 0.5);
  // Shifting a linear front by +0.1 in both objectives gives d+ = 0.1·√2 to every reference point.
  const line = Array.from({ length: 101 }, (_, i) => [i / 100, 1 - i / 100]);
  const shifted = line.map(([x, y]) => [x! + 0.1, y! + 0.1]);
  assert.ok(Math.abs(igdPlus(shifted, line) - 0.1 * Math.SQRT2) < 1e-12);
  assert.equal(igdPlus([], front), Infinity);
});
