import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dominates } from '../../src/pareto/dominance.ts';
import { tableLatencyAll } from '../../src/latency/device-table.ts';
import { loadDevice, type TableDevice } from '../../src/latency/device-profile.ts';
import { objective, objectiveValues } from '../../src/record/metric-registry.ts';
import { exactFront, frontQuality, REFERENCE_POINT_VALUE } from '../../src/record/exact-front.ts';
import { enumerateSpace } from '../../src/run/truth.ts';
import { loadSpace } from '../../src/space/space-registry.ts';
import { Rng } from '../../src/util/rng.ts';

test('nb201 × fpga: the exact front is non-dominated, dominates the rest, and scores 1 against itself', async () => {
  const e = await enumerateSpace({ space: loadSpace('nb201'), devices: [loadDevice('fpga')], objectives: [objective('accuracy'), objective('latencyMs')] });
  assert.equal(e.archs.length, 15_625);
  const truth = exactFront({ space: 'nb201', device: 'fpga', objectives: e.objectives, archs: e.archs, metrics: e.metrics });
  const pts = truth.front.map((p) => objectiveValues(truth.objectives, p.metrics));
  assert.ok(pts.length >= 2);
  for (const a of pts) for (const b of pts) assert.ok(!dominates(a, b), 'front members must not dominate each other');

  // Fixed normalisation: the front's ideal and nadir points. The front's fastest cell is the fastest
  // of the whole fpga table; its most accurate cell the most accurate of the space.
  const col = tableLatencyAll(loadDevice('fpga') as TableDevice);
  const accs = truth.front.map((p) => p.metrics.accuracy!);
  const lats = truth.front.map((p) => p.metrics.latencyMs!);
  assert.deepEqual(truth.bounds.ideal, [-Math.max(...accs), Math.min(...col)]);
  assert.deepEqual(truth.bounds.nadir, [-Math.min(...accs), Math.max(...lats)]);
  assert.deepEqual(truth.reference, [REFERENCE_POINT_VALUE, REFERENCE_POINT_VALUE]);

  // Every sampled cell is on the front or dominated by a member of it.
  const onFront = new Set(truth.front.map((p) => p.arch));
  const rng = new Rng(7);
  for (let k = 0; k < 2000; k++) {
    const i = rng.int(e.archs.length);
    if (onFront.has(e.archs[i]!)) continue;
    const v = objectiveValues(truth.objectives, e.metrics[i]!);
    assert.ok(pts.some((p) => dominates(p, v)), `${e.archs[i]} is neither on the front nor dominated`);
  }
  // The best-accuracy cell of the whole table is on the front (NAS-Bench-201 optimum, 91.61 % valid).
  const bestAcc = Math.max(...e.metrics.map((m) => m.accuracy!));
  assert.equal(truth.front[0]!.metrics.accuracy, bestAcc);

  const self = frontQuality(truth, truth.front.map((p) => p.metrics));
  assert.equal(self.hvRatio, 1);
  assert.equal(self.igdPlus, 0);
  assert.ok(truth.hypervolume > 0 && truth.hypervolume < REFERENCE_POINT_VALUE ** 2);
  // Adding every other cell changes nothing: the front already dominates them.
  assert.equal(frontQuality(truth, e.metrics).hvRatio, 1);
});
