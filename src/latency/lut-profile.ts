import { writeFileAtomic } from '../util/atomic-write.ts';
import { InputError, UnavailableError } from '../errors.ts';
import { countFlops, countParams } from '../graph/count.ts';
import { GraphBuilder } from '../graph/graph-builder.ts';
import type { ModelGraph, Shape } from '../graph/model-graph.ts';
import { timePhases } from './measure.ts';
import { type Runtime } from '../runtime/runtime.ts';
import { getRuntime, runtimeIds } from '../runtime/runtime-registry.ts';
import { Rng } from '../util/rng.ts';
import { isLayeredSpace, layerGraph, type LayeredSpace } from '../space/layered-space.ts';
import type { Genotype, SearchSpace } from '../space/search-space.ts';
import { leastSquaresLine } from '../util/least-squares-line.ts';
import { spearman } from '../util/spearman.ts';
import { unknownRuntimeError, type MeasuredDevice } from './device-profile.ts';
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
 * Rounds: in (a) and in each pass of (b), every graph is visited `rounds` times round-robin (round 1
 * over all graphs, then round 2, …; a fresh session each visit) and its latency is the statistic
 * over the visits (min of the visits' mins, or median of their medians). On a shared VM the machine
 * slows down for tens of seconds at a time (measured here: runs of consecutive models 10–28 % slower
 * in one pass than in the other); a slow period then spoils one visit of a graph, not its latency.
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
  /** Round-robin visits of every graph, in the LUT build and in each model pass (see the module comment). @defaultValue 3 */
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
  /** Round-robin visits of every graph per pass. */
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
}

/** Load, warm up and time a graph with the device's timing settings; see {@link ProfileStatistic}. */
async function timeGraph(runtime: Runtime, graph: ModelGraph, device: MeasuredDevice, statistic: ProfileStatistic): Promise<GraphTiming> {
  const r = await runtime.load(graph, { threads: device.threads });
  try {
    const { samples, stats } = await timePhases(r, device.timing);
    const latencyMs = statistic === 'median' ? stats.medianMs : samples.reduce((a, b) => Math.min(a, b), Infinity);
    return { latencyMs, cv: stats.cv, samples: stats.samples };
  } finally {
    await r.dispose();
  }
}

/**
 * Time every graph `rounds` times, round-robin, and combine each graph's visits with the statistic
 * (min of mins, median of medians; the CV is the median of the visits' CVs).
 */
export async function timeRoundRobin(
  runtime: Runtime, graphs: readonly ModelGraph[], device: MeasuredDevice, statistic: ProfileStatistic, rounds: number,
  onVisit: (round: number, index: number) => void = () => {},
): Promise<GraphTiming[]> {
  const visits: GraphTiming[][] = graphs.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [k, graph] of graphs.entries()) {
      visits[k]!.push(await timeGraph(runtime, graph, device, statistic));
      onVisit(r, k);
    }
  }
  return visits.map((v) => ({
    latencyMs: statistic === 'min' ? Math.min(...v.map((x) => x.latencyMs)) : median(v.map((x) => x.latencyMs)),
    cv: median(v.map((x) => x.cv)),
    samples: v.reduce((a, x) => a + x.samples, 0),
  }));
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

async function runtimeOf(device: MeasuredDevice): Promise<Runtime> {
  const runtime = getRuntime(device.runtime);
  if (!runtime) throw unknownRuntimeError(device, runtimeIds());
  const probe = await runtime.probe();
  if (!probe.available) throw new UnavailableError(`device ${device.id} (${device.runtime})`, probe.reason);
  return runtime;
}

/** `n` genotypes, each decision an independent uniform choice. */
function sample(space: SearchSpace, n: number, rng: Rng): Genotype[] {
  return Array.from({ length: n }, () => space.decisions.map((d) => rng.int(d.choices.length)));
}

