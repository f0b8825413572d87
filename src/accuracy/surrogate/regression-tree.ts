/**
 * A least-squares regression tree (CART, Breiman et al. 1984): each split minimises the summed
 * squared error of the two children, i.e. maximises S_L²/n_L + S_R²/n_R for child sums S and sizes n;
 * leaves predict their mean. Thresholds are midpoints between consecutive distinct feature values.
 */
export type TreeNode =
  | { leaf: true; value: number }
  | { leaf: false; feature: number; threshold: number; left: TreeNode; right: TreeNode };

export interface TreeOptions {
  /** @defaultValue 4 */
  maxDepth?: number;
  /** Fewest samples in a leaf. @defaultValue 3 */
  minLeaf?: number;
}

/** Fit a tree to rows `idx` of `X` against targets `r`. */
export function fitTree(X: readonly (readonly number[])[], r: readonly number[], idx: readonly number[], o: TreeOptions = {}, depth = 0): TreeNode {
  const maxDepth = o.maxDepth ?? 4;
  const minLeaf = o.minLeaf ?? 3;
  let total = 0;
  for (const i of idx) total += r[i]!;
  const mean = total / idx.length;
  if (depth >= maxDepth || idx.length < 2 * minLeaf) return { leaf: true, value: mean };
  const features = X[idx[0]!]!.length;
  let best = { gain: 1e-12, feature: -1, threshold: 0 };
  const parentScore = (total * total) / idx.length;
  for (let f = 0; f < features; f++) {
    const order = idx.slice().sort((a, b) => X[a]![f]! - X[b]![f]!);
    let sumL = 0;
    for (let k = 0; k < order.length - 1; k++) {
      sumL += r[order[k]!]!;
      const nL = k + 1;
      const v = X[order[k]!]![f]!;
      const next = X[order[k + 1]!]![f]!;
      if (v === next || nL < minLeaf || order.length - nL < minLeaf) continue;
      const sumR = total - sumL;
      const gain = (sumL * sumL) / nL + (sumR * sumR) / (order.length - nL) - parentScore;
      if (gain > best.gain) best = { gain, feature: f, threshold: (v + next) / 2 };
    }
  }
  if (best.feature < 0) return { leaf: true, value: mean };
  const left = idx.filter((i) => X[i]![best.feature]! <= best.threshold);
  const right = idx.filter((i) => X[i]![best.feature]! > best.threshold);
  return {
    leaf: false, feature: best.feature, threshold: best.threshold,
    left: fitTree(X, r, left, o, depth + 1),
    right: fitTree(X, r, right, o, depth + 1),
  };
}

/** Prediction of a fitted tree for one feature vector. */
export function predictTree(t: TreeNode, x: readonly number[]): number {
  let n = t;
  while (!n.leaf) n = x[n.feature]! <= n.threshold ? n.left : n.right;
  return n.value;
}
