import { bootstrapIntervals, kendallTauB, pick, topPrecision, type Interval } from '../util/rank-agreement.ts';
import { Rng } from '../util/rng.ts';
import { ranks, spearman } from '../util/spearman.ts';

/**
 * How well a signal ranks architectures against the ground truth, with seeded bootstrap intervals.
 */

/** What {@link rankAgreement} reports. */
export interface RankAgreement {
  /** Items (architectures) compared. */
  n: number;
  spearman: number;
  kendall: number;
  /** {@link topPrecision} at {@link RankAgreementOptions.topFraction}. */
  topPrecision: number;
  spearmanCi: Interval;
  kendallCi: Interval;
  topPrecisionCi: Interval;
}

export interface RankAgreementOptions {
  /** Seed of the bootstrap resamples (every call with the same seed and n draws the same ones). */
  seed: number;
  /** @defaultValue 1000 */
  resamples?: number;
  /** @defaultValue 0.95 */
  level?: number;
  /** @defaultValue 0.1 */
  topFraction?: number;
}

/**
 * Spearman's ρ, Kendall's τ-b and the top-fraction precision of each (signal, truth) pair of
 * columns, averaged over the pairs, and their percentile bootstrap intervals (one resample of the
 * items serves every pair). One pair: a signal against the ground truth. Several: e.g. each pair of
 * a table's repeated trainings (the ceiling a signal can reach).
 */
export function rankAgreement(pairs: readonly (readonly [signal: readonly number[], truth: readonly number[]])[], o: RankAgreementOptions): RankAgreement {
  if (pairs.length === 0) throw new Error('rankAgreement: no pairs');
  const n = pairs[0]![0].length;
  const fraction = o.topFraction ?? 0.1;
  const mean = (f: (s: readonly number[], t: readonly number[]) => number, idx?: readonly number[]): number =>
    pairs.reduce((acc, [s, t]) => acc + (idx ? f(pick(s, idx), pick(t, idx)) : f(s, t)), 0) / pairs.length;
  const stats = (idx?: readonly number[]): number[] => [
    mean(spearman, idx),
    mean(kendallTauB, idx),
    mean((s, t) => topPrecision(s, t, fraction), idx),
  ];
  const [rho, tau, top] = stats();
  const [rhoCi, tauCi, topCi] = bootstrapIntervals(n, stats, new Rng(o.seed).fork('accuracy-bench/bootstrap'), o.resamples ?? 1000, o.level ?? 0.95);
  return { n, spearman: rho!, kendall: tau!, topPrecision: top!, spearmanCi: rhoCi!, kendallCi: tauCi!, topPrecisionCi: topCi! };
}

/**
 * Rank average of several signals over the same items: each column turned into average ranks
 * (ties share theirs), then the mean rank per item. Uses no ground truth: every column weighs
 * the same.
 */
export function rankAverage(columns: readonly (readonly number[])[]): number[] {
  if (columns.length === 0) throw new Error('rankAverage: no columns');
  const n = columns[0]!.length;
  const out = new Array<number>(n).fill(0);
  for (const c of columns) {
    const r = ranks(c);
    for (let i = 0; i < n; i++) out[i]! += r[i]! / columns.length;
  }
  return out;
}
