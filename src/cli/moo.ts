import { stringify } from 'csv-stringify/sync';
import { InputError } from '../errors.ts';
import { defaultPruning, SURVIVAL_PRUNINGS } from '../search/nsga2/survival.ts';
import { getMooProblem, mooProblemIds } from '../search/problems/problem-registry.ts';
import { MOO_STRATEGIES, runMoo } from '../run/moo.ts';
import type { Command } from './command.ts';
import { choiceFlag, intFlag, parseFlags, requireFlag } from './flags.ts';

const usage = `usage: hwnas moo --problem P [flags]

Run a strategy on a continuous multi-objective benchmark with a known Pareto front and score the
front it finds: hypervolume w.r.t. the reference point 1.1 in every objective, its ratio to the
analytic front's hypervolume, and IGD+ against a dense sample of the analytic front.

  --problem P       ${mooProblemIds().join(' | ')}                    (required)
  --strategy S      ${MOO_STRATEGIES.join(' | ')}   (real-coded NSGA-II: SBX η=15, polynomial mutation η=20)  [nsga2]
  --pop N           population size                                  [100]
  --generations G   generations, the random initial one included (pop × G evaluations)  [250]
  --seed S          random seed                                      [0]
  --pruning K       ${SURVIVAL_PRUNINGS.join(' | ')}: how survival cuts the last
                    front (Deb 2002 crowding, Kukkonen & Deb 2006 iterative crowding, or
                    Kukkonen & Deb 2006 k-nearest-neighbour vicinity)  [nearest-neighbour]
  --front F         population | archive: report the final population's non-dominated points, or
                    those of every point evaluated                   [population]
  --format F        json | csv                                       [json]

json prints {"problem", "strategy", "evaluations", "hypervolume", "hypervolumeRatio", "igdPlus",
"front"}; csv prints the front (columns f1..fM) and the scores as one line on stderr.`;

/** `hwnas moo`: score a strategy on ZDT1/2/3 or DTLZ2. */
export const mooCommand: Command = {
  name: 'moo',
  summary: 'run a strategy on ZDT/DTLZ benchmark problems and report hypervolume and IGD+',
  usage,
  async run(argv, io) {
    const f = parseFlags(argv, {
      problem: { type: 'string' },
      strategy: { type: 'string' },
      pop: { type: 'string' },
      generations: { type: 'string' },
      seed: { type: 'string' },
      pruning: { type: 'string' },
      front: { type: 'string' },
      format: { type: 'string' },
    });
    const id = requireFlag(f.problem, '--problem', `one of ${mooProblemIds().join(', ')}`);
    const problem = getMooProblem(id);
    if (!problem) throw new InputError('unknown-id', `unknown problem "${id}"`, { path: '--problem', expected: `one of ${mooProblemIds().join(', ')}` });
    const strategy = choiceFlag(f.strategy, '--strategy', MOO_STRATEGIES, 'nsga2');
    const pop = intFlag(f.pop, '--pop', 100, 2, 100_000);
    const generations = intFlag(f.generations, '--generations', 250, 1, 1_000_000);
    const seed = intFlag(f.seed, '--seed', 0, 0, 2 ** 32 - 1);
    const pruning = choiceFlag(f.pruning, '--pruning', SURVIVAL_PRUNINGS, defaultPruning(problem.objectiveCount));
    const frontOf = choiceFlag(f.front, '--front', ['population', 'archive'] as const, 'population');
    const format = choiceFlag(f.format, '--format', ['json', 'csv'] as const, 'json');
    const r = await runMoo({ problem, strategy, pop, generations, seed, pruning, frontOf });
    const front = r.front.slice().sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    if (format === 'json') {
      io.out(`${JSON.stringify({ problem: problem.id, strategy, evaluations: r.evaluations, frontOf: r.frontOf, hypervolume: r.hypervolume, hypervolumeRatio: r.hypervolumeRatio, igdPlus: r.igdPlus, front })}\n`);
    } else {
      const header = front[0]?.map((_, j) => `f${j + 1}`) ?? Array.from({ length: problem.objectiveCount }, (_, j) => `f${j + 1}`);
      io.out(stringify([header, ...front]));
      io.err(`${problem.id} ${strategy}: evaluations=${r.evaluations} hypervolume=${r.hypervolume} hypervolumeRatio=${r.hypervolumeRatio} igdPlus=${r.igdPlus} (front of the ${r.frontOf})\n`);
    }
    return 0;
  },
};
