import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hypervolume } from '../../src/pareto/hypervolume.ts';
import { Ehvi2d } from '../../src/search/bo/ehvi-2d.ts';
import { normalQuantile } from '../../src/search/bo/normal-distribution.ts';
import { normalCdf } from '../../src/util/stats.ts';
import { Rng } from '../../src/util/rng.ts';

const front = [[0.1, 0.9], [0.3, 0.5], [0.6, 0.2], [0.9, 0.05], [0.5, 0.7]]; // the last one is dominated
const ref: [number, number] = [1.1, 1.1];

test('2-D HVI of a known point equals the hypervolume gained', () => {
  const e = new Ehvi2d(front, ref);
  const base = hypervolume(front, ref);
  for (const p of [[0.2, 0.4], [0, 0], [0.95, 0.01], [0.5, 0.6], [1.2, 0], [0.3, 0.5], [-1, 2]]) {
    const gain = hypervolume([...front, p], ref) - base;
    assert.ok(Math.abs(e.improvement(p[0]!, p[1]!) - gain) < 1e-12, `${p}: ${e.improvement(p[0]!, p[1]!)} vs ${gain}`);
    assert.ok(Math.abs(e.expected(p[0]!, 0, p[1]!, 0) - gain) < 1e-12);
  }
  assert.ok(Math.abs(new Ehvi2d([], ref).improvement(0.1, 0.1) - 1) < 1e-12);
});

test('2-D EHVI matches a Monte Carlo estimate under independent normal predictions', () => {
  const e = new Ehvi2d(front, ref);
  const base = hypervolume(front, ref);
  const rng = new Rng(7);
  for (const [m1, s1, m2, s2] of [[0.2, 0.1, 0.4, 0.2], [0.5, 0.3, 0.5, 0.05], [1.5, 0.2, 0, 0.3], [0.7, 0.5, 0.9, 0.4]] as const) {
    const n = 40_000;
    let sum = 0;
    let sumSq = 0;
    for (let k = 0; k < n; k++) {
      const g = hypervolume([...front, [m1 + s1 * rng.normal(), m2 + s2 * rng.normal()]], ref) - base;
      sum += g;
      sumSq += g * g;
    }
    const mean = sum / n;
    const se = Math.sqrt((sumSq / n - mean * mean) / n);
    const exact = e.expected(m1, s1, m2, s2);
    assert.ok(Math.abs(exact - mean) < 4 * se + 1e-6, `(${m1}, ${s1}, ${m2}, ${s2}): exact ${exact}, Monte Carlo ${mean} ± ${se}`);
  }
});

test('normal quantile inverts the normal CDF', () => {
  for (const p of [1e-6, 0.01, 0.02425, 0.2, 0.5, 0.8, 0.99, 1 - 1e-6]) assert.ok(Math.abs(normalCdf(normalQuantile(p)) - p) < 1e-6 * Math.max(1, p * 10), `p = ${p}`);
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959963985) < 1e-8);
  assert.throws(() => normalQuantile(0));
});
