import { writeFileAtomic } from '../util/atomic-write.ts';
import { countFlops, countParams } from '../graph/count.ts';
import { GraphBuilder } from '../graph/graph-builder.ts';
import type { ModelGraph, Shape } from '../graph/model-graph.ts';
import { errorMessage, InputError } from '../errors.ts';
import { BatchMeasurer, timingWarning } from './batch-measurer.ts';
import { hostLoad, type HostLoad } from './host-load.ts';
import { timingQuality, type TimingQuality } from './timing-quality.ts';
import { Rng } from '../util/rng.ts';
import { isLayeredSpace, layerGraph, type LayeredSpace } from '../space/layered-space.ts';
import type { Genotype, SearchSpace } from '../space/search-space.ts';
import { leastSquaresLine } from '../util/least-squares-line.ts';
import { spearman } from '../util/spearman.ts';
import type { MeasuredDevice } from './device-profile.ts';
import { countFeatures, fitAdditive, predictAdditive, type Features } from './fitted-predictor.ts';
import { predictionAccuracy, type PredictionAccuracy } from './lut-accuracy.ts';
import { GENERATED_LUT_DIR, type HwnasLutEntry, type HwnasLutFile, type Lut } from './lut-file.ts';
import { predictWithLut } from './lut-predictor.ts';

/**
 * `hwnas profile`: build a per-layer LUT of a space on a measured device and check it.
 *
 * (a) Every distinct layer configuration of the space (`allLayers()`) is measured on its own
 *     (input → layer). Each measurement includes a fixed per-run cost (session.run dispatch, feeding
 *     the input, copying the output back to JS). That cost is measured on a pass-through graph
 *     (input shaped like the layer's output → Flatten) and subtracted: entry = latency(layer graph) −
 *     latency(pass-through of its output shape), each by the chosen statistic ({@link ProfileStatistic},
 *     min by default). The whole-model base cost is the pass-through of
 *     the logits shape. LUT prediction = base + Σ entries.
 * (b) N sampled models are measured whole, twice, in two separate passes (pass 1 over all models,
 *     then pass 2), so `repeatSpearman` shows how repeatable the measurements are; the measured
 *     latency of a model is the mean of its two passes.
 *
 * Timing: in (a) and in each pass of (b), graphs are timed {@link PROFILE_GROUP} at a time with the
 * protocol every measured latency uses (`measure.ts`, docs/latency-protocol.md): interleaved rounds
 * with the reference network between rounds, until the 95 % CI of each graph's median is within the
 * device's tolerance or its time cap; `rounds` raises the minimum number of rounds. On a shared VM
 * the machine slows down for tens of seconds at a time (measured here: runs of consecutive models
 * 10–28 % slower in one pass than in the other); interleaving makes a slow spell hit all graphs of
 * a batch alike, and the reference network shows when it happened between batches.
 * (c) LUT accuracy on them, and a fitted predictor: NNLS (`nnls.ts`) on the features intercept +
 *     the model's LUT sum + counts of each layer configuration, k-fold cross-validated over the N
 *     models (every model predicted by a fit that did not see it).
 */

/**
 * Which statistic of the timed runs is a graph's latency: `median` (as everywhere in hwnas, via
 * `measureGraph`) or `min` (the fastest run: on a machine shared with other work, slow runs are
 * mostly time stolen by other processes, and the minimum is the most repeatable estimate of the
 * latency without them; Chen & Revels 2016, "Robust benchmarking in noisy environments").
 */
export type ProfileStatistic = 'median' | 'min';

export interface ProfileOptions {
  /** @defaultValue 'min' */
  statistic?: ProfileStatistic;
  /** Sampled whole models. @defaultValue 20 */
  samples: number;
  /** Seed of the model sample and of the folds. @defaultValue 0 */
  seed: number;
  /** Where the LUT is written. @defaultValue `devices/luts/<device>-<space>.json` */
  outFile?: string;
  /** Folds of the fitted predictor's cross-validation (at most `samples`). @defaultValue 5 */
  folds: number;
  /** Interleaved rounds per graph at least (see the module comment). @defaultValue the device's `timing.minRounds` */
  rounds?: number;
}

export interface ProfiledModel {
  arch: string;
  measuredMs: number;
  pass1Ms: number;
  pass2Ms: number;
  cv1: number;
  cv2: number;
  lutMs: number;
  fittedMs: number;
  flops: number;
  params: number;
}

/**
 * `within5`, `within10`, `mape`, `spearman` at the top level are those of the LUT predictor as
 * searches use it: calibrated (k-fold cross-validated), the same as `calibrated`; `lut` is the raw sum.
 */
