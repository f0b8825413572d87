import { InputError } from '../errors.ts';
import { Registry } from '../util/registry.ts';
import { createBoStrategy } from './bo/bo.ts';
import { createDnasStrategy } from './dnas/dnas-strategy.ts';
import { createGridStrategy } from './grid-search.ts';
import { createLocalSearchStrategy } from './local-search.ts';
import { createNsga2Strategy } from './nsga2/nsga2.ts';
import { createRandomStrategy } from './random-search.ts';
import { createRegularizedEvolutionStrategy } from './regularized-evolution.ts';
import { createReinforceStrategy } from './reinforce.ts';
import type { Strategy, StrategyContext, StrategyFactory } from './strategy.ts';

/** A registered strategy: a one-line summary and its factory. */
export interface StrategyEntry {
  readonly summary: string;
  readonly create: StrategyFactory;
}

/** Every strategy by CLI id; the built-ins are registered here, add yours with `strategies.register`. */
export const strategies = new Registry<StrategyEntry>('strategy', '--strategy')
  .register('random', { summary: 'uniform random sampling without repeats', create: createRandomStrategy })
  .register('grid', { summary: 'every architecture in index order (exhaustive enumeration of a small space)', create: createGridStrategy })
  .register('nsga2', { summary: 'NSGA-II (Deb et al. 2002): rank + crowding survival, tournament, crossover, mutation', create: createNsga2Strategy })
  .register('re', { summary: 'regularized evolution (Real et al. 2019): tournament on a sample, remove the oldest', create: createRegularizedEvolutionStrategy })
  .register('reinforce', { summary: 'REINFORCE (Williams 1992) with a factorized softmax controller and the MnasNet reward', create: createReinforceStrategy })
  .register('bo', { summary: 'Bayesian optimisation: GP on one-hot genotypes, expected improvement, ParEGO for several objectives', create: createBoStrategy })
  .register('local', { summary: 'local search over one-decision neighbours (Pareto local search), random restarts', create: createLocalSearchStrategy })
  .register('dnas', { summary: 'FBNet-style differentiable search: train a supernet with a latency term, derive one architecture', create: createDnasStrategy });

/**
 * The strategy a search uses when none is named: `bo` (GP + expected hypervolume improvement for two
 * objectives). On the two-objective NAS-Bench-201 problems it is ahead of Optuna's TPE and NSGA-II
 * samplers at 300 and 1,000 evaluations (docs/strategy-comparison.md, "Against Optuna").
 */
export const DEFAULT_STRATEGY_ID = 'bo';

/**
 * Build a registered strategy. Every option given must be one the strategy reads: an unknown key
 * (a typo such as `pop` for `population`) is an {@link InputError} listing the options it reads.
 */
export async function createStrategy(id: string, ctx: StrategyContext, flag = '--strategy'): Promise<Strategy> {
  const entry = strategies.get(id, flag);
  const read = new Set<string>();
  const options = new Proxy(ctx.options, {
    get(target, key) {
      if (typeof key === 'string') read.add(key);
      return Reflect.get(target, key);
    },
  });
  const strategy = await entry.create({ ...ctx, options });
  const unknown = Object.keys(ctx.options).filter((k) => !read.has(k));
  if (unknown.length > 0) {
    const valid = [...read].filter((k) => !k.startsWith('__')).sort();
    throw new InputError('bad-flag', `unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} for strategy ${id}`, { path: '--option', expected: valid.length > 0 ? `one of ${valid.join(', ')}` : `no options (${id} takes none)` });
  }
  return strategy;
}
