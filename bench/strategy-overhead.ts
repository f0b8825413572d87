import { pathToFileURL } from 'node:url';
import type { Decision } from '../src/space/search-space.ts';
import { nb201TableProblem } from '../src/search/problems/nb201-table-problem.ts';
import { DEFAULT_STRATEGY_ID, strategies } from '../src/search/strategy-registry.ts';
import { Rng } from '../src/util/rng.ts';
import type { Strategy, Trial } from '../src/search/strategy.ts';

export interface StrategyOverheadRow {
  strategy: string;
  trials: number;
  /** Genotypes per ask (the search loop's default batch). */
  batch: number;
  /** Wall time of all asks and tells divided by trials, in ms, median of 3 runs (1 for bo); objectives are precomputed random numbers. */
  msPerTrial: number;
  /** Baseline in the same run: `random`'s ms per trial (unique uniform sampling, nothing learned). */
  ratioToRandom: number;
}

export interface StrategyOverheadResult {
  bench: 'strategy-overhead';
  decisions: string;
  population: number;
  objectives: number;
  rows: StrategyOverheadRow[];
  /**
   * The default strategy with its default options on a real problem (nb201 CIFAR-10 accuracy ×
   * pixel3 latency from the tables, 55-point front), 300 and 1,000 trials: per-trial time, 1 run each.
   */
  defaultOnTable: { strategy: string; problem: string; trials: number; msPerTrial: number; ratioToRandom: number }[];
  nsga2TargetMs: number;
  nsga2MeetsTarget: boolean;
}

/**
 * Overhead of each strategy's ask + tell per trial on an nb201-sized decision list (6 decisions × 5
 * choices, 15,625 genotypes), population 100 where the strategy has one, two random objectives
 * (violation 0), batches of 10. Evaluation cost is zero, so this is the strategy's own time.
 * Target: NSGA-II ≤ 0.05 ms per trial. BO runs fewer trials (its cost grows with the training set
 * up to `maxTrain`, so its per-trial time at 1,000 trials is the steady state).
 */
export async function strategyOverheadBench(opts: { trials?: number; boTrials?: number; seed?: number } = {}): Promise<StrategyOverheadResult> {
  const decisions: Decision[] = Array.from({ length: 6 }, (_, i) => ({ name: `edge${i}`, choices: ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'] }));
  const trials = opts.trials ?? 3000;
  const boTrials = opts.boTrials ?? 1000;
  const batch = 10;
  const rows: StrategyOverheadRow[] = [];
  const run = (id: string, n: number, table?: (g: readonly number[]) => number[]): number => {
    const values = new Rng(99);
    const pre = Array.from({ length: n }, () => [-values.uniform(10, 95), values.uniform(1, 30)]);
    const options = table ? {} : { population: 100, targetLatencyMs: 15 };
    const s = strategies.get(id).create({ decisions, objectiveCount: 2, rng: new Rng(opts.seed ?? 1), budget: n, options }) as Strategy;
    let done = 0;
    const t0 = performance.now();
    while (done < n) {
      const gs = s.ask(Math.min(batch, n - done));
      if (gs.length === 0) break;
      const told: Trial[] = gs.map((g, k) => ({ genotype: g, values: table ? table(g) : pre[done + k]!, violation: 0 }));
      done += gs.length;
      s.tell(told);
    }
    return (performance.now() - t0) / done;
  };
  const ids = strategies.ids().filter((id) => id !== 'dnas' && id !== 'grid'); // dnas trains; grid has no overhead
  for (const id of ids) run(id, id === 'bo' ? 100 : trials); // warm-up (JIT)
  // Median of 3 runs (1 for bo) against noise from other processes.
  const med = (id: string, n: number, reps: number) => {
    const xs = Array.from({ length: reps }, () => run(id, n)).sort((a, b) => a - b);
    return xs[xs.length >> 1]!;
  };
  const randomMs = med('random', trials, 3);
  for (const id of ids) {
    const n = id === 'bo' ? boTrials : trials;
    const ms = id === 'random' ? randomMs : med(id, n, id === 'bo' ? 1 : 3);
    rows.push({ strategy: id, trials: n, batch, msPerTrial: ms, ratioToRandom: ms / randomMs });
  }
  const pixel3 = nb201TableProblem('pixel3');
  const table = (g: readonly number[]) => pixel3.values(g);
  const defaultOnTable = [300, 1000].map((n) => {
    const ms = run(DEFAULT_STRATEGY_ID, n, table);
    return { strategy: DEFAULT_STRATEGY_ID, problem: 'nb201 × pixel3', trials: n, msPerTrial: ms, ratioToRandom: ms / randomMs };
  });
  const nsga2 = rows.find((r) => r.strategy === 'nsga2')!;
  return { bench: 'strategy-overhead', decisions: '6 × 5 (nb201)', population: 100, objectives: 2, rows, defaultOnTable, nsga2TargetMs: 0.05, nsga2MeetsTarget: nsga2.msPerTrial <= 0.05 };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await strategyOverheadBench(), null, 2));
}
