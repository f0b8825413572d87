import { Registry } from '../../util/registry.ts';
import { dtlz2m3 } from './dtlz.ts';
import type { MooProblem } from './moo-problem.ts';
import { zdt1, zdt2, zdt3 } from './zdt.ts';

/** Continuous benchmark problems by id (`hwnas moo --problem`); add yours with `mooProblems.register`. */
export const mooProblems = new Registry<MooProblem>('problem', '--problem');
for (const p of [zdt1, zdt2, zdt3, dtlz2m3]) mooProblems.register(p.id, p);

/** A registered problem; undefined when unknown. */
export function getMooProblem(id: string): MooProblem | undefined {
  return mooProblems.find(id);
}

/** Ids of the registered problems, sorted. */
export function mooProblemIds(): string[] {
  return mooProblems.ids();
}
