import type { SearchSpace } from '../space/search-space.ts';
import type { LatencyTable } from '../tables/table-data.ts';
import { leastSquaresLine } from '../util/least-squares-line.ts';
import { Rng } from '../util/rng.ts';
import { spearman } from '../util/spearman.ts';
import { fitAdditive, predictAdditive } from './fitted-predictor.ts';
import { tableRowFacts } from './table-row-facts.ts';
import { tableTransferPrior } from './table-prior.ts';
import { fitTransfer, type TransferOptions, type TransferPrior } from './transfer-predictor.ts';

/**
 * `hwnas predictor-bench`: how well each latency predictor ranks and predicts every architecture of a
 * table device when it may measure only N of them.
 *
 * For a target column of a latency table, a seed and N: N rows are drawn (seeded shuffle of the rows
 * per target and seed; the N-sample set is a prefix of the (N+k)-sample set), every predictor is fitted
 * on those N measurements only, and judged on **all other rows** (15,625 − N cells for `nb201`, 5,000 −
 * N sampled archs for `fbnet-cifar100`): Spearman's ρ and the share within ±10 %. Reported numbers are
 * means over the seeds.
 *
 * Predictors:
 * - `transfer`: `transfer-predictor.ts` with the table's other columns as prior, the target's own
 *   column and its same-hardware siblings left out (`table-prior.ts`);
 * - `nnls`: the layer-wise additive model (`fitted-predictor.ts`, NNLS) on `layerFeatures`;
 * - `flops`, `params`: latency ≈ a + b·proxy by least squares on the N samples (gives `within10`);
 *   `spearman` is that of the proxy itself, which needs no sample.
 */

export const PREDICTORS = ['transfer', 'nnls', 'flops', 'params'] as const;
export type PredictorName = (typeof PREDICTORS)[number];

export interface BenchTarget {
  /** Name reported as `target` (the device id). */
  id: string;
  /** Column of the table. */
  key: string;
}

export interface PredictorBenchOptions {
  table: LatencyTable;
  /** The space whose arch strings key the table's rows. */
  space: SearchSpace;
  targets: readonly BenchTarget[];
  /** Sample counts N, each in [3, rows − 1]. */
  samples: readonly number[];
  /** Seeds 0 … seeds − 1. */
  seeds: number;
  predictors: readonly PredictorName[];
  transfer?: TransferOptions;
  /** Table columns the transfer predictor may use as prior knowledge. @defaultValue every column but the target's hardware */
  sources?: readonly string[];
}

/** One line of the result (the `--format json` contract): means over the seeds. */
export interface PredictorBenchRow {
  target: string;
  predictor: PredictorName;
  samples: number;
  spearman: number;
  within10: number;
}

export type BenchProgress = (line: string) => void;

/** Spearman ρ and share within ±10 % of `predicted` against `truth` over `rows`. */
export function scoreRows(predicted: ArrayLike<number>, truth: ArrayLike<number>, rows: readonly number[]): { spearman: number; within10: number } {
  const p = rows.map((r) => predicted[r]!);
  const t = rows.map((r) => truth[r]!);
  let w = 0;
  for (let i = 0; i < rows.length; i++) if (Math.abs(p[i]! - t[i]!) <= 0.1 * Math.abs(t[i]!)) w++;
  return { spearman: spearman(p, t), within10: rows.length ? w / rows.length : NaN };
}

/** The rows a seed draws for a target, in draw order (its first N are the N samples). */
export function sampleOrder(rows: number, targetKey: string, seed: number): number[] {
  return new Rng(seed).fork(`predictor-bench:${targetKey}`).shuffle(Array.from({ length: rows }, (_, i) => i));
}

/** Run the bench (see the module comment); rows ordered by target, N, predictor. */
export function benchPredictors(opts: PredictorBenchOptions, progress: BenchProgress = () => {}): PredictorBenchRow[] {
  const { table, space } = opts;
  const rows = table.archStrings().length;
  for (const n of opts.samples) {
    if (!Number.isInteger(n) || n < 3 || n >= rows) throw new Error(`benchPredictors: sample count ${n} outside [3, ${rows - 1}]`);
  }
  if (!Number.isInteger(opts.seeds) || opts.seeds < 1) throw new Error(`benchPredictors: seeds must be a positive integer, got ${opts.seeds}`);
  const needFacts = opts.predictors.some((p) => p !== 'transfer');
  const facts = needFacts ? tableRowFacts(table, space) : undefined;
  const samples = [...opts.samples].sort((a, b) => a - b);
  const out: PredictorBenchRow[] = [];
  const t0 = performance.now();
  opts.targets.forEach((target, ti) => {
    const truth = table.column(target.key);
    if (!truth) throw new Error(`latency table ${table.id} has no column ${target.key}`);
    const prior: TransferPrior | undefined = opts.predictors.includes('transfer') ? tableTransferPrior(table, space, target.key, opts.sources) : undefined;
    const sums = new Map<string, { spearman: number; within10: number }>();
    const add = (p: PredictorName, n: number, s: { spearman: number; within10: number }): void => {
      const k = `${p}:${n}`;
      const acc = sums.get(k) ?? { spearman: 0, within10: 0 };
      acc.spearman += s.spearman / opts.seeds;
      acc.within10 += s.within10 / opts.seeds;
      sums.set(k, acc);
    };
    for (let seed = 0; seed < opts.seeds; seed++) {
      const order = sampleOrder(rows, target.key, seed);
      for (const n of samples) {
        const train = order.slice(0, n);
        const test = order.slice(n);
        const y = train.map((r) => truth[r]!);
        for (const p of opts.predictors) {
          if (p === 'transfer') {
            const model = fitTransfer(prior!, train.map((r, i) => ({ row: r, latencyMs: y[i]! })), opts.transfer);
            add(p, n, scoreRows(model.predictAllMs(), truth, test));
          } else if (p === 'nnls') {
            const model = fitAdditive(train.map((r) => facts!.layers[r]!), y);
            const pred = new Float64Array(rows);
            for (const r of test) pred[r] = predictAdditive(model, facts!.layers[r]!).latencyMs;
            add(p, n, scoreRows(pred, truth, test));
          } else {
            const proxy = p === 'flops' ? facts!.flops : facts!.params;
            const line = leastSquaresLine(train.map((r) => proxy[r]!), y);
            const slope = Number.isFinite(line.slope) ? line.slope : 0;
            const pred = Float64Array.from(proxy, (v) => line.intercept + slope * v);
            const s = scoreRows(pred, truth, test);
            add(p, n, { spearman: scoreRows(proxy, truth, test).spearman, within10: s.within10 });
          }
        }
      }
    }
    for (const n of samples) {
      for (const p of opts.predictors) {
        const s = sums.get(`${p}:${n}`)!;
        out.push({ target: target.id, predictor: p, samples: n, spearman: s.spearman, within10: s.within10 });
      }
    }
    progress(`predictor-bench: ${target.id} done (${ti + 1}/${opts.targets.length}, ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  });
  return out;
}
