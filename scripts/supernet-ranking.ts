/**
 * How well the one-shot supernet ranks NAS-Bench-Macro architectures: trains (or loads from the
 * cache) the supernet of `nasbench-macro` with the given settings, scores a seeded sample of
 * distinct architectures with inherited weights, and prints Spearman's ρ and Kendall's τ-b against
 * the table's mean test accuracy (FLOPs beside, on the same sample), with the CPU cost.
 *
 *   nice -n 10 node --import tsx scripts/supernet-ranking.ts --archs 50 --epochs 4 \
 *     --data /path/to/cifar-10-batches-bin [--train-images N] [--lr 0.05] [--sampling uniform|fair] \
 *     [--bn-batches 10] [--test-images 1000] [--seed 0] [--sample-seed 1] [--cache DIR] [--out file.json]
 *     [--weights supernet.bin]   (score a trained supernet file instead of training or loading by key)
 */
import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { OneShotSupernet } from '../src/accuracy/supernet/one-shot-supernet.ts';
import type { SupernetOptions } from '../src/accuracy/supernet/supernet-settings.ts';
import { countFlops } from '../src/graph/count.ts';
import { loadSpace } from '../src/space/space-registry.ts';
import { genotypeAt, spaceSize } from '../src/space/search-space.ts';
import { macroAccuracy } from '../src/tables/table-data.ts';
import { Rng } from '../src/util/rng.ts';
import { spearman } from '../src/util/spearman.ts';

const { values: a } = parseArgs({
  options: {
    space: { type: 'string', default: 'nasbench-macro' },
    archs: { type: 'string', default: '50' },
    'sample-seed': { type: 'string', default: '1' },
    data: { type: 'string' },
    'train-images': { type: 'string' },
    epochs: { type: 'string' },
    lr: { type: 'string' },
    warmup: { type: 'string' },
    clip: { type: 'string' },
    width: { type: 'string' },
    'weight-decay': { type: 'string' },
    batch: { type: 'string' },
    'micro-batch': { type: 'string' },
    sampling: { type: 'string' },
    augment: { type: 'string' },
    'bn-batches': { type: 'string' },
    'test-images': { type: 'string' },
    seed: { type: 'string' },
    cache: { type: 'string' },
    out: { type: 'string' },
    weights: { type: 'string' },
  },
});

/** Kendall's τ-b (ties in either variable corrected), O(n²). */
function kendall(x: readonly number[], y: readonly number[]): number {
  let c = 0, d = 0, tx = 0, ty = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const sx = Math.sign(x[i]! - x[j]!);
      const sy = Math.sign(y[i]! - y[j]!);
      if (sx === 0 && sy === 0) continue;
      if (sx === 0) tx++;
      else if (sy === 0) ty++;
      else if (sx === sy) c++;
      else d++;
    }
  }
  return (c - d) / Math.sqrt((c + d + tx) * (c + d + ty));
}

const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
const space = loadSpace(a.space!);
const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const opts: SupernetOptions = {
  ...(a.data !== undefined && { dataDir: a.data }),
  ...(a['train-images'] !== undefined && { trainImages: num(a['train-images'])! }),
  ...(a.epochs !== undefined && { epochs: num(a.epochs)! }),
  ...(a.lr !== undefined && { learningRate: num(a.lr)! }),
  ...(a.warmup !== undefined && { warmupSteps: num(a.warmup)! }),
  ...(a.clip !== undefined && { gradientClip: num(a.clip)! }),
  ...(a.width !== undefined && { widthMultiplier: num(a.width)! }),
  ...(a['weight-decay'] !== undefined && { weightDecay: num(a['weight-decay'])! }),
  ...(a.batch !== undefined && { batchSize: num(a.batch)! }),
  ...(a['micro-batch'] !== undefined && { microBatchSize: num(a['micro-batch'])! }),
  ...(a.sampling !== undefined && { sampling: a.sampling as 'uniform' | 'fair' }),
  ...(a.augment !== undefined && { augment: a.augment !== 'false' }),
  ...(a['bn-batches'] !== undefined && { bnBatches: num(a['bn-batches'])! }),
  ...(a['test-images'] !== undefined && { testImages: num(a['test-images'])! }),
  ...(a.seed !== undefined && { seed: num(a.seed)! }),
  ...(a.cache !== undefined && { cacheDir: a.cache }),
  onProgress: (p) => {
    if (p.kind === 'step' && p.step % 100 !== 0) return;
    const eta = Number.isFinite(p.etaSeconds) ? `${(p.etaSeconds / 60).toFixed(1)} min` : '?';
    process.stderr.write(`${p.kind} step ${p.step}/${p.totalSteps} epoch ${p.epoch.toFixed(2)}/${p.epochs} loss ${p.loss.toFixed(3)} wall ${(p.wallSeconds / 60).toFixed(1)} min cpu ${(p.cpuSeconds / 60).toFixed(1)} min eta ${eta}\n`);
  },
};

