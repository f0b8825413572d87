/**
 * Does the standard CIFAR augmentation (random crop with 4-px padding + horizontal flip) make proxy
 * training rank NAS-Bench-Macro architectures better? The same seeded random architectures trained
 * with and without it (same images, weights and batch order), each ranked against the benchmark's
 * CIFAR-10 mean test accuracy: Spearman ρ and Kendall τ per setting, and their paired difference
 * with a bootstrap 90 % interval over architectures. One JSON line per architecture, then a summary.
 *
 *   node --import tsx scripts/proxy-augment-fidelity.ts [--archs 20] [--seed 0] [--jobs 2]
 *     [--epochs 1] [--train-images 2000] [--test-images 500] [--data DIR]
 */
import { parseArgs } from 'node:util';
import { proxyTrainSource } from '../src/accuracy/proxy-train.ts';
import { macroAccuracy } from '../src/tables/table-data.ts';
import { Rng } from '../src/util/rng.ts';
import { genotypeAt, spaceSize } from '../src/space/search-space.ts';
import { loadSpace } from '../src/space/space-registry.ts';
import { spearman } from '../src/util/spearman.ts';

/** Kendall's τ-a: (concordant − discordant pairs) / all pairs; ties count as neither. */
function kendall(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) for (let j = i + 1; j < a.length; j++) s += Math.sign(a[i]! - a[j]!) * Math.sign(b[i]! - b[j]!);
  return (2 * s) / (a.length * (a.length - 1));
}

const { values: f } = parseArgs({
  options: {
    archs: { type: 'string', default: '20' }, seed: { type: 'string', default: '0' }, jobs: { type: 'string', default: '2' },
    epochs: { type: 'string', default: '1' }, 'train-images': { type: 'string', default: '2000' }, 'test-images': { type: 'string', default: '500' },
    data: { type: 'string' },
  },
});
const space = loadSpace('nasbench-macro');
const seed = Number(f.seed);
const rng = new Rng(seed).fork('augment-fidelity/archs');
const picked = new Set<number>();
while (picked.size < Number(f.archs)) picked.add(rng.int(spaceSize(space)));
const archs = [...picked].map((i) => genotypeAt(space, i));
const table = macroAccuracy();
const base = { seed, epochs: Number(f.epochs), trainSize: Number(f['train-images']), testSize: Number(f['test-images']), ...(f.data !== undefined && { dataDir: f.data }) };
const results: Record<string, number[]> = {};
for (const augment of [false, true]) {
  const src = proxyTrainSource({ ...base, augment, jobs: Number(f.jobs) });
  const t0 = performance.now();
  const accs = await Promise.all(archs.map(async (g) => {
    const m = await src.metrics(space, g);
    console.log(JSON.stringify({ augment, arch: space.encode(g), accuracy: m.accuracy, trainMs: Math.round(m.trainMs!), table: table[space.encode(g)]!.meanAcc }));
    return m.accuracy!;
  }));
  await src.close?.();
  results[String(augment)] = accs;
  console.error(`augment ${augment}: ${((performance.now() - t0) / 1000).toFixed(0)} s for ${archs.length} architectures`);
}
const truth = archs.map((g) => table[space.encode(g)]!.meanAcc);
const idx = archs.map((_, i) => i);
const rho = (which: string, ix: readonly number[]) => spearman(ix.map((i) => results[which]![i]!), ix.map((i) => truth[i]!));
const boot = new Rng(seed).fork('augment-fidelity/bootstrap');
const diffs: number[] = [];
for (let b = 0; b < 2000; b++) {
  const ix = idx.map(() => boot.int(idx.length));
  const d = rho('true', ix) - rho('false', ix);
  if (Number.isFinite(d)) diffs.push(d);
}
diffs.sort((a, b) => a - b);
console.log(JSON.stringify({
  summary: true, archs: archs.length, ...base,
  spearmanPlain: rho('false', idx), spearmanAugmented: rho('true', idx),
  kendallPlain: kendall(results.false!, truth), kendallAugmented: kendall(results.true!, truth),
  diffSpearman90: [diffs[Math.floor(0.05 * diffs.length)], diffs[Math.floor(0.95 * diffs.length)]],
}));
