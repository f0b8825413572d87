import { forward, initParams, type NetParams } from '../../accuracy/zero-cost/graph-net.ts';
import { imageBatch, type ImageBatch } from '../../accuracy/zero-cost/image-batch.ts';
import * as tf from '@tensorflow/tfjs-core';
import { useTrainingBackend } from '../../runtime/tfjs/tfjs-backends.ts';
import { InputError } from '../../errors.ts';
import type { ModelGraph } from '../../graph/model-graph.ts';
import type { Genotype, SearchSpace } from '../../space/search-space.ts';
import { Rng } from '../../util/rng.ts';
import { chainPieces, type ChainPieces, type ShrinkOptions } from './chain-supernet.ts';
import { fbnetLoss } from './fbnet-loss.ts';
import { gumbelSoftmax } from './gumbel-softmax.ts';

/**
 * Differentiable NAS in the manner of FBNet (Wu et al., CVPR 2019): a supernet whose searchable
 * layer l outputs Σ_i m_{l,i} · b_{l,i}(x) over its candidate blocks, m = Gumbel-softmax(θ_l, τ)
 * (eq. 4–5); the loss CE · α · (log LAT)^β with LAT = Σ_l Σ_i m_{l,i} LAT(l, i) (eq. 2, 6) for θ
 * (w minimises CE, the same gradient direction: the factor is constant in w); weights w and
 * architecture parameters θ updated alternately each epoch (w on 80% of the training images, θ
 * on the other 20%, as FBNet splits ImageNet-100), the temperature annealed τ_e = τ₀ · decay^e; the
 * derived architecture takes argmax_i θ_{l,i} in every layer. Not an ask/tell strategy: it trains.
 */
export interface DnasOptions {
  /** A chain-family space (one decision per layer). */
  space: SearchSpace;
  /** `latencyTable[l][i]`: cost (≥ 0) of candidate i in layer l (ms, or another unit such as MFLOPs). */
  latencyTable: readonly (readonly number[])[];
  /** Cost of the fixed part (stem, head), same unit. @defaultValue 0 */
  fixedLatency?: number;
  /** Scale of the loss, FBNet eq. 2. @defaultValue 0.2 */
  alpha?: number;
  /** Exponent of log-latency, FBNet eq. 2; 0 = no latency pressure. @defaultValue 0.6 */
  beta?: number;
  /** @defaultValue 10 */
  epochs?: number;
  /** Epochs training only w before θ updates begin. @defaultValue 1 */
  warmupEpochs?: number;
  /** @defaultValue 32 */
  batchSize?: number;
  /** Mini-batches of w (and of θ) per epoch; at most what the images allow. @defaultValue all */
  stepsPerEpoch?: number;
  /** SGD-momentum learning rate of w. @defaultValue 0.05 */
  weightLr?: number;
  /** Adam learning rate of θ (FBNet: 0.01). @defaultValue 0.01 */
  thetaLr?: number;
  /** τ₀ (FBNet: 5.0). @defaultValue 5 */
  temperature?: number;
  /** Per-epoch factor of τ (FBNet: 0.956). @defaultValue 0.956 */
  temperatureDecay?: number;
  /** Shrink the supernet (width, input size) for a fast proxy search. */
  shrink?: ShrinkOptions;
  /** Training images (drawn from the vendored CIFAR-10 subset) to use. @defaultValue 2000 */
  images?: number;
  seed: number;
  /** Called after each epoch (progress of a long training). */
  onEpoch?: (e: DnasEpoch, epochs: number) => void;
}

export interface DnasEpoch {
  epoch: number;
  temperature: number;
  /** Mean cross-entropy of the θ steps (of the w steps in warm-up). */
  crossEntropy: number;
  /** Expected latency Σ m·LAT at the end of the epoch (softmax of θ/τ, no noise). */
  expectedLatency: number;
}

export interface DnasResult {
  genotype: Genotype;
  arch: string;
  /** Final θ, `[layer][choice]`. */
  theta: number[][];
  /** LAT of the derived architecture: fixed + Σ_l latencyTable[l][argmax θ_l]. */
  latency: number;
  history: DnasEpoch[];
  /** Seconds spent. */
  seconds: number;
}

