import { ParetoArchive } from '../pareto/pareto-archive.ts';
import type { Genotype } from '../space/search-space.ts';
import { GenotypeHistory, neighbours } from './genotype-history.ts';
import type { Strategy, StrategyContext, Trial } from './strategy.ts';
import { choiceOption } from './strategy-options.ts';
import { FirstResults } from './first-results.ts';

interface Member {
  readonly genotype: Genotype;
  explored: boolean;
}

/**
 * The `local` strategy: Pareto local search (Paquete, Chiarandini & Stützle 2004) over one-decision
 * neighbours, with random restarts. With one objective it is plain hill climbing.
 *
 * A local archive holds the non-dominated results (constrained domination) of the current climb.
 * An unexplored member is picked (oldest first), and its unseen neighbours are proposed in random
 * order. `mode`:
 *  - `best` (default, best improvement): all neighbours of a member are proposed before the next
 *    member is picked; the archive keeps whatever was non-dominated.
 *  - `first` (first improvement): as soon as the member being explored leaves the archive (a told
 *    neighbour dominates it), its remaining neighbours are dropped and the newcomer is explored.
 * When every archive member is explored and no proposal is pending, the climb is stuck at a (Pareto)
 * local optimum: the archive is cleared and the next proposal is a random new genotype, which starts
 * the next climb. While neighbours are pending but none is left to propose, extra proposals are
 * random new genotypes (they join the archive if non-dominated). Nothing is proposed twice.
 */
export function createLocalSearchStrategy(ctx: StrategyContext): Strategy {
  const history = new GenotypeHistory(ctx.decisions, ctx.rng);
  const mode = choiceOption(ctx, 'mode', ['best', 'first'] as const, 'best');
  let archive = new ParetoArchive<Member>();
  let queue: number[][] = [];
  let exploring: Member | null = null;
  const pending = new Set<string>();
  const told = new FirstResults();

  const inArchive = (m: Member) => archive.entries().some((e) => e.payload === m);

  const nextNeighbour = (): number[] | null => {
    for (;;) {
      if (mode === 'first' && exploring !== null && !inArchive(exploring)) queue = [];
      while (queue.length > 0) {
        const g = queue.pop()!;
        if (history.claim(g)) return g;
      }
      const m = archive.entries().find((e) => !e.payload.explored)?.payload;
      if (m === undefined) {
        exploring = null;
        return null;
      }
      m.explored = true;
      exploring = m;
      queue = ctx.rng.shuffle(neighbours(m.genotype, ctx.decisions));
    }
  };

  return {
    id: 'local',
    ask(n) {
      const out: number[][] = [];
      while (out.length < n) {
        let g = nextNeighbour();
        if (g === null) {
          if (pending.size === 0 && archive.size > 0) archive = new ParetoArchive<Member>(); // stuck: restart
          g = history.sampleNew();
        }
        if (g === null) break;
        pending.add(g.join(','));
        out.push(g);
      }
      return out;
    },
    tell(trials: readonly Trial[]) {
      for (const t of trials) {
        const k = t.genotype.join(',');
        pending.delete(k);
        history.claim(t.genotype); // a result it did not ask for (a resumed journal) is not proposed again
        if (!told.accept(t)) continue;
        archive.add(t.values, { genotype: t.genotype, explored: false }, t.violation);
      }
    },
  };
}
