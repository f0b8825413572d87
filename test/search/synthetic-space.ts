import type { Decision } from '../../src/space/search-space.ts';
import { strategies } from '../../src/search/strategy-registry.ts';
import { Rng } from '../../src/util/rng.ts';
import type { Strategy, Trial } from '../../src/search/strategy.ts';

/** An nb201-sized decision list: 6 decisions × 5 choices. */
export const decisions: Decision[] = Array.from({ length: 6 }, (_, i) => ({ name: `edge${i}`, choices: ['none', 'skip', 'conv1', 'conv3', 'pool'] }));

const w = new Rng(1234);
const A = decisions.map(() => [0, 1, 2, 3, 4].map(() => w.next()));
const B = decisions.map(() => [0, 1, 2, 3, 4].map(() => w.next()));

/** Deterministic synthetic objectives: [−accuracy %, latencyMs]. */
export function evaluate(g: readonly number[]): number[] {
  let a = 0;
  let l = 0;
  g.forEach((v, i) => {
    a += A[i]![v]!;
    l += B[i]![v]!;
  });
  return [-(50 + 7 * a), 1 + l];
}

export const STRATEGY_IDS = ['random', 'nsga2', 're', 'reinforce', 'bo', 'local'] as const;

export function make(id: string, seed: number, opts: { decisions?: Decision[]; budget?: number; objectiveCount?: number } = {}): Strategy {
  // The factory itself (synchronous for these strategies), with options some strategies ignore.
  const s = strategies.get(id).create({
    decisions: opts.decisions ?? decisions,
    objectiveCount: opts.objectiveCount ?? 2,
    rng: new Rng(seed),
    ...(opts.budget !== undefined ? { budget: opts.budget } : {}),
    options: { targetLatencyMs: 3.5 },
  });
  if (s instanceof Promise) throw new Error(`strategy ${id} is built asynchronously`);
  return s;
}

/** Run an ask/tell loop with uneven batch sizes; returns every asked genotype key in order. */
export function drive(s: Strategy, budget: number, objectiveCount = 2): string[] {
  const asked: string[] = [];
  let round = 0;
  while (asked.length < budget) {
    const want = Math.min(1 + (round++ % 7), budget - asked.length);
    const gs = s.ask(want);
    if (gs.length > want) throw new Error(`asked for ${want}, got ${gs.length}`);
    if (gs.length === 0) break;
    const trials: Trial[] = gs.map((g) => {
      asked.push(g.join(','));
      const v = evaluate(g);
      return { genotype: g, values: objectiveCount === 1 ? [v[0]!] : v, violation: 0 };
    });
    s.tell(trials);
  }
  return asked;
}