/** Supernet state: pieces, their parameters, θ. */
interface Supernet {
  pieces: ChainPieces;
  stem: NetParams;
  blocks: NetParams[][];
  head: NetParams;
}

function toBatch(img: ImageBatch, from: number, n: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const per = img.size * img.size * img.channels;
  const x = tf.tensor4d(img.pixels.subarray(from * per, (from + n) * per), [n, img.size, img.size, img.channels]);
  const y = tf.oneHot(tf.tensor1d(img.labels.subarray(from, from + n), 'int32'), 10) as tf.Tensor2D;
  return { x, y };
}

function runPiece(g: ModelGraph, p: NetParams, x: tf.Tensor4D): tf.Tensor {
  return g.output === 'input' ? x : forward(g, p, x).y;
}

/** Supernet logits for mixing weights `m` (`[layers, choices]`, choices padded with 0 weight). */
function supernetLogits(net: Supernet, x: tf.Tensor4D, m: tf.Tensor2D): tf.Tensor {
  let h = runPiece(net.pieces.stem, net.stem, x);
  const cols = tf.unstack(m);
  net.pieces.blocks.forEach((row, l) => {
    const w = tf.unstack(cols[l]!);
    h = tf.addN(row.map((g, i) => tf.mul(runPiece(g, net.blocks[l]![i]!, h as tf.Tensor4D), w[i]!)));
  });
  return forward(net.pieces.head, net.head, h as tf.Tensor4D).y;
}

function variablesOf(ps: NetParams[]): tf.Variable[] {
  const out: tf.Variable[] = [];
  for (const p of ps) for (const np of p.values()) for (const t of [np.w, np.b, np.gamma, np.beta]) if (t) out.push(t as tf.Variable);
  return out;
}

function checkTable(space: SearchSpace, table: readonly (readonly number[])[], fixed: number): void {
  if (table.length !== space.decisions.length) {
    throw new InputError('bad-flag', 'latency table needs one row per searchable layer', { expected: `${space.decisions.length} rows`, actual: `${table.length}` });
  }
  table.forEach((row, l) => {
    if (row.length !== space.decisions[l]!.choices.length || row.some((v) => !(v >= 0) || !Number.isFinite(v))) {
      throw new InputError('bad-flag', `latency table row ${l} needs one non-negative cost per choice`, { expected: `${space.decisions[l]!.choices.length} non-negative numbers`, actual: JSON.stringify(row) });
    }
  });
  const min = fixed + table.reduce((s, row) => s + Math.min(...row), 0);
  if (!(min > 1)) throw new InputError('bad-flag', 'the smallest possible latency must exceed 1 so that log LAT > 0 (FBNet eq. 2); use a smaller unit', { actual: String(min) });
}

