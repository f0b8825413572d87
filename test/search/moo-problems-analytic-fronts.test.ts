import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hypervolume } from '../../src/pareto/hypervolume.ts';
import { igdPlus } from '../../src/pareto/igd-plus.ts';
import { getMooProblem } from '../../src/search/problems/problem-registry.ts';

test('ZDT1/2/3: Pareto-optimal decision vectors land on the reference front', () => {
  for (const id of ['zdt1', 'zdt2', 'zdt3']) {
    const p = getMooProblem(id)!;
    const x = new Array<number>(30).fill(0);
    x[0] = 0.2; // inside the first ZDT3 piece [0.1822, 0.2578]
    const f = p.evaluate(x);
    assert.ok(igdPlus([f], [f]) === 0);
    const ref = p.referenceFront();
    const nearest = Math.min(...ref.map((z) => Math.hypot(z[0]! - f[0]!, z[1]! - f[1]!)));
    assert.ok(nearest < 1e-3, `${id}: ${nearest}`);
  }
});

test('front hypervolume constants agree with the hypervolume of the dense reference fronts', () => {
  for (const id of ['zdt1', 'zdt2', 'zdt3']) {
    const p = getMooProblem(id)!;
    const hv = hypervolume(p.referenceFront(), p.hypervolumeReference);
    // A finite sample dominates a little less than the continuous front.
    assert.ok(hv <= p.frontHypervolume && p.frontHypervolume - hv < 1e-3, `${id}: ${hv} vs ${p.frontHypervolume}`);
  }
  assert.ok(Math.abs(getMooProblem('zdt1')!.frontHypervolume - (1.21 - 1 / 3)) < 1e-15);
  const d = getMooProblem('dtlz2')!;
  assert.ok(Math.abs(d.frontHypervolume - (1.331 - Math.PI / 6)) < 1e-12);
  const sample = d.referenceFront().filter((_, i) => i % 7 === 0);
  const hv = hypervolume(sample, d.hypervolumeReference);
  assert.ok(hv < d.frontHypervolume && d.frontHypervolume - hv < 0.03, `dtlz2 ${hv}`);
});

test('DTLZ2: g = 0 puts a point on the unit sphere', () => {
  const p = getMooProblem('dtlz2')!;
  const x = [0.3, 0.7, ...new Array<number>(10).fill(0.5)];
  const f = p.evaluate(x);
  assert.ok(Math.abs(Math.hypot(...f) - 1) < 1e-12);
});
