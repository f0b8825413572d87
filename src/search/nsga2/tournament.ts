import type { Rng } from '../../util/rng.ts';

/**
 * Binary tournament with the crowded-comparison operator ≺n (Deb et al. 2002, §III-C): of two
 * uniformly drawn distinct members, the lower rank wins (ranks already encode constrained domination),
 * then the larger crowding distance; a full tie goes to the first drawn.
 *
 * @returns the index of the winner in `rank` / `crowding`
 */
export function binaryTournament(rank: readonly number[], crowding: readonly number[], rng: Rng): number {
  const n = rank.length;
  if (n === 0) throw new Error('binaryTournament: empty population');
  if (n === 1) return 0;
  const a = rng.int(n);
  let b = rng.int(n - 1);
  if (b >= a) b++;
  if (rank[a]! !== rank[b]!) return rank[a]! < rank[b]! ? a : b;
  return crowding[b]! > crowding[a]! ? b : a;
}
