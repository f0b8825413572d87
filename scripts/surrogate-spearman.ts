/**
 * Held-out Spearman ρ of the boosted-tree surrogate (src/accuracy/surrogate/) on the benchmark
 * tables: for each training size N and seed, N architectures drawn uniformly with `Rng(seed)` train
 * the surrogate on their one-hot encodings; ρ is measured on all the others.
 *
 *   node --import tsx scripts/surrogate-spearman.ts [--space nb201|nasbench-macro] [--sizes 100,500,1000] [--seeds 3]
 *
 * Ground truth = the zero-cost table's: nb201 CIFAR-10 test accuracy (200 epochs), nasbench-macro
 * mean CIFAR-10 test accuracy.
 */
import { getAccuracySource } from '../src/accuracy/accuracy-registry.ts';
import { oneHot } from '../src/accuracy/surrogate/one-hot.ts';
import { spearman } from '../src/util/spearman.ts';
import { fitSurrogate } from '../src/accuracy/surrogate/surrogate.ts';
import { Rng } from '../src/util/rng.ts';
import { genotypeAt, spaceSize } from '../src/space/search-space.ts';
import { loadSpace } from '../src/space/space-registry.ts';

const args = process.argv.slice(2);
const flag = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : def;
};
const spaceId = flag('space', 'nb201');
const sizes = flag('sizes', '100,500,1000').split(',').map(Number);
const seeds = Number(flag('seeds', '3'));

const space = loadSpace(spaceId);
const source = await getAccuracySource('table', space);
const truthKey = spaceId === 'nb201' ? 'testAccuracy' : 'accuracy';
const X: number[][] = [];
const y: number[] = [];
for (let i = 0; i < spaceSize(space); i++) {
  const g = genotypeAt(space, i);
  X.push(oneHot(space, g));
  y.push((await source.metrics(space, g))[truthKey]!);
}
console.log(`| space | train N | held-out archs | Spearman ρ (mean ± sd over ${seeds} seeds) | fit s |`);
console.log('|---|---:|---:|---:|---:|');
for (const n of sizes) {
  const rhos: number[] = [];
  let fitSec = 0;
  for (let s = 0; s < seeds; s++) {
    const order = new Rng(s).fork('surrogate-split').shuffle(X.map((_, i) => i));
    const train = order.slice(0, n);
    const test = order.slice(n);
    const t = performance.now();
    const model = fitSurrogate(train.map((i) => X[i]!), train.map((i) => y[i]!), new Rng(s).fork('surrogate-fit'));
    fitSec += (performance.now() - t) / 1000;
    rhos.push(spearman(test.map((i) => model.predict(X[i]!)), test.map((i) => y[i]!)));
  }
  const mean = rhos.reduce((a, b) => a + b, 0) / rhos.length;
  const sd = Math.sqrt(rhos.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, rhos.length - 1));
  console.log(`| ${spaceId} | ${n} | ${X.length - n} | ${mean.toFixed(3)} ± ${sd.toFixed(3)} | ${(fitSec / seeds).toFixed(1)} |`);
}
