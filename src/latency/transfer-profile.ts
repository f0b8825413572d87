import { InputError } from '../errors.ts';
import { countFlops } from '../graph/count.ts';
import type { SearchSpace } from '../space/search-space.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { leastSquaresLine } from '../util/least-squares-line.ts';
import { Rng } from '../util/rng.ts';
import { spearman } from '../util/spearman.ts';
import type { MeasuredDevice } from './device-profile.ts';
import { fitAdditive, predictAdditive } from './fitted-predictor.ts';
import { predictionAccuracy, type PredictionAccuracy } from './lut-accuracy.ts';
import { GENERATED_LUT_DIR } from './lut-file.ts';
import { timeRoundRobin, type ProfileStatistic } from './lut-profile.ts';
import { BatchMeasurer } from './batch-measurer.ts';
import { layerFeatures } from './op-features.ts';
import { latencyTableOfSpace, tableTransferPrior } from './table-prior.ts';
import { fitTransfer } from './transfer-predictor.ts';

/**
 * `hwnas profile --predictor transfer`: describe a measured device by N measured architectures and
 * predict every other architecture of a table space with the transfer predictor
 * (`transfer-predictor.ts`), all columns of the space's latency table (27 published devices for
 * `nb201`) as prior. Then measure `check` further architectures, never used for fitting, and report
 * how well the predictions rank and match them.
 *
 * Architectures are rows of the table (every `nb201` cell; the 5,000 listed FBNet archs for
 * `fbnet-cifar100`), drawn by a seeded shuffle: the first N are the samples, the next `check` the check
 * set. They are timed as `hwnas profile` times models for a LUT (`lut-profile.ts`, `timeRoundRobin`):
 * the protocol of every measured latency (interleaved rounds, ten architectures per batch, the
 * reference network between rounds, until the CI reaches the device's tolerance), latency = the
 * `statistic` (min by default) of the timed runs. The predictions of every row are written
 * to `outFile` (format `hwnas-transfer/1`).
 */

export interface TransferProfileOptions {
  /** Architectures measured to fit the predictor (≥ 3). @defaultValue 10 */
  samples: number;
  /** Architectures measured only to judge the predictions. @defaultValue 200 */
  check: number;
  /** Seed of the draw. @defaultValue 0 */
  seed: number;
  /** Statistic of the timed runs. @defaultValue 'min' */
  statistic?: ProfileStatistic;
  /** Interleaved rounds per architecture at least. @defaultValue the device's `timing.minRounds` */
  rounds?: number;
  /** Where the predictions are written. @defaultValue `devices/luts/<device>-<space>-transfer.json` */
  outFile?: string;
}

export interface TransferProfileCell {
  arch: string;
  /** Row of the latency table. */
  row: number;
  role: 'sample' | 'check';
  measuredMs: number;
  /** Coefficient of variation of the timed runs (median over the visits). */
  cv: number;
  predictedMs: number;
  /** The layer-wise NNLS model fitted on the same samples. */
  nnlsMs: number;
  flops: number;
}

/** Accuracy fields are those of the transfer predictor on the check architectures. */
export interface TransferProfileReport extends PredictionAccuracy {
  device: string;
  space: string;
  predictor: 'transfer';
  /** Latency table whose columns are the prior, and its row count. */
  table: string;
  rows: number;
  runtime: Record<string, string | number>;
  samples: number;
  check: number;
  seed: number;
  statistic: ProfileStatistic;
  rounds: number;
  /** The layer-wise NNLS model fitted on the same N samples, on the check architectures. */
  nnls: PredictionAccuracy;
  /** Spearman ρ of FLOPs against the measured latency of the check architectures (no samples needed). */
  flopsSpearman: number;
  /** latency ≈ a + b·FLOPs fitted by least squares on the N samples, on the check architectures. */
  flopsLine: PredictionAccuracy;
  /** Median coefficient of variation of all measurements. */
  medianCv: number;
  /** Source devices with the largest |coefficient| in the fitted model (ln-latency units per standard deviation). */
  topSources: { source: string; coefficient: number }[];
  predictionsFile: string;
  sampleSeconds: number;
  checkSeconds: number;
  cells: TransferProfileCell[];
}

/** `hwnas-transfer/1`: predictions of every row of a latency table for a measured device. */
export interface TransferPredictionsFile {
  format: 'hwnas-transfer/1';
  device: string;
  space: string;
  table: string;
  runtime: Record<string, string | number>;
  method: string;
  samples: { arch: string; measuredMs: number }[];
  intercept: number;
  sourceCoefficients: Record<string, number>;
  opCoefficients: Record<string, number>;
  archs: readonly string[];
  predictedMs: number[];
}

