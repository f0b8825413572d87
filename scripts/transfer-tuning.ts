// How the transfer predictor's defaults were chosen, without looking at HELP's test devices.
// Tuning targets: HELP's meta-training and meta-validation devices (1080ti_*, silver_*, samsung_*,
// pixel3, essential_ph_1, titanx_*, gold_6240). Their priors leave out the target's hardware AND every
// HELP test device (titan_rtx_*, gold_6226, pixel2, raspi4, eyeriss, fpga), so the six test columns
// play no part. Prints the mean Spearman ρ (all other rows) per setting, N samples, K seeds.
// Usage: node --import tsx scripts/transfer-tuning.ts [--space nb201|fbnet-cifar100] [--samples 10] [--seeds 5]
// (about a minute for nb201, two for fbnet-cifar100, on 2 cores)
import { sampleOrder, scoreRows } from '../src/latency/predictor-bench.ts';
import { sameHardwareKeys } from '../src/latency/table-hardware.ts';
import { FLOPS_SOURCE, tableOpFeatures } from '../src/latency/table-prior.ts';
import { tableRowFacts } from '../src/latency/table-row-facts.ts';
import { fitTransfer, TransferPrior, type TransferOptions } from '../src/latency/transfer-predictor.ts';
import { loadSpace } from '../src/space/space-registry.ts';
import { getLatencyTable } from '../src/tables/table-data.ts';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const spaceId = arg('--space', 'nb201');
const n = Number(arg('--samples', '10'));
const seeds = Number(arg('--seeds', '5'));
const space = loadSpace(spaceId);
const table = getLatencyTable(spaceId === 'nb201' ? 'nb201' : 'fbnet')!;
const keys = table.keys();
const big = spaceId === 'nb201' ? '256' : '64';
const tuning = ['1080ti_1', '1080ti_32', `1080ti_${big}`, 'silver_4114', 'silver_4210r', 'samsung_a50', 'pixel3', 'essential_ph_1', 'samsung_s7', 'titanx_1', 'titanx_32', `titanx_${big}`, 'gold_6240'];
const helpTest = new Set(['titan_rtx_1', 'titan_rtx_32', `titan_rtx_${big}`, 'gold_6226', 'pixel2', 'raspi4', 'eyeriss', 'fpga']);
const ops = tableOpFeatures(table, space);

const flops = tableRowFacts(table, space).flops;
// [name, FLOPs as a pseudo-source, options]; the first row is the default.
const settings: [string, boolean, TransferOptions][] = [
  ['default (with (flops))', true, {}],
  ['without (flops)', false, {}],
  ['noise 0.1', true, { noiseVariance: 0.1 }],
  ['noise 0.4', true, { noiseVariance: 0.4 }],
  ['op [0]', true, { opVariances: [0] }],
  ['op [0.3]', true, { opVariances: [0.3] }],
  ['op [1]', true, { opVariances: [1] }],
  ['op [0.1, 1] averaged', true, { opVariances: [0.1, 1] }],
  ['eta [20] only', true, { etas: [20] }],
  ['eta [0] only', true, { etas: [0] }],
];
console.log(`${spaceId}: ${tuning.length} tuning targets, N = ${n}, ${seeds} seeds; prior without the target's hardware and without ${[...helpTest].join(', ')}`);
for (const [name, withFlops, opts] of settings) {
  const per: string[] = [];
  let sum = 0;
  for (const target of tuning) {
    const sib = new Set(sameHardwareKeys(target, keys));
    const sources = keys.filter((k) => !sib.has(k) && !helpTest.has(k)).map((k) => ({ name: k, latencyMs: table.column(k)! }));
    const prior = new TransferPrior(withFlops ? [...sources, { name: FLOPS_SOURCE, latencyMs: flops }] : sources, ops);
    const truth = table.column(target)!;
    let rho = 0;
    for (let seed = 0; seed < seeds; seed++) {
      const order = sampleOrder(truth.length, target, seed);
      const model = fitTransfer(prior, order.slice(0, n).map((r) => ({ row: r, latencyMs: truth[r]! })), opts);
      rho += scoreRows(model.predictAllMs(), truth, order.slice(n)).spearman / seeds;
    }
    per.push(rho.toFixed(3));
    sum += rho / tuning.length;
  }
  console.log(`${name.padEnd(24)} mean ${sum.toFixed(4)}  ${per.join(' ')}`);
}
