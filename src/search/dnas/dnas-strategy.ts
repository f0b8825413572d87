import { InputError } from '../../errors.ts';
import type { Strategy, StrategyContext } from '../strategy.ts';
import { choiceOption, intOption, numberOption } from '../strategy-options.ts';
import { runDnas } from './run-dnas.ts';

/**
 * The `dnas` strategy: FBNet-style differentiable search ({@link runDnas}) as an ask/tell strategy.
 * Building it trains the supernet on the vendored CIFAR-10 subset, with the target device's
 * per-layer latency (`ctx.layerCosts`: from its LUT, its profiled LUT, its table, or measured on it)
 * in the loss; its first `ask` returns the derived architecture, which the Study evaluates and
 * journals like any candidate; then it has nothing more to propose. Needs a chain-family space.
 *
 * Options: `beta` (latency exponent, FBNet eq. 2; 0.6), `alpha` (0.2), `epochs` (6), `images`
 * (1000), `width` (supernet width multiplier, 0.25), `inputSize` (16), `temperature` (τ₀, 5),
 * `steps` (mini-batches per epoch; default all), `cost` (`device`, or `flops` to penalise FLOPs
 * instead of latency).
 */
export async function createDnasStrategy(ctx: StrategyContext): Promise<Strategy> {
  const space = ctx.space;
  if (!space || !ctx.layerCosts) throw new Error('dnas: the strategy context needs the space and its layer costs');
  if (space.family !== 'chain') {
    throw new InputError('incompatible', `dnas needs a chain-family space, "${space.id}" is ${space.family}`, { path: '--strategy', expected: 'a chain space such as nasbench-macro or fbnet-cifar100' });
  }
  const opts = {
    alpha: numberOption(ctx, 'alpha', 0.2, 0),
    beta: numberOption(ctx, 'beta', 0.6, 0),
    epochs: intOption(ctx, 'epochs', 6, 1, 10_000),
    images: intOption(ctx, 'images', 1000, 64, 60_000),
    temperature: numberOption(ctx, 'temperature', 5, 1e-3),
    width: numberOption(ctx, 'width', 0.25, 0.01, 4),
    inputSize: intOption(ctx, 'inputSize', 16, 4, 1024),
    steps: ctx.options['steps'] === undefined ? undefined : intOption(ctx, 'steps', 1, 1, 1_000_000),
    cost: choiceOption(ctx, 'cost', ['device', 'flops'] as const, 'device'),
  };
  const costs = await ctx.layerCosts(opts.cost);
  // FBNet's term is (log LAT)^β, which needs LAT > 1: a sub-millisecond model is costed in µs.
  const smallest = costs.fixed + costs.table.reduce((s, row) => s + Math.min(...row), 0);
  const scale = costs.unit === 'ms' && smallest <= 1 ? 1000 : 1;
  const unit = scale === 1000 ? 'µs' : costs.unit;
  const dnas = await runDnas({
    space,
    latencyTable: costs.table.map((row) => row.map((v) => v * scale)),
    fixedLatency: costs.fixed * scale,
    alpha: opts.alpha,
    beta: opts.beta,
    epochs: opts.epochs,
    images: opts.images,
    ...(opts.steps !== undefined && { stepsPerEpoch: opts.steps }),
    temperature: opts.temperature,
    shrink: { widthMultiplier: opts.width, inputSize: opts.inputSize },
    seed: ctx.rng.seed,
    onEpoch: (e, epochs) => ctx.onNote?.(`dnas epoch ${e.epoch + 1}/${epochs}: cross-entropy ${e.crossEntropy.toFixed(3)}, expected latency ${Number(e.expectedLatency.toPrecision(4))} ${unit}, τ ${e.temperature.toFixed(2)}`),
  });
  let asked = false;
  return {
    id: 'dnas',
    proposals: 1,
    ask(n) {
      if (asked || n < 1) return [];
      asked = true;
      return [dnas.genotype];
    },
    tell() {},
    summary: () => ({
      arch: dnas.arch,
      latencyUnit: unit,
      latencySource: costs.source,
      tableLatency: Number(dnas.latency.toPrecision(6)),
      layerCosts: { unit, fixed: costs.fixed * scale, table: costs.table.map((row) => row.map((v) => v * scale)) },
      theta: dnas.theta,
      history: dnas.history,
      seconds: Number(dnas.seconds.toFixed(1)),
    }),
  };
}
