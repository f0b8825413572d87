import { createBoStrategy } from './bo/bo.ts';
import { createLocalSearchStrategy } from './local-search.ts';
import { createNsga2Strategy } from './nsga2/nsga2.ts';
import { createRandomStrategy } from './random-search.ts';
import { createRegularizedEvolutionStrategy } from './regularized-evolution.ts';
import { createReinforceStrategy } from './reinforce.ts';
import { registerStrategy } from './strategy.ts';

let registered = false;

/** Register the built-in strategies (`random`, `nsga2`, `re`, `reinforce`, `bo`, `local`); idempotent. */
export function registerBuiltinStrategies(): void {
  if (registered) return;
  registered = true;
  registerStrategy('random', 'uniform random sampling without repeats', createRandomStrategy);
  registerStrategy('nsga2', 'NSGA-II (Deb et al. 2002): rank + crowding survival, tournament, crossover, mutation', createNsga2Strategy);
  registerStrategy('re', 'regularized evolution (Real et al. 2019): tournament on a sample, remove the oldest', createRegularizedEvolutionStrategy);
  registerStrategy('reinforce', 'REINFORCE (Williams 1992) with a factorized softmax controller and the MnasNet reward', createReinforceStrategy);
  registerStrategy('bo', 'Bayesian optimisation: GP on one-hot genotypes, expected improvement, ParEGO for several objectives', createBoStrategy);
  registerStrategy('local', 'local search over one-decision neighbours (Pareto local search), random restarts', createLocalSearchStrategy);
}
