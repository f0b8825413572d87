// FBNet layer-wise predictor check: for each of the 27 devices of the vendored FBNet latency table
// (HELP; 5,000 sampled archs of space fbnet-cifar100), fit the NNLS layer-count model on 500 archs
// and predict the other 4,500. Prints a Markdown table (the one in docs/latency-prediction.md).
// Usage: node --import tsx scripts/fbnet-predictor.ts [--train 500] [--seed 0]
import { countFeatures, fitAdditive, predictAdditive } from '../src/latency/fitted-predictor.ts';
import { predictionAccuracy } from '../src/latency/lut-accuracy.ts';
import { readGzJson, type FbnetLatencyFile } from '../src/tables/table-data.ts';
import { Rng } from '../src/util/rng.ts';
import { isLayeredSpace } from '../src/space/layered-space.ts';
import { loadSpace } from '../src/space/space-registry.ts';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const train = arg('--train', 500);
const seed = arg('--seed', 0);

const table = readGzJson<FbnetLatencyFile>('fbnet/latency.json.gz');
const space = loadSpace('fbnet-cifar100');
if (!isLayeredSpace(space)) throw new Error('fbnet-cifar100 must be layered');
// Table op indices → our choice indices (by name; the table's `ops` order is the space's).
const opIndex = table.ops.map((op) => space.decisions[0]!.choices.indexOf(op));
if (opIndex.some((i) => i < 0)) throw new Error(`table ops ${table.ops.join(',')} are not all choices of fbnet-cifar100`);
const features = table.archs.map((a) => countFeatures(space.layers(a.map((o) => opIndex[o]!)).filter((l) => !l.empty).map((l) => l.key)));

const order = new Rng(seed).shuffle(table.archs.map((_, i) => i));
const trainIdx = order.slice(0, train);
const testIdx = order.slice(train);
const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;

console.log(`FBNet table: ${table.archs.length} archs, ${Object.keys(table.latencyMs).length} devices; train ${trainIdx.length}, test ${testIdx.length}, split seed ${seed}; ${new Set(features.flatMap((f) => [...f.keys()])).size} distinct layer configs\n`);
console.log('| device | within ±10 % | within ±5 % | MAPE | Spearman ρ | median ms |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const device of Object.keys(table.latencyMs).sort()) {
  const y = table.latencyMs[device]!;
  const model = fitAdditive(trainIdx.map((i) => features[i]!), trainIdx.map((i) => y[i]!));
  const pred = testIdx.map((i) => predictAdditive(model, features[i]!).latencyMs);
  const acc = predictionAccuracy(pred, testIdx.map((i) => y[i]!));
  const med = [...testIdx.map((i) => y[i]!)].sort((a, b) => a - b)[testIdx.length >> 1]!;
  console.log(`| ${device} | ${pct(acc.within10)} | ${pct(acc.within5)} | ${acc.mape.toFixed(2)} % | ${acc.spearman.toFixed(3)} | ${med.toFixed(2)} |`);
}