export type Progress = (line: string) => void;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[n >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** Run the transfer profile (see the module comment). */
export async function profileTransfer(device: MeasuredDevice, space: SearchSpace, opts: TransferProfileOptions, progress: Progress = () => {}): Promise<TransferProfileReport> {
  const table = latencyTableOfSpace(space);
  const archs = table.archStrings();
  const rows = archs.length;
  if (!Number.isInteger(opts.samples) || opts.samples < 3) throw new InputError('bad-flag', 'the transfer predictor needs at least 3 measured architectures', { path: '--samples', expected: 'an integer ≥ 3', actual: String(opts.samples) });
  if (!Number.isInteger(opts.check) || opts.check < 0 || opts.samples + opts.check > rows) {
    throw new InputError('bad-flag', `samples + check must fit in the ${rows} architectures of the ${table.id} table`, { path: '--check', expected: `an integer in [0, ${rows - opts.samples}]`, actual: String(opts.check) });
  }
  const statistic = opts.statistic ?? 'min';
  const rounds = opts.rounds ?? device.timing.minRounds;
  if (!Number.isInteger(rounds) || rounds < 1) throw new InputError('bad-flag', 'rounds must be a positive integer', { path: '--rounds', expected: 'an integer ≥ 1', actual: String(rounds) });
  const measurer = await BatchMeasurer.open(device);
  const runtime = measurer.runtime;
  const outFile = opts.outFile ?? `${GENERATED_LUT_DIR}${device.id}-${space.id}-transfer.json`;
  const order = new Rng(opts.seed).fork('transfer-profile').shuffle(archs.map((_, i) => i));
  const sampleRows = order.slice(0, opts.samples);
  const checkRows = order.slice(opts.samples, opts.samples + opts.check);

  const measureRows = async (list: readonly number[], what: string): Promise<{ ms: number[]; cv: number[]; seconds: number }> => {
    const t0 = performance.now();
    const graphs = list.map((r) => space.build(space.decode(archs[r]!)));
    const times = await timeRoundRobin(measurer, graphs, statistic, rounds, (done, total) => {
      const s = (performance.now() - t0) / 1000;
      progress(`profile: ${what} ${done}/${total} (${s.toFixed(0)} s${done < total ? `, ~${((s / done) * (total - done)).toFixed(0)} s left` : ''})`);
    });
    return { ms: times.map((t) => t.latencyMs), cv: times.map((t) => t.cv), seconds: (performance.now() - t0) / 1000 };
  };

  const sampled = await measureRows(sampleRows, 'measured sample');
  const prior = tableTransferPrior(table, space, undefined);
  const model = fitTransfer(prior, sampleRows.map((r, i) => ({ row: r, latencyMs: sampled.ms[i]! })));
  const predicted = model.predictAllMs();
  const info = runtime.info({ threads: device.threads });
  const runtimeFacts = { runtime: info.runtime, version: info.version, provider: info.provider, threads: info.threads };
  const file: TransferPredictionsFile = {
    format: 'hwnas-transfer/1', device: device.id, space: space.id, table: table.id, runtime: runtimeFacts,
    method: `transfer predictor (src/latency/transfer-predictor.ts) fitted on ${opts.samples} measured architectures (${statistic} of the timed runs, at least ${rounds} interleaved rounds), every column of the ${table.id} latency table as prior; ln predictedMs = intercept + sum of sourceCoefficients x standardised ln latency of the source + sum of opCoefficients x op count`,
    samples: sampleRows.map((r, i) => ({ arch: archs[r]!, measuredMs: sampled.ms[i]! })),
    intercept: model.intercept,
    sourceCoefficients: Object.fromEntries(model.sourceCoefficients),
    opCoefficients: Object.fromEntries(model.opCoefficients),
    archs,
    predictedMs: Array.from(predicted),
  };
  writeFileAtomic(outFile, `${JSON.stringify(file)}\n`);
  progress(`profile: predictions of all ${rows} architectures written to ${outFile}`);

  const checked = await measureRows(checkRows, 'check');
  const features = (r: number): Map<string, number> => layerFeatures(space, space.decode(archs[r]!));
  const nnlsModel = fitAdditive(sampleRows.map(features), sampled.ms);
  const cells: TransferProfileCell[] = [
    ...sampleRows.map((r, i) => ({ row: r, role: 'sample' as const, measuredMs: sampled.ms[i]!, cv: sampled.cv[i]! })),
    ...checkRows.map((r, i) => ({ row: r, role: 'check' as const, measuredMs: checked.ms[i]!, cv: checked.cv[i]! })),
  ].map((c) => ({
    arch: archs[c.row]!, row: c.row, role: c.role, measuredMs: c.measuredMs, cv: c.cv,
    predictedMs: predicted[c.row]!, nnlsMs: predictAdditive(nnlsModel, features(c.row)).latencyMs,
    flops: countFlops(space.build(space.decode(archs[c.row]!))),
  }));
  const checks = cells.filter((c) => c.role === 'check');
  const fitted = leastSquaresLine(cells.filter((c) => c.role === 'sample').map((c) => c.flops), sampled.ms);
  const line = Number.isFinite(fitted.slope) ? fitted : { intercept: fitted.intercept, slope: 0 };
  const measured = checks.map((c) => c.measuredMs);
  const top = [...model.sourceCoefficients].sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])).slice(0, 5);
  return {
    device: device.id, space: space.id, predictor: 'transfer', table: table.id, rows, runtime: runtimeFacts,
    samples: opts.samples, check: opts.check, seed: opts.seed, statistic, rounds,
    ...predictionAccuracy(checks.map((c) => c.predictedMs), measured),
    nnls: predictionAccuracy(checks.map((c) => c.nnlsMs), measured),
    flopsSpearman: spearman(checks.map((c) => c.flops), measured),
    flopsLine: predictionAccuracy(checks.map((c) => line.intercept + line.slope * c.flops), measured),
    medianCv: median(cells.map((c) => c.cv)),
    topSources: top.map(([source, coefficient]) => ({ source, coefficient })),
    predictionsFile: outFile,
    sampleSeconds: sampled.seconds, checkSeconds: checked.seconds,
    cells,
  };
}
