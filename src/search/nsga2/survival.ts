import { crowdingDistance } from '../../pareto/crowding-distance.ts';
import type { Point } from '../../pareto/dominance.ts';
import { nonDominatedSort } from '../../pareto/non-dominated-sort.ts';
import { pruneByCrowding } from './iterative-pruning.ts';

/** How the last admitted front is cut down to size. */
export type SurvivalPruning = 'one-shot' | 'iterative';

/** Survivors of an NSGA-II generation, with what the tournament needs. */
export interface Survivors {
  /** Indices of the chosen points, best front first. */
  readonly selected: number[];
  /** Non-domination rank of each selected point (0 = first front), aligned with `selected`. */
  readonly rank: number[];
  /** Crowding distance of each selected point within its whole front, aligned with `selected`. */
  readonly crowding: number[];
}

/**
 * NSGA-II environmental selection (Deb et al. 2002, §III-C, main loop): sort R_t = P_t ∪ Q_t (2N points)
 * into fronts under constrained domination, take whole fronts while they fit, then fill the last slots
 * from the next front by descending crowding distance (ties by index, so it is deterministic).
 *
 * @param values objective vectors to minimise
 * @param violations total constraint violation per point (0 = feasible)
 * With `pruning: 'iterative'` the last front is instead cut by {@link pruneByCrowding} (Kukkonen &
 * Deb 2006), which spreads the survivors more evenly, notably with three objectives.
 *
 * @param n how many survive (all of them when n ≥ values.length)
 * @param pruning how the last, partly admitted front is cut @defaultValue 'one-shot'
 */
export function survive(values: readonly Point[], violations: readonly number[] | undefined, n: number, pruning: SurvivalPruning = 'one-shot'): Survivors {
  const fronts = nonDominatedSort(values, violations);
  const selected: number[] = [];
  const rank: number[] = [];
  const crowding: number[] = [];
  for (let r = 0; r < fronts.length && selected.length < n; r++) {
    const front = fronts[r]!;
    const room = n - selected.length;
    if (front.length > room && pruning === 'iterative' && front[0] !== undefined && values[front[0]]!.length > 1) {
      const p = pruneByCrowding(values, front, room);
      p.kept.forEach((i, k) => {
        selected.push(i);
        rank.push(r);
        crowding.push(p.crowding[k]!);
      });
      break;
    }
    const d = crowdingDistance(values, front);
    let order = front.map((_, k) => k);
    if (front.length > room) order = order.sort((a, b) => d[b]! - d[a]! || front[a]! - front[b]!).slice(0, room);
    for (const k of order) {
      selected.push(front[k]!);
      rank.push(r);
      crowding.push(d[k]!);
    }
  }
  return { selected, rank, crowding };
}