export interface ProfileReport extends PredictionAccuracy {
  device: string;
  space: string;
  /** Statistic of the timed runs used as a graph's latency. */
  statistic: ProfileStatistic;
  /** Rounds per graph at least (`--rounds`). */
  rounds: number;
  runtime: Record<string, string | number>;
  lutFile: string;
  /** Layer configurations measured for the LUT. */
  layerConfigs: number;
  baseMs: number;
  samples: number;
  /** The raw LUT sum (no calibration). */
  lut: PredictionAccuracy;
  /** offset + scale · LUT sum, k-fold cross-validated; the coefficients fitted on all models. */
  calibrated: PredictionAccuracy & { folds: number; offsetMs: number; scale: number };
  flopsSpearman: number;
  paramsSpearman: number;
  /** Spearman ρ between the two measuring passes. */
  repeatSpearman: number;
  /** Median coefficient of variation of the 2·N whole-model measurements. */
  medianCv: number;
  fitted: PredictionAccuracy & { folds: number; features: string };
  /** Wall time of the LUT build and of the model passes (s). */
  lutSeconds: number;
  /** How far the timings can be trusted, and the machine's load before and after. */
  timing: TimingQuality & { loadBefore: HostLoad; loadAfter: HostLoad };
  modelSeconds: number;
  models: ProfiledModel[];
}

/** Progress lines (stderr in the CLI). */
export type Progress = (line: string) => void;

function passThrough(shape: Shape): ModelGraph {
  const input = shape.length === 3 ? shape : [shape[0]!, 1, 1];
  const b = new GraphBuilder(`passthrough:${input.join('x')}`, input);
  return b.build(b.flatten(b.input));
}

export interface GraphTiming {
  latencyMs: number;
  cv: number;
  samples: number;
  /** The 95 % CI of the graph's median lies within ± this % (docs/latency-protocol.md). */
  ciHalfWidthPct: number;
  /** Reference drift of the graph's batch against the first batch, %. */
  referenceDriftPct: number;
  /** Why this graph's timing is not to be trusted (tolerance missed, reference drift), if so. */
  warning?: string;
}

/** Graphs of a profile timed together in one interleaved batch. @defaultValue 10 */
export const PROFILE_GROUP = 10;

/**
 * Time graphs with the protocol of `measure.ts`, {@link PROFILE_GROUP} at a time in interleaved
 * rounds (fresh sessions, the reference network between rounds), at least `rounds` rounds each
 * (and at least the device's `minRounds`); a graph's latency is the `statistic`: the median over
 * rounds (`median`) or the fastest timed run (`min`). A graph that fails to load or run stops the
 * profile (a LUT needs every entry).
 */
