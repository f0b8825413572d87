import { InputError } from '../errors.ts';
import type { Genotype } from '../space/search-space.ts';
import { GenotypeHistory } from './genotype-history.ts';
import type { Rng } from '../util/rng.ts';
import type { Strategy, StrategyContext, Trial } from './strategy.ts';
import { booleanOption, choiceOption, numberOption } from './strategy-options.ts';
import { FirstResults } from './first-results.ts';

/**
 * MnasNet reward (Tan et al. 2019, CVPR, Eq. 2): ACC(m) · (LAT(m) / T)^w with w = α when
 * LAT ≤ T and w = β otherwise. Soft constraint: α = β = −0.07; hard constraint: α = 0, β = −1.
 */
export function mnasReward(accuracy: number, latencyMs: number, targetLatencyMs: number, alpha: number, beta: number): number {
  const w = latencyMs <= targetLatencyMs ? alpha : beta;
  return accuracy * Math.pow(latencyMs / targetLatencyMs, w);
}

/** A factorized softmax policy: independent logits per decision. */
export class FactorizedSoftmax {
  readonly logits: Float64Array[];

  constructor(choiceCounts: readonly number[]) {
    this.logits = choiceCounts.map((k) => new Float64Array(k));
  }

  /** Choice probabilities of decision `i`. */
  probs(i: number): Float64Array {
    const l = this.logits[i]!;
    let max = -Infinity;
    for (const v of l) if (v > max) max = v;
    const p = new Float64Array(l.length);
    let s = 0;
    for (let k = 0; k < l.length; k++) s += p[k] = Math.exp(l[k]! - max);
    for (let k = 0; k < l.length; k++) p[k] = p[k]! / s;
    return p;
  }

  sample(rng: Rng): number[] {
    return this.logits.map((_, i) => {
      const p = this.probs(i);
      let u = rng.next();
      for (let k = 0; k < p.length - 1; k++) {
        u -= p[k]!;
        if (u < 0) return k;
      }
      return p.length - 1;
    });
  }

  /**
   * One gradient-ascent step: θ_i += lr · [advantage · ∇ log π(g_i) + entropyWeight · ∇H(π_i)], with
   * ∇_θ log softmax(θ)_a = onehot(a) − p and ∇_θ H = −p ⊙ (log p + H).
   */
  step(g: Genotype, advantage: number, lr: number, entropyWeight: number): void {
    this.logits.forEach((l, i) => {
      const p = this.probs(i);
      let h = 0;
      if (entropyWeight !== 0) for (const v of p) if (v > 0) h -= v * Math.log(v);
      for (let k = 0; k < l.length; k++) {
        const pk = p[k]!;
        let grad = advantage * ((k === g[i] ? 1 : 0) - pk);
        if (entropyWeight !== 0 && pk > 0) grad += entropyWeight * (-pk * (Math.log(pk) + h));
        l[k] = l[k]! + lr * grad;
      }
    });
  }
}

/**
 * The `reinforce` strategy: REINFORCE (Williams 1992, Machine Learning 8, Eq. 11 with a reinforcement
 * baseline) training a factorized softmax controller (one logit vector per decision, as the
 * per-decision softmax of Zoph & Le 2017 without the RNN). Each told result updates the controller
 * with advantage (R − b), where b is an exponential moving average of past rewards
 * (`baselineDecay`, default 0.9); with `normalizeAdvantage` (default true) the advantage is divided
 * by the moving standard deviation of rewards, so `learningRate` does not depend on the reward's
 * units (accuracy in % or in [0, 1]).
 *
 * Reward: the MnasNet reward {@link mnasReward} of raw accuracy and latency. The strategy receives
 * minimisation values, so it reads accuracy as −values[a] and latency as values[l]; a and l come from
 * the context's typed objectives (see `objectiveIndices`). With one objective, or no latency
 * objective, reward = accuracy. With a latency objective, T is the option `targetLatencyMs`, or by
 * default the median latency of the first batch told with results (reported by `summary()`);
 * `constraint` = `soft` (α = β = −0.07, default) or `hard` (α = 0, β = −1), or explicit `alpha`/`beta`.
 * Constraint violations do not enter the reward; failed evaluations are not learned from.
 *
 * Proposals are sampled from the controller; one already proposed is re-sampled (up to 100 times),
 * then replaced by a random new genotype, so no evaluation is spent twice. Options: `learningRate`
 * (default 0.1), `entropyWeight` (default 0), `baselineDecay`, `normalizeAdvantage`.
 */
