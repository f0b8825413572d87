/**
 * Fidelity of proxy training (issue 5): random NAS-Bench-Macro architectures trained with a cheap
 * setting and a longer one on Fashion-MNIST; Spearman ρ between the two settings, and of each with
 * the benchmark's CIFAR-10 mean test accuracy. Prints one JSON line per architecture as it finishes,
 * then a summary line; nothing is written unless `--out` is given.
 *
 *   node --import tsx scripts/proxy-fidelity.ts [--archs 50] [--seed 0] [--backend wasm]
 *     [--cheap-epochs 1] [--cheap-size 2000] [--long-epochs 5] [--long-size 20000] [--test-size 500]
 *     [--data-dir data/fashion-mnist-subset] [--out results/proxy-fidelity.json]
 *
 * The defaults are the setting; the full 60,000-image set needs `--data-dir` pointing at the
 * complete Fashion-MNIST IDX files (the vendored subset has 2,000 training and 500 test images).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { loadProxyData, proxyTrain, type ProxyTrainOptions } from '../src/accuracy/proxy-train.ts';
import { VENDORED_FASHION_MNIST_DIR } from '../src/accuracy/idx-dataset.ts';
import { macroAccuracy } from '../src/tables/table-data.ts';
import type { TfjsBackendName } from '../src/runtime/tfjs/tfjs-backends.ts';
import { Rng } from '../src/util/rng.ts';
import { genotypeAt, spaceSize } from '../src/space/search-space.ts';
import { loadSpace } from '../src/space/space-registry.ts';
import { spearman } from '../src/util/spearman.ts';

const { values: f } = parseArgs({
  options: {
    archs: { type: 'string', default: '50' },
    seed: { type: 'string', default: '0' },
    backend: { type: 'string', default: 'wasm' },
    'cheap-epochs': { type: 'string', default: '1' },
    'cheap-size': { type: 'string', default: '2000' },
    'long-epochs': { type: 'string', default: '5' },
    'long-size': { type: 'string', default: '20000' },
    'test-size': { type: 'string', default: '500' },
    'data-dir': { type: 'string', default: VENDORED_FASHION_MNIST_DIR },
    out: { type: 'string' },
  },
});

const seed = Number(f.seed);
const base: ProxyTrainOptions = { seed, backend: f.backend as TfjsBackendName, testSize: Number(f['test-size']), dataDir: f['data-dir']! };
const cheap: ProxyTrainOptions = { ...base, epochs: Number(f['cheap-epochs']), trainSize: Number(f['cheap-size']) };
const long: ProxyTrainOptions = { ...base, epochs: Number(f['long-epochs']), trainSize: Number(f['long-size']) };

const space = loadSpace('nasbench-macro');
const table = macroAccuracy();
const rng = new Rng(seed).fork('proxy-fidelity/archs');
const picked = new Set<number>();
const n = Number(f.archs);
while (picked.size < n) picked.add(rng.int(spaceSize(space)));
const archs = [...picked].map((i) => space.encode(genotypeAt(space, i)));

const cheapData = loadProxyData(cheap);
const longData = loadProxyData(long);
console.log(JSON.stringify({ setting: { cheap, long, archs: n, dataDir: f['data-dir'] } }));

interface Row { arch: string; cifar10MeanAcc: number; cheapAcc: number; cheapMs: number; longAcc: number; longMs: number }
const rows: Row[] = [];
const started = performance.now();
for (const arch of archs) {
  const graph = space.build(space.decode(arch));
  const c = await proxyTrain(graph, cheapData, cheap);
  const l = await proxyTrain(graph, longData, long);
  const row = { arch, cifar10MeanAcc: table[arch]!.meanAcc, cheapAcc: c.accuracy, cheapMs: Math.round(c.trainMs), longAcc: l.accuracy, longMs: Math.round(l.trainMs) };
  rows.push(row);
  console.log(JSON.stringify(row));
}

const col = (k: keyof Row): number[] => rows.map((r) => r[k] as number);
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const summary = {
  archs: rows.length,
  spearmanCheapVsLong: spearman(col('cheapAcc'), col('longAcc')),
  spearmanCheapVsCifar10: spearman(col('cheapAcc'), col('cifar10MeanAcc')),
  spearmanLongVsCifar10: spearman(col('longAcc'), col('cifar10MeanAcc')),
  meanCheapAcc: mean(col('cheapAcc')),
  meanLongAcc: mean(col('longAcc')),
  meanCheapTrainMs: mean(col('cheapMs')),
  meanLongTrainMs: mean(col('longMs')),
  wallMs: Math.round(performance.now() - started),
};
console.log(JSON.stringify({ summary }));
if (f.out) {
  mkdirSync(dirname(f.out), { recursive: true });
  writeFileSync(f.out, JSON.stringify({ setting: { cheap, long }, rows, summary }, null, 2));
}