/** Profile `space` on measured `device` (see the module comment). */
export async function profileDevice(device: MeasuredDevice, space: SearchSpace, opts: ProfileOptions, progress: Progress = () => {}): Promise<ProfileReport> {
  if (!isLayeredSpace(space)) throw new InputError('incompatible', `space "${space.id}" has no per-layer view; profile needs one`, { path: '--space' });
  const ls: LayeredSpace = space;
  const runtime = await runtimeOf(device);
  const outFile = opts.outFile ?? `${GENERATED_LUT_DIR}${device.id}-${space.id}.json`;
  const statistic = opts.statistic ?? 'min';
  const rounds = opts.rounds ?? 3;
  if (!Number.isInteger(rounds) || rounds < 1) throw new InputError('bad-flag', 'rounds must be a positive integer', { path: '--rounds', expected: 'an integer ≥ 1', actual: String(rounds) });
  const t0 = performance.now();

  // (a) Per-layer LUT.
  const configs = ls.allLayers().filter((l) => !l.empty);
  const overheadMs = new Map<string, number>();
  const overhead = async (shape: Shape): Promise<number> => {
    const k = shape.join('x');
    let v = overheadMs.get(k);
    if (v === undefined) {
      v = (await timeGraph(runtime, passThrough(shape), device, statistic)).latencyMs;
      overheadMs.set(k, v);
    }
    return v;
  };
  const entries: Record<string, HwnasLutEntry> = {};
  const layerTimes = await timeRoundRobin(runtime, configs.map(layerGraph), device, statistic, rounds, (r, k) => {
    const i = r * configs.length + k + 1;
    if (i % 25 === 0 || i === configs.length * rounds) progress(`profile: layer ${k + 1}/${configs.length}${rounds > 1 ? ` round ${r + 1}/${rounds}` : ''} (${elapsed(t0, i, configs.length * rounds)})`);
  });
  for (const [k, layer] of configs.entries()) {
    const m = layerTimes[k]!;
    const o = await overhead(layer.outShape);
    entries[layer.key] = { latencyMs: m.latencyMs - o, rawMedianMs: m.latencyMs, overheadMs: o, cv: m.cv, samples: m.samples };
  }
  const logits: Shape = [space.classes];
  const baseMs = await overhead(logits);
  const info = runtime.info({ threads: device.threads });
  const file: HwnasLutFile = {
    format: 'hwnas-lut/1', device: device.id, space: space.id,
    runtime: { runtime: info.runtime, version: info.version, provider: info.provider, threads: info.threads },
    statistic, rounds,
    method: `statistic ${statistic} over ${rounds} round-robin visit(s); entry = ${statistic} latency of the layer alone (input -> layer) minus the median of a pass-through graph (input shaped like its output -> Flatten); baseMs = pass-through of the logits; raw prediction = baseMs + sum of entries; calibrated prediction = offsetMs + scale · raw (fitted on the profiled whole models)`,
    baseMs, entries,
  };
  writeJsonAtomic(outFile, file);
  const lut: Lut = { id: `${device.id}-${space.id}`, file: outFile, format: 'hwnas', entries: new Map(Object.entries(entries).map(([k, v]) => [k, v.latencyMs])), baseMs };
  const lutSeconds = (performance.now() - t0) / 1000;
  progress(`profile: LUT of ${configs.length} layer configs written to ${outFile} (${lutSeconds.toFixed(0)} s)`);

  // (b) Whole models, two passes.
  const rng = new Rng(opts.seed);
  const genotypes = sample(space, opts.samples, rng.fork('models'));
  const graphs = genotypes.map((g) => space.build(g));
  const passes: { medianMs: number; cv: number }[][] = [[], []];
  const t1 = performance.now();
  for (const [p, pass] of passes.entries()) {
    const times = await timeRoundRobin(runtime, graphs, device, statistic, rounds, (r, k) => {
      const done = (p * rounds + r) * graphs.length + k + 1;
      if ((k + 1) % 10 === 0 || k + 1 === graphs.length) progress(`profile: pass ${p + 1}/2${rounds > 1 ? ` round ${r + 1}/${rounds}` : ''} model ${k + 1}/${graphs.length} (${elapsed(t1, done, 2 * rounds * graphs.length)})`);
    });
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
  };
}