export function createReinforceStrategy(ctx: StrategyContext): Strategy {
  const history = new GenotypeHistory(ctx.decisions, ctx.rng);
  const policy = new FactorizedSoftmax(ctx.decisions.map((d) => d.choices.length));
  const lr = numberOption(ctx, 'learningRate', 0.1, 0, 1e6);
  const entropyWeight = numberOption(ctx, 'entropyWeight', 0, 0, 1e6);
  const decay = numberOption(ctx, 'baselineDecay', 0.9, 0, 1);
  const normalize = booleanOption(ctx, 'normalizeAdvantage', true);
  const { accuracyIndex, latencyIndex } = objectiveIndices(ctx);
  let alpha = 0;
  let beta = 0;
  // T: the option, or (documented default) the median latency of the first batch told with results.
  let target = NaN;
  let targetSource = '';
  if (latencyIndex !== undefined) {
    if (ctx.options['targetLatencyMs'] !== undefined) {
      target = numberOption(ctx, 'targetLatencyMs', 0, Number.MIN_VALUE);
      targetSource = 'option targetLatencyMs';
    }
    const mode = choiceOption(ctx, 'constraint', ['soft', 'hard'] as const, 'soft');
    alpha = numberOption(ctx, 'alpha', mode === 'soft' ? -0.07 : 0);
    beta = numberOption(ctx, 'beta', mode === 'soft' ? -0.07 : -1);
  }
  const reward = (v: readonly number[]): number => {
    const acc = -v[accuracyIndex]!;
    return latencyIndex === undefined ? acc : mnasReward(acc, v[latencyIndex]!, target, alpha, beta);
  };
  let baseline: number | null = null;
  let variance = 0;
  const told = new FirstResults();
  return {
    id: 'reinforce',
    summary: () => (latencyIndex === undefined ? {} : { targetLatencyMs: target, targetSource }),
    ask(n) {
      const out: number[][] = [];
      while (out.length < n) {
        let g: number[] | null = null;
        for (let t = 0; t < 100 && g === null; t++) {
          const s = policy.sample(ctx.rng);
          if (history.claim(s)) g = s;
        }
        g ??= history.sampleNew();
        if (g === null) break;
        out.push(g);
      }
      return out;
    },
    tell(trials: readonly Trial[]) {
      for (const t of trials) history.claim(t.genotype);
      if (latencyIndex !== undefined && Number.isNaN(target)) {
        const lat = trials.flatMap((t) => (t.values === null ? [] : [t.values[latencyIndex]!])).filter((v) => v > 0).sort((a, b) => a - b);
        if (lat.length === 0) return;
        const mid = lat.length >> 1;
        target = lat.length % 2 === 1 ? lat[mid]! : (lat[mid - 1]! + lat[mid]!) / 2;
        targetSource = `median latency of the first ${lat.length} results`;
      }
      for (const t of trials) {
        if (!told.accept(t)) continue;
        const r = reward(t.values);
        if (!Number.isFinite(r)) continue;
        if (baseline === null) {
          baseline = r;
          continue; // the first reward only seeds the baseline (its advantage would be 0)
        }
        const adv = r - baseline;
        variance = decay * variance + (1 - decay) * adv * adv;
        const scale = normalize ? Math.sqrt(variance) : 1;
        if (scale > 0) policy.step(t.genotype, adv / scale, lr, entropyWeight);
        baseline = decay * baseline + (1 - decay) * r;
      }
    },
  };
}

/**
 * Indices of the accuracy (the first maximised objective, whatever its metric: `accuracy`, a proxy
 * such as `synflow`) and of the latency (the first objective named `latencyMs` or `latencyMs@<device>`)
 * in the objective vector; without named objectives, 0 and (with two or more objectives) 1.
 */
function objectiveIndices(ctx: StrategyContext): { accuracyIndex: number; latencyIndex: number | undefined } {
  const objs = ctx.objectives;
  if (!objs) return { accuracyIndex: 0, latencyIndex: ctx.objectiveCount >= 2 ? 1 : undefined };
  const a = objs.findIndex((o) => o.direction === 'max');
  if (a < 0) throw new InputError('bad-flag', 'the reinforce strategy needs a maximised objective (accuracy or an accuracy proxy) for the MnasNet reward', { path: '--objectives', expected: 'a list containing accuracy', actual: objs.map((o) => o.metric).join(',') });
  const l = objs.findIndex((o) => o.metric === 'latencyMs' || o.metric.startsWith('latencyMs@'));
  return { accuracyIndex: a, latencyIndex: l >= 0 ? l : undefined };
}
