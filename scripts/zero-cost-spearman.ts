/**
 * Spearman ρ of zero-cost proxies against benchmark accuracy, on seeded random architectures.
 *
 *   node --import tsx scripts/zero-cost-spearman.ts --space nb201 --n 1000 --metrics synflow,params,flops \
 *     [--batch 64] [--seed 0] [--out /tmp/zc-nb201.jsonl] [--shard i/K] [--report]
 *
 * Samples `n` distinct architectures uniformly with `Rng(seed)` (the same list for every metric, so
 * a smaller `n` is a prefix of a larger one), scores each with every metric (weights seeded by
 * `seed`, data batch = `batch` Fashion-MNIST images), and appends one JSON line per architecture to
 * `out` (an existing file is resumed: architectures already in it are skipped). `--report` prints
 * the table of ρ against the ground truth (nb201: CIFAR-10 test accuracy, 200 epochs; nasbench-macro:
 * mean CIFAR-10 test accuracy) from everything in `out`, per metric over the rows that have it.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { getAccuracySource } from '../src/accuracy/accuracy-registry.ts';
import { spearman } from '../src/util/spearman.ts';
import { useTrainingBackend } from '../src/runtime/tfjs/tfjs-backends.ts';
import { zeroCostMetric } from '../src/accuracy/zero-cost/zero-cost-metric.ts';
import { Rng } from '../src/util/rng.ts';
import { genotypeAt, spaceSize } from '../src/space/search-space.ts';
import { loadSpace } from '../src/space/space-registry.ts';

const args = process.argv.slice(2);
const flag = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : def;
};
const spaceId = flag('space', 'nb201');
const n = Number(flag('n', '100'));
const metrics = flag('metrics', 'synflow,naswot,grad_norm,snip,params,flops').split(',');
const batchN = Number(flag('batch', '64'));
const seed = Number(flag('seed', '0'));
const out = flag('out', `/tmp/zc-${spaceId}.jsonl`);
const report = args.includes('--report');
// --shard i/K: score only sample positions ≡ i (mod K), so K processes (each with its own --out) can
// share the work; concatenate their files for --report.
const [shardI, shardK] = flag('shard', '0/1').split('/').map(Number) as [number, number];

const space = loadSpace(spaceId);
const truthKey = spaceId === 'nb201' ? 'testAccuracy' : 'accuracy';
const source = await getAccuracySource('table', space);

interface Row { arch: string; truth: number; scores: Record<string, number>; seconds: Record<string, number> }
const rows = new Map<string, Row>();
if (existsSync(out)) {
  for (const line of readFileSync(out, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as Row;
    const prev = rows.get(r.arch);
    rows.set(r.arch, prev ? { ...prev, scores: { ...prev.scores, ...r.scores }, seconds: { ...prev.seconds, ...r.seconds } } : r);
  }
}

if (!report) {
  const backend = await useTrainingBackend();
  const rng = new Rng(seed).fork('zero-cost-sample');
  const total = spaceSize(space);
  const seen = new Set<number>();
  const sample: number[] = [];
  while (sample.length < Math.min(n, total)) {
    const i = rng.int(total);
    if (!seen.has(i)) { seen.add(i); sample.push(i); }
  }
  console.error(`${spaceId}: ${sample.length} archs, metrics ${metrics.join(',')}, batch ${batchN}, seed ${seed}, backend ${backend}`);
  const t0 = performance.now();
  for (const [k, idx] of sample.entries()) {
    if (k % shardK !== shardI) continue;
    const g = genotypeAt(space, idx);
    const arch = space.encode(g);
    const prev = rows.get(arch);
    const todo = metrics.filter((m) => prev?.scores[m] === undefined);
    if (todo.length === 0) continue;
    const truth = (await source.metrics(space, g))[truthKey]!;
    const row: Row = { arch, truth, scores: {}, seconds: {} };
    for (const m of todo) {
      const t = performance.now();
      row.scores[m] = await zeroCostMetric(m, space, g, { n: batchN, seed });
      row.seconds[m] = (performance.now() - t) / 1000;
    }
    appendFileSync(out, `${JSON.stringify(row)}\n`);
    rows.set(arch, prev ? { ...prev, scores: { ...prev.scores, ...row.scores }, seconds: { ...prev.seconds, ...row.seconds } } : row);
    if ((k + 1) % 10 === 0) console.error(`${k + 1}/${sample.length} ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
}

const all = [...rows.values()];
const names = [...new Set(all.flatMap((r) => Object.keys(r.scores)))];
const common = all.filter((r) => names.every((m) => r.scores[m] !== undefined));
// 95% interval of Spearman's ρ by Fisher's z with the variance 1.06/(n−3) of Fieller et al. (1957).
const ci = (rho: number, n: number): string => {
  const z = Math.atanh(rho);
  const h = 1.96 * Math.sqrt(1.06 / (n - 3));
  return `${Math.tanh(z - h).toFixed(2)}–${Math.tanh(z + h).toFixed(2)}`;
};
console.log(`| space | metric | archs | Spearman ρ vs ${truthKey} | 95% CI | ρ on the ${common.length} archs with every metric | mean s/arch |`);
console.log('|---|---|---:|---:|---:|---:|---:|');
for (const m of names) {
  const have = all.filter((r) => r.scores[m] !== undefined);
  const rho = spearman(have.map((r) => r.scores[m]!), have.map((r) => r.truth));
  const rhoCommon = spearman(common.map((r) => r.scores[m]!), common.map((r) => r.truth));
  const sec = have.reduce((s, r) => s + (r.seconds[m] ?? 0), 0) / have.length;
  console.log(`| ${spaceId} | ${m} | ${have.length} | ${rho.toFixed(3)} | ${ci(rho, have.length)} | ${common.length > 3 ? rhoCommon.toFixed(3) : '–'} | ${sec.toFixed(2)} |`);
}