export async function timeRoundRobin(
  measurer: BatchMeasurer, graphs: readonly ModelGraph[], statistic: ProfileStatistic, rounds: number,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<GraphTiming[]> {
  const device = measurer.device;
  const timed: BatchMeasurer = rounds > device.timing.minRounds ? measurer.withTiming({ ...device.timing, minRounds: rounds }) : measurer;
  const out: GraphTiming[] = [];
  for (let i = 0; i < graphs.length; i += PROFILE_GROUP) {
    const group = graphs.slice(i, i + PROFILE_GROUP);
    const { items, batch } = await timed.measure(group.map((g) => () => measurer.runtime.load(g, { threads: device.threads })));
    for (const [k, it] of items.entries()) {
      if ('error' in it) throw new Error(`profile: ${group[k]!.name}: ${errorMessage(it.error)}`);
      const t = it.ok.timing;
      const warning = timingWarning(t, batch, device.timing.ciTolerancePct);
      out.push({
        latencyMs: statistic === 'median' ? t.latencyMs : t.samples.reduce((a, b) => Math.min(a, b), Infinity),
        cv: t.stats.cv, samples: t.stats.samples, ciHalfWidthPct: t.ciHalfWidthPct, referenceDriftPct: batch.referenceDriftPct,
        ...(warning && { warning }),
      });
    }
    onProgress(out.length, graphs.length);
  }
  return out;
}

/** Timing quality of a profile's report (every graph it timed: layers, pass-throughs, both model passes). */
export function timingQualityOfProfile(r: Pick<ProfileReport, 'device' | 'timing'>): TimingQuality | undefined {
  const { loadBefore: _b, loadAfter: _a, ...q } = r.timing;
  return q.measured > 0 ? { ...q, device: r.device } : undefined;
}

/** `"<elapsed> s, ~<left> s left"` for a phase that began at `start` and has done `done` of `total` visits. */
function elapsed(start: number, done: number, total: number): string {
  const s = (performance.now() - start) / 1000;
  return done >= total ? `${s.toFixed(0)} s` : `${s.toFixed(0)} s, ~${((s / done) * (total - done)).toFixed(0)} s left`;
}

/** Least-squares line measured ≈ offsetMs + scale · lut, with scale > 0 (else the mean of measured). */
function fitCalibration(lut: readonly number[], measured: readonly number[]): { offsetMs: number; scale: number } {
  const { intercept, slope } = leastSquaresLine(lut, measured);
  return slope > 0 ? { offsetMs: intercept, scale: slope } : { offsetMs: mean(measured), scale: 1e-12 };
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[n >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

function writeJsonAtomic(file: string, data: unknown): void {
  writeFileAtomic(file, `${JSON.stringify(data, null, 1)}\n`);
}

/** `n` genotypes, each decision an independent uniform choice. */
function sample(space: SearchSpace, n: number, rng: Rng): Genotype[] {
  return Array.from({ length: n }, () => space.decisions.map((d) => rng.int(d.choices.length)));
}

/** Profile `space` on measured `device` (see the module comment). */
export async function profileDevice(device: MeasuredDevice, space: SearchSpace, opts: ProfileOptions, progress: Progress = () => {}): Promise<ProfileReport> {
  if (!isLayeredSpace(space)) throw new InputError('incompatible', `space "${space.id}" has no per-layer view; profile needs one`, { path: '--space' });
  const ls: LayeredSpace = space;
  const measurer = await BatchMeasurer.open(device);
  const outFile = opts.outFile ?? `${GENERATED_LUT_DIR}${device.id}-${space.id}.json`;
  const statistic = opts.statistic ?? 'min';
  const rounds = opts.rounds ?? device.timing.minRounds;
  if (!Number.isInteger(rounds) || rounds < 1) throw new InputError('bad-flag', 'rounds must be a positive integer', { path: '--rounds', expected: 'an integer ≥ 1', actual: String(rounds) });
  const loadBefore = hostLoad();
  const t0 = performance.now();
  const all: GraphTiming[] = [];

  // (a) Per-layer LUT: the layers, then one pass-through per distinct output shape (and the logits).
  const configs = ls.allLayers().filter((l) => !l.empty);
  const entries: Record<string, HwnasLutEntry> = {};
  const layerTimes = await timeRoundRobin(measurer, configs.map(layerGraph), statistic, rounds, (done, total) => {
    if (done % 50 < PROFILE_GROUP || done === total) progress(`profile: layer ${done}/${total} (${elapsed(t0, done, total)})`);
  });
  const logits: Shape = [space.classes];
  const shapes = [...new Map([...configs.map((l) => l.outShape), logits].map((sh) => [sh.join('x'), sh] as const)).values()];
  const shapeTimes = await timeRoundRobin(measurer, shapes.map(passThrough), statistic, rounds);
  all.push(...layerTimes, ...shapeTimes);
  const overheadMs = new Map(shapes.map((sh, k) => [sh.join('x'), shapeTimes[k]!.latencyMs] as const));
  for (const [k, layer] of configs.entries()) {
    const m = layerTimes[k]!;
    const o = overheadMs.get(layer.outShape.join('x'))!;
    entries[layer.key] = { latencyMs: m.latencyMs - o, rawMedianMs: m.latencyMs, overheadMs: o, cv: m.cv, samples: m.samples };
  }
  const baseMs = overheadMs.get(logits.join('x'))!;
  const info = measurer.info();
  const file: HwnasLutFile = {
    format: 'hwnas-lut/1', device: device.id, space: space.id,
    runtime: { runtime: info.runtime, version: info.version, provider: info.provider, threads: info.threads },
    statistic, rounds,
    method: `statistic ${statistic} of interleaved rounds (at least ${Math.max(rounds, device.timing.minRounds)}, until the 95% CI of the median is within ±${device.timing.ciTolerancePct}% or ${device.timing.maxTimeMs} ms), ${PROFILE_GROUP} graphs per batch; entry = ${statistic} latency of the layer alone (input -> layer) minus that of a pass-through graph (input shaped like its output -> Flatten); baseMs = pass-through of the logits; raw prediction = baseMs + sum of entries; calibrated prediction = offsetMs + scale · raw (fitted on the profiled whole models)`,
    baseMs, entries,
  };
  writeJsonAtomic(outFile, file);
  const lut: Lut = { id: `${device.id}-${space.id}`, file: outFile, format: 'hwnas', entries: new Map(Object.entries(entries).map(([k, v]) => [k, v.latencyMs])), baseMs };
  const lutSeconds = (performance.now() - t0) / 1000;
  progress(`profile: LUT of ${configs.length} layer configs written to ${outFile} (${lutSeconds.toFixed(0)} s)`);

  // (b) Whole models, two passes (each with fresh sessions).
  const rng = new Rng(opts.seed);
  const genotypes = sample(space, opts.samples, rng.fork('models'));
  const graphs = genotypes.map((g) => space.build(g));
  const passes: { medianMs: number; cv: number }[][] = [[], []];
  const t1 = performance.now();
  for (const [p, pass] of passes.entries()) {
    const times = await timeRoundRobin(measurer, graphs, statistic, rounds, (done, total) => {
      if (done % 10 < PROFILE_GROUP || done === total) progress(`profile: pass ${p + 1}/2 model ${done}/${total} (${elapsed(t1, p * total + done, 2 * total)})`);
    });
    all.push(...times);
    pass.push(...times.map((t) => ({ medianMs: t.latencyMs, cv: t.cv })));
  }
  const modelSeconds = (performance.now() - t1) / 1000;
  const measured = genotypes.map((_, k) => (passes[0]![k]!.medianMs + passes[1]![k]!.medianMs) / 2);

  // (c) Accuracy of the LUT and of the fitted predictor.
  const layersOf = genotypes.map((g) => ls.layers(g));
  const lutMs = layersOf.map((layers) => predictWithLut(lut, layers).latencyMs);
  const features: Features[] = layersOf.map((layers, k) => {
    const f = countFeatures(layers.filter((l) => !l.empty).map((l) => l.key));
    f.set('(lut)', lutMs[k]!);
    return f;
  });
  const folds = Math.max(2, Math.min(opts.folds, genotypes.length));
  const order = rng.fork('folds').shuffle(genotypes.map((_, k) => k));
  const fittedMs = new Array<number>(genotypes.length).fill(NaN);
  for (let f = 0; f < folds; f++) {
    const test = order.filter((_, j) => j % folds === f);
    const train = order.filter((_, j) => j % folds !== f);
    if (train.length === 0 || test.length === 0) continue;
    const model = fitAdditive(train.map((k) => features[k]!), train.map((k) => measured[k]!));
    for (const k of test) fittedMs[k] = predictAdditive(model, features[k]!).latencyMs;
  }
  // Calibrated LUT: measured ≈ offset + scale · LUT sum, by least squares. A layer timed alone pays
  // for memory traffic and dispatch that a fused whole model does not, so the raw sum is biased; one
  // affine correction removes most of it (two parameters, so N models are plenty). Accuracy is k-fold
  // cross-validated on the same folds; the correction fitted on all N models goes into the LUT file.
  const calibratedMs = new Array<number>(genotypes.length).fill(NaN);
  for (let f = 0; f < folds; f++) {
    const test = order.filter((_, j) => j % folds === f);
    const train = order.filter((_, j) => j % folds !== f);
    if (train.length < 2 || test.length === 0) continue;
    const c = fitCalibration(train.map((k) => lutMs[k]!), train.map((k) => measured[k]!));
    for (const k of test) calibratedMs[k] = c.offsetMs + c.scale * lutMs[k]!;
  }
  const calibration = { ...fitCalibration(lutMs, measured), models: genotypes.length };
  writeJsonAtomic(outFile, { ...file, calibration });
  const flops = graphs.map(countFlops);
  const params = graphs.map(countParams);
  const models: ProfiledModel[] = genotypes.map((g, k) => ({
    arch: space.encode(g), measuredMs: measured[k]!, pass1Ms: passes[0]![k]!.medianMs, pass2Ms: passes[1]![k]!.medianMs,
    cv1: passes[0]![k]!.cv, cv2: passes[1]![k]!.cv, lutMs: lutMs[k]!, fittedMs: fittedMs[k]!, flops: flops[k]!, params: params[k]!,
  }));
  const calibratedAccuracy = predictionAccuracy(calibratedMs, measured);
  return {
    device: device.id, space: space.id, statistic, rounds, runtime: file.runtime, lutFile: outFile, layerConfigs: configs.length, baseMs,
    samples: genotypes.length,
    ...calibratedAccuracy,
    lut: predictionAccuracy(lutMs, measured),
    calibrated: { ...calibratedAccuracy, folds, offsetMs: calibration.offsetMs, scale: calibration.scale },
    flopsSpearman: spearman(flops, measured),
    paramsSpearman: spearman(params, measured),
    repeatSpearman: spearman(passes[0]!.map((x) => x.medianMs), passes[1]!.map((x) => x.medianMs)),
    medianCv: median([...passes[0]!, ...passes[1]!].map((x) => x.cv)),
    fitted: { ...predictionAccuracy(fittedMs, measured), folds, features: 'intercept + LUT sum + count of each layer configuration; NNLS; k-fold' },
    lutSeconds, modelSeconds, models,
    timing: { ...timingQuality(device.id, device.timing.ciTolerancePct, all)!, loadBefore, loadAfter: hostLoad() },
  };
}
