import type { Point } from './dominance.ts';

/**
 * Fixed objective bounds for normalisation: `ideal` (best value of each objective worth telling
 * apart) and `nadir` (worst value of interest), both chosen by the caller from the problem — e.g.
 * accuracy 0–100 %, latency 0 to a latency budget — never from the worst point observed, so that a
 * normalised value (and any hypervolume computed from it) does not move when new points arrive.
 */
export interface ObjectiveBounds {
  readonly ideal: Point;
  readonly nadir: Point;
}

/**
 * Map each objective linearly so that `ideal` ↦ 0 and `nadir` ↦ 1: f'_j = (f_j − ideal_j) /
 * (nadir_j − ideal_j). Values outside the bounds map outside [0, 1] (they are not clipped), so a point
 * worse than the nadir stays visibly worse. Throws unless every `nadir_j > ideal_j`.
 */
export function normalizePoint(p: Point, bounds: ObjectiveBounds): number[] {
  checkBounds(bounds, p.length);
  return p.map((v, j) => (v - bounds.ideal[j]!) / (bounds.nadir[j]! - bounds.ideal[j]!));
}

/** {@link normalizePoint} for every point. */
export function normalizePoints(points: readonly Point[], bounds: ObjectiveBounds): number[][] {
  return points.map((p) => normalizePoint(p, bounds));
}

/** Inverse of {@link normalizePoint}. */
export function denormalizePoint(p: Point, bounds: ObjectiveBounds): number[] {
  checkBounds(bounds, p.length);
  return p.map((v, j) => bounds.ideal[j]! + v * (bounds.nadir[j]! - bounds.ideal[j]!));
}

function checkBounds(bounds: ObjectiveBounds, m: number): void {
  if (bounds.ideal.length !== m || bounds.nadir.length !== m) {
    throw new Error(`normalize: bounds have ${bounds.ideal.length}/${bounds.nadir.length} objectives, point has ${m}`);
  }
  for (let j = 0; j < m; j++) {
    if (!(bounds.nadir[j]! > bounds.ideal[j]!) || !Number.isFinite(bounds.nadir[j]! - bounds.ideal[j]!)) {
      throw new Error(`normalize: objective ${j} needs finite nadir > ideal, got ideal ${bounds.ideal[j]} and nadir ${bounds.nadir[j]}`);
    }
  }
}