/** Run FBNet-style DNAS; see {@link DnasOptions}. */
export async function runDnas(o: DnasOptions): Promise<DnasResult> {
  const t0 = performance.now();
  await useTrainingBackend();
  const fixed = o.fixedLatency ?? 0;
  checkTable(o.space, o.latencyTable, fixed);
  const rng = new Rng(o.seed);
  const pieces = chainPieces(o.space, o.shrink ?? {});
  const [channels, size] = pieces.input as [number, number, number];
  const nImages = o.images ?? 2000;
  const data = imageBatch({ n: nImages, size, channels, rng: rng.fork('dnas-images') });
  const nW = Math.floor(nImages * 0.8);
  const bs = o.batchSize ?? 32;
  const maxSteps = Math.floor(Math.min(nW, nImages - nW) / bs);
  const steps = Math.min(o.stepsPerEpoch ?? maxSteps, maxSteps);
  if (steps < 1) throw new InputError('bad-flag', 'too few images for one batch', { expected: `images ≥ ${Math.ceil(bs / 0.2)}`, actual: String(nImages) });
  const choices = Math.max(...o.space.decisions.map((d) => d.choices.length));
  const L = o.space.decisions.length;
  // Pad rows to a rectangle; padded entries get θ = −1e9 (weight 0) and latency 0.
  const latRows = o.latencyTable.map((r) => [...r, ...new Array<number>(choices - r.length).fill(0)]);
  const mask = o.latencyTable.map((r) => [...r.map(() => 0), ...new Array<number>(choices - r.length).fill(-1e9)]);
  const latency = tf.tensor2d(latRows);
  const thetaMask = tf.tensor2d(mask);
  const theta = tf.variable(tf.zeros([L, choices]));
  const net: Supernet = {
    pieces,
    stem: initParams(pieces.stem, rng.fork('stem'), true),
    blocks: pieces.blocks.map((row, l) => row.map((g, i) => initParams(g, rng.fork(`block${l}.${i}`), true))),
    head: initParams(pieces.head, rng.fork('head'), true),
  };
  const wVars = variablesOf([net.stem, ...net.blocks.flat(), net.head]);
  const wOpt = tf.train.momentum(o.weightLr ?? 0.05, 0.9);
  const tOpt = tf.train.adam(o.thetaLr ?? 0.01);
  const alpha = o.alpha ?? 0.2;
  const beta = o.beta ?? 0.6;
  const tau0 = o.temperature ?? 5;
  const decay = o.temperatureDecay ?? 0.956;
  const warm = o.warmupEpochs ?? 1;
  const epochs = o.epochs ?? 10;
  const noiseRng = rng.fork('gumbel');
  const history: DnasEpoch[] = [];
  for (let e = 0; e < epochs; e++) {
    const tau = tau0 * decay ** e;
    let ceSum = 0;
    const step = (from: number, vars: tf.Variable[], opt: tf.Optimizer, training: 'w' | 'theta'): void => {
      const ce = tf.tidy(() => {
        const { x, y } = toBatch(data, from, bs);
        let ceOut: tf.Scalar = tf.scalar(0);
        opt.minimize(() => {
          const m = gumbelSoftmax(tf.add(theta, thetaMask) as tf.Tensor2D, tau, noiseRng);
          const ce = tf.losses.softmaxCrossEntropy(y, supernetLogits(net, x, m)) as tf.Scalar;
          ceOut = tf.keep(tf.clone(ce));
          // w steps minimise CE alone: α(log LAT)^β does not depend on w and would only rescale
          // the SGD learning rate (by ~1e10 for a large β); θ steps (Adam) minimise the full loss.
          return training === 'w' ? ce : fbnetLoss(ce, m, latency, fixed, alpha, beta).loss;
        }, false, vars);
        return ceOut;
      });
      ceSum += ce.dataSync()[0]!;
      ce.dispose();
    };
    for (let s = 0; s < steps; s++) step(s * bs, wVars, wOpt, 'w');
    const thetaSteps = e >= warm ? steps : 0;
    if (thetaSteps > 0) ceSum = 0;
    for (let s = 0; s < thetaSteps; s++) step(nW + s * bs, [theta], tOpt, 'theta');
    const expected = tf.tidy(() => fbnetLoss(tf.scalar(1), gumbelSoftmax(tf.add(theta, thetaMask) as tf.Tensor2D, tau, noiseRng, false), latency, fixed, 1, 0).latency.dataSync()[0]!);
    const done: DnasEpoch = { epoch: e, temperature: tau, crossEntropy: ceSum / (thetaSteps || steps), expectedLatency: expected };
    history.push(done);
    o.onEpoch?.(done, epochs);
  }
  const th = theta.arraySync() as number[][];
  const genotype = o.space.decisions.map((d, l) => {
    const row = th[l]!.slice(0, d.choices.length);
    return row.indexOf(Math.max(...row));
  });
  const lat = fixed + genotype.reduce((s, c, l) => s + o.latencyTable[l]![c]!, 0);
  const result: DnasResult = {
    genotype, arch: o.space.encode(genotype), theta: th.map((r, l) => r.slice(0, o.space.decisions[l]!.choices.length)),
    latency: lat, history, seconds: (performance.now() - t0) / 1000,
  };
  tf.dispose([latency, thetaMask, theta, ...wVars]);
  wOpt.dispose();
  tOpt.dispose();
  return result;
}