const t0 = cpu();
// --weights FILE: score a trained supernet file (its settings must match the width and data given).
const net = a.weights !== undefined ? await OneShotSupernet.load(space, a.weights, opts) : await OneShotSupernet.open(space, opts);
const openCpu = cpu() - t0;
process.stderr.write(`supernet ${net.info.cached ? 'loaded from cache' : 'trained'}: ${net.info.steps} steps, ${net.info.parameterCount} parameters, training ${net.info.trainCpuSeconds.toFixed(0)} CPU-s (${net.info.trainWallSeconds.toFixed(0)} s wall), ${net.info.dir}\n`);

const n = Number(a.archs);
const rng = new Rng(Number(a['sample-seed']));
const seen = new Set<number>();
const table = macroAccuracy();
const rows: { arch: string; supernet: number; loss: number; table: number; flops: number }[] = [];
const s0 = cpu();
while (rows.length < n) {
  const i = rng.int(spaceSize(space));
  if (seen.has(i)) continue;
  seen.add(i);
  const g = genotypeAt(space, i);
  const arch = space.encode(g);
  const score = await net.scoreWithLoss(g);
  rows.push({ arch, supernet: score.accuracy, loss: score.loss, table: table[arch]!.meanAcc, flops: countFlops(space.build(g)) });
  if (rows.length % 10 === 0 || rows.length === n) {
    const sp = spearman(rows.map((r) => r.supernet), rows.map((r) => r.table));
    const lsp = spearman(rows.map((r) => -r.loss), rows.map((r) => r.table));
    process.stderr.write(`${rows.length} archs: spearman ${sp.toFixed(3)} (loss ${lsp.toFixed(3)}) (${((cpu() - s0) / rows.length).toFixed(1)} CPU-s per arch scoring)\n`);
  }
}
const scoreCpu = cpu() - s0;
const sup = rows.map((r) => r.supernet);
const tab = rows.map((r) => r.table);
const fl = rows.map((r) => r.flops);
const result = {
  space: space.id, archs: n, sampleSeed: Number(a['sample-seed']), options: { ...net.options, onProgress: undefined },
  cached: net.info.cached, steps: net.info.steps, trainCpuSeconds: net.info.trainCpuSeconds, trainWallSeconds: net.info.trainWallSeconds, epochLoss: net.info.epochLoss,
  openCpuSeconds: openCpu, scoreCpuSecondsPerArch: scoreCpu / n,
  cpuSecondsPerArchAmortised: net.info.trainCpuSeconds / n + scoreCpu / n,
  spearman: spearman(sup, tab), kendall: kendall(sup, tab),
  lossSpearman: spearman(rows.map((r) => -r.loss), tab), lossKendall: kendall(rows.map((r) => -r.loss), tab), flopsSpearman: spearman(fl, tab), flopsKendall: kendall(fl, tab),
  supernetVsFlopsSpearman: spearman(sup, fl),
  rows,
};
const { rows: _rows, ...summary } = result;
console.log(JSON.stringify(summary, null, 2));
if (a.out) writeFileSync(a.out, `${JSON.stringify(result, null, 2)}\n`);
net.dispose();
