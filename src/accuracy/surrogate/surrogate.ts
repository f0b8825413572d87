import type { Rng } from '../../util/rng.ts';
import { fitTree, predictTree, type TreeNode, type TreeOptions } from './regression-tree.ts';

/** An accuracy predictor fitted on encoded architectures. */
export interface Surrogate {
  /** Predicted accuracy (same unit as the training targets) of one encoded architecture. */
  predict(x: readonly number[]): number;
}

export interface SurrogateOptions extends TreeOptions {
  /** Boosting rounds. @defaultValue 300 */
  trees?: number;
  /** Shrinkage ν of each tree. @defaultValue 0.05 */
  learningRate?: number;
  /** Fraction of rows drawn (without replacement) for each tree. @defaultValue 0.8 */
  subsample?: number;
}

/**
 * Gradient-boosted regression trees for squared loss (Friedman 2001, Alg. 2 "LS_Boost", with
 * shrinkage ν and the row subsampling of stochastic gradient boosting, Friedman 2002):
 * F₀ = ȳ; for m = 1..M: r_i = y_i − F_{m−1}(x_i), fit a tree h_m to r on a random subsample,
 * F_m = F_{m−1} + ν h_m. Deterministic for a given `rng`.
 */
export function fitSurrogate(X: readonly (readonly number[])[], y: readonly number[], rng: Rng, o: SurrogateOptions = {}): Surrogate {
  if (X.length !== y.length || X.length === 0) throw new Error(`fitSurrogate needs as many rows as targets (>0), got ${X.length} and ${y.length}`);
  const trees = o.trees ?? 300;
  const nu = o.learningRate ?? 0.05;
  const sub = o.subsample ?? 0.8;
  const base = y.reduce((a, b) => a + b, 0) / y.length;
  const f = y.map(() => base);
  const ensemble: TreeNode[] = [];
  const all = X.map((_, i) => i);
  const take = Math.max(1, Math.round(sub * X.length));
  for (let m = 0; m < trees; m++) {
    const r = y.map((v, i) => v - f[i]!);
    const rows = sub < 1 ? rng.shuffle(all).slice(0, take) : all;
    const t = fitTree(X, r, rows, o);
    ensemble.push(t);
    for (let i = 0; i < X.length; i++) f[i] = f[i]! + nu * predictTree(t, X[i]!);
  }
  return {
    predict(x) {
      let s = base;
      for (const t of ensemble) s += nu * predictTree(t, x);
      return s;
    },
  };
}
