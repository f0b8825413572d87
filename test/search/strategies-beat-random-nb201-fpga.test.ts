import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nb201TableProblem } from '../../src/search/problems/nb201-table-problem.ts';
import { runTableSearch } from '../../src/search/problems/run-table-search.ts';
import { DEFAULT_STRATEGY_ID } from '../../src/search/strategy-registry.ts';
import { median } from '../../src/util/stats.ts';

// NAS-Bench-201 CIFAR-10 validation accuracy × fpga latency from the tables, 300 evaluations, seeds
// 0–4, HV ratio with front-range normalisation (the exact front's ideal and nadir, reference 1.1).
const problem = nb201TableProblem('fpga');
const SEEDS = [0, 1, 2, 3, 4];
const medianHvRatio = async (strategy: string): Promise<number> => {
  const hv: number[] = [];
  for (const seed of SEEDS) {
    const r = await runTableSearch({ problem, strategy, seed, budget: 300 });
    assert.equal(r.genotypes.length, 300);
    hv.push(r.hvRatio[r.hvRatio.length - 1]!.hvRatio);
  }
  return median(hv);
};

let random: number | undefined;
const randomMedian = async () => (random ??= await medianHvRatio('random'));

for (const id of [DEFAULT_STRATEGY_ID, 'nsga2', 're', 'local', 'bo'].filter((id, i, all) => all.indexOf(id) === i)) {
  test(`${id}${id === DEFAULT_STRATEGY_ID ? ' (the default)' : ''} beats random search on nb201 × fpga: median HV ratio of 5 seeds at 300 evaluations`, async () => {
    const base = await randomMedian();
    const mine = await medianHvRatio(id);
    assert.ok(base > 0.8 && base < 0.95, `random search's median ${base} is not what this problem gives`);
    assert.ok(mine > base, `${id}: median HV ratio ${mine}, random ${base}`);
  });
}
