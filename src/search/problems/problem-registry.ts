import { dtlz2m3 } from './dtlz.ts';
import type { MooProblem } from './moo-problem.ts';
import { zdt1, zdt2, zdt3 } from './zdt.ts';

const problems = new Map<string, MooProblem>();

/** Register a continuous benchmark problem under its id. */
export function registerMooProblem(p: MooProblem): void {
  problems.set(p.id, p);
}

/** A registered problem; undefined when unknown. */
export function getMooProblem(id: string): MooProblem | undefined {
  return problems.get(id);
}

/** Ids of the registered problems, sorted. */
export function mooProblemIds(): string[] {
  return [...problems.keys()].sort();
}

for (const p of [zdt1, zdt2, zdt3, dtlz2m3]) registerMooProblem(p);
