import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.ts';
import { enumerateSpace } from '../../src/run/truth.ts';
import { loadSpace } from '../../src/space/space-registry.ts';
import { loadDevice } from '../../src/latency/device-profile.ts';
import { objective } from '../../src/record/metric-registry.ts';
import { exactFront, frontQuality } from '../../src/record/exact-front.ts';
import { readResultsDir } from '../../src/report/results-dir.ts';
import { searchReport } from '../../src/report/search-report.ts';
import { exactFrontsFor } from '../../src/cli/exact-fronts.ts';

const LIMIT = 3; // ms on fpga: well inside NAS-Bench-201's range there, so the fronts differ

function csvRows(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])));
}

/** The accuracy–latency front of the architectures with latency ≤ limit, by a sweep (independent of hwnas's sort). */
function sweptFront(archs: readonly string[], metrics: readonly Record<string, number>[], limit: number): Set<string> {
  const idx = archs.map((_, i) => i).filter((i) => metrics[i]!.latencyMs! <= limit)
    .sort((a, b) => metrics[a]!.latencyMs! - metrics[b]!.latencyMs! || metrics[b]!.accuracy! - metrics[a]!.accuracy!);
  const front = new Set<string>();
  let best = -Infinity;
  for (const i of idx) {
    if (metrics[i]!.accuracy! > best) {
      best = metrics[i]!.accuracy!;
      front.add(archs[i]!);
    }
  }
  return front;
}

test("hwnas truth --constraint writes the exact front of the architectures meeting it, beside the unconstrained one", async () => {
  const out = tempDir();
  const r = await runCli(['truth', '--space', 'nb201', '--device', 'fpga', '--constraint', `latencyMs<=${LIMIT}`, '--out', out]);
  assert.equal(r.code, 0, r.err);
  const base = `truth-nb201-fpga-latencyMs-le-${LIMIT}`;
  const rows = csvRows(join(out, `${base}.csv`));
  const json = JSON.parse(readFileSync(join(out, `${base}.json`), 'utf8')) as { constraints: string[]; enumerated: number; feasible: number; frontSize: number };
  assert.deepEqual(json.constraints, [`latencyMs<=${LIMIT}`]);
  assert.equal(json.enumerated, 15_625);

  const e = await enumerateSpace({ space: loadSpace('nb201'), devices: [loadDevice('fpga')], objectives: [objective('accuracy'), objective('latencyMs')] });
  const feasible = e.metrics.filter((m) => m.latencyMs! <= LIMIT).length;
  assert.equal(json.feasible, feasible);
  assert.ok(feasible > 0 && feasible < 15_625);
  assert.deepEqual(new Set(rows.map((x) => x.arch)), sweptFront(e.archs, e.metrics, LIMIT));
  for (const x of rows) assert.ok(Number(x.latencyMs) <= LIMIT, x.arch);
  // Not the unconstrained front: that one has architectures slower than the limit.
  const free = sweptFront(e.archs, e.metrics, Infinity);
  assert.ok([...free].some((a) => !rows.some((x) => x.arch === a)));

  const none = await runCli(['truth', '--space', 'nb201', '--device', 'fpga', '--constraint', 'latencyMs<=0.001', '--out', out]);
  assert.equal(none.code, 2);
  assert.match(none.err, /no architecture of nb201 on fpga meets latencyMs<=0\.001/);
});

test('a constrained problem scores only feasible evaluations: the unconstrained front cannot beat the constrained one', async () => {
  const e = await enumerateSpace({ space: loadSpace('nb201'), devices: [loadDevice('fpga')], objectives: [objective('accuracy'), objective('latencyMs')] });
  const constraints = [{ metric: 'latencyMs', op: '<=' as const, value: LIMIT }];
  const truth = exactFront({ space: 'nb201', device: 'fpga', objectives: e.objectives, constraints, archs: e.archs, metrics: e.metrics });
  const free = exactFront({ space: 'nb201', device: 'fpga', objectives: e.objectives, archs: e.archs, metrics: e.metrics });
  assert.equal(frontQuality(truth, truth.front.map((p) => p.metrics)).hvRatio, 1);
  // The unconstrained front's fast points meet the limit, its accurate ones do not and add nothing.
  const q = frontQuality(truth, free.front.map((p) => p.metrics));
  assert.ok(q.hvRatio <= 1 + 1e-12, String(q.hvRatio));
  const slow = free.front.filter((p) => p.metrics.latencyMs! > LIMIT).map((p) => p.metrics);
  assert.ok(slow.length > 0);
  assert.equal(frontQuality(truth, slow).hypervolume, 0);
});

test('hwnas compare --constraint: runs search under it and are scored against the constrained front', async () => {
  const out = join(tempDir(), 'cmp');
  const r = await runCli(['compare', '--space', 'nb201', '--device', 'fpga', '--strategies', 'random', '--seeds', '1', '--budget', '60', '--checkpoints', '30', '--constraint', `latencyMs<=${LIMIT}`, '--out', out]);
  assert.equal(r.code, 0, r.err);
  const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { constraints: string[] };
  assert.deepEqual(config.constraints, [`latencyMs<=${LIMIT}`]);
  const truthRows = csvRows(join(out, `truth-nb201-fpga-latencyMs-le-${LIMIT}.csv`));
  for (const x of truthRows) assert.ok(Number(x.latencyMs) <= LIMIT);
  for (const line of csvRows(join(out, 'hv.csv'))) assert.ok(Number(line.hvRatio) > 0 && Number(line.hvRatio) <= 1, JSON.stringify(line));
  // The report of the comparison reads the constrained front back (no unconstrained one in the folder).
  const c = readResultsDir(out);
  assert.equal(c.kind, 'compare');
  if (c.kind === 'compare') assert.deepEqual(c.constraints, [{ metric: 'latencyMs', op: '<=', value: LIMIT }]);
});

test('the report of a constrained search draws and scores against the constrained exact front', async () => {
  const out = join(tempDir(), 'run');
  const r = await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--strategy', 'random', '--budget', '40', '--constraint', `latencyMs<=${LIMIT}`, '--out', out]);
  assert.equal(r.code, 0, r.err);
  const d = readResultsDir(out);
  assert.equal(d.kind, 'search');
  if (d.kind !== 'search') return;
  const truths = await exactFrontsFor([d]);
  assert.equal(truths.length, 1);
  assert.deepEqual(truths[0]!.constraints, [{ metric: 'latencyMs', op: '<=', value: LIMIT }]);
  const report = searchReport(d, 'r', truths);
  const chart = report.sections.find((s) => s.id === 'fronts')!.charts[0]!;
  const exact = (chart.option.series as { name: string; data: unknown[][] }[]).find((s) => s.name.startsWith('exact front'))!;
  assert.ok(exact.data.length > 0);
  for (const p of exact.data) assert.ok((p[0] as number) <= LIMIT, `exact front point at ${String(p[0])} ms drawn inside the infeasible region`);
  assert.match(chart.notes!.join(' '), new RegExp(`meeting latencyMs<=${LIMIT}`));
  const quality = report.sections.find((s) => s.id === 'quality')!;
  assert.match(quality.charts[0]!.notes!.join(' '), new RegExp(`exact front of the architectures meeting latencyMs<=${LIMIT}`));
  const hv = Number(/HV ratio ([\d.]+)/.exec(quality.notes.join(' '))![1]);
  assert.ok(hv > 0 && hv <= 1, String(hv));
});
