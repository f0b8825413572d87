import { MAX_EVALUATIONS } from '../limits.ts';
import { InputError } from '../errors.ts';
import { DEFAULT_STRATEGY_ID } from '../search/strategy-registry.ts';
import type { Command } from './command.ts';
import { ACCURACY_DATA_FLAGS, ACCURACY_DATA_USAGE, parseAccuracyDataFlags } from './accuracy-flags.ts';
import { intFlag, listFlag, numberFlag, parseFlags } from './flags.ts';
import { parseConstraint, parseObjectives } from './objective-flags.ts';

const usage = `usage: hwnas compare --device D [flags]

Run several strategies over several seeds on a small table space and score every run against the
exact Pareto front (hypervolume ratio, IGD+ in the fixed normalisation of hwnas truth); with one
objective (accuracy), report the test accuracy of the best-by-validation architecture instead.

  --space S          space id or path (tables needed)               [nb201]
  --device D         table device id                                (required with latencyMs)
  --strategies L     comma-separated strategy ids                   [random,${DEFAULT_STRATEGY_ID}]
  --seeds K          runs per strategy, seeds 0..K-1                [10]
  --budget N         distinct evaluations per run                   [1000]
  --checkpoints L    evaluation counts to score at (+ the budget)   [50,100,300,1000]
  --objectives L     accuracy,latencyMs or accuracy (single)        [accuracy,latencyMs]
  --constraint C     every run searches under it and is scored against the exact front of the
                     architectures meeting it, e.g. 'latencyMs<=5' (quoted); repeatable
  --accuracy A       accuracy source                                [table]
${ACCURACY_DATA_USAGE}
  --option K=V       strategy option for all strategies; S.K=V for strategy S only; repeatable
  --alpha A          level of the one-sided rank-sum test vs random [0.05]
  --out DIR          output folder                 [results/compare-<space>-<device>]
  --resume           continue the comparison in --out (journals are replayed)
  --redis URL        evaluate the runs on \`hwnas worker\` processes through this Redis

Writes <out>/hv.csv (strategy,seed,evaluations,hypervolume,hvRatio,igdPlus) or, with one objective,
best.csv (strategy,seed,evaluations,bestValidAccuracy,testAccuracy); summary.csv; hv.svg or
best.svg; the true front; and one journal per run under runs/<strategy>/seed-<k>.jsonl.`;

export type OptionValue = number | string | boolean;

/** `population=20` (all strategies) or `nsga2.population=20` (one strategy). */
export function parseOption(kv: string, strategies: readonly string[]): [string, string, OptionValue] {
  const eq = kv.indexOf('=');
  if (eq <= 0) throw new InputError('bad-flag', 'malformed option', { path: '--option', expected: 'KEY=VALUE or STRATEGY.KEY=VALUE', actual: JSON.stringify(kv) });
  const left = kv.slice(0, eq);
  const v = kv.slice(eq + 1);
  const dot = left.indexOf('.');
  if (dot > 0 && !strategies.includes(left.slice(0, dot))) {
    throw new InputError('bad-flag', `option for strategy "${left.slice(0, dot)}", which is not compared`, { path: '--option', expected: `KEY=VALUE or STRATEGY.KEY=VALUE with STRATEGY one of ${strategies.join(', ')}`, actual: JSON.stringify(kv) });
  }
  const owner = dot > 0 ? left.slice(0, dot) : '*';
  const key = owner === '*' ? left : left.slice(dot + 1);
  const n = Number(v);
  const value: OptionValue = v === 'true' || v === 'false' ? v === 'true' : v.trim() !== '' && Number.isFinite(n) ? n : v;
  return [owner, key, value];
}

export const compareCommand: Command = {
  name: 'compare',
  summary: 'strategies × seeds against the exact front: HV ratio, IGD+, rank-sum tests',
  usage,
  async run(argv, io) {
    const f = parseFlags(argv, {
      space: { type: 'string' }, device: { type: 'string' }, strategies: { type: 'string' }, seeds: { type: 'string' },
      budget: { type: 'string' }, checkpoints: { type: 'string' }, objectives: { type: 'string' }, constraint: { type: 'string', multiple: true },
      accuracy: { type: 'string' }, option: { type: 'string', multiple: true }, alpha: { type: 'string' },
      out: { type: 'string' }, resume: { type: 'boolean' }, redis: { type: 'string' },
      ...ACCURACY_DATA_FLAGS,
    });
    const accuracyData = parseAccuracyDataFlags(f);
    const strategies = listFlag(f.strategies) ?? ['random', DEFAULT_STRATEGY_ID];
    const strategyOptions: Record<string, Record<string, OptionValue>> = {};
    for (const kv of f.option ?? []) {
      const [owner, key, value] = parseOption(kv, strategies);
      (strategyOptions[owner] ??= {})[key] = value;
    }
    const checkpoints = listFlag(f.checkpoints)?.map((c) => intFlag(c, '--checkpoints', 1, 1, MAX_EVALUATIONS));
    const { compare } = await import('../run/compare.ts');
    const backend = f.redis !== undefined ? await (await import('./redis-flag.ts')).openRedisBackend(f.redis, io, f.resume ?? false) : undefined;
    const res = await compare({
      ...(f.space !== undefined && { space: f.space }),
      ...(f.device !== undefined && { device: f.device }),
      strategies,
      seeds: intFlag(f.seeds, '--seeds', 10, 1, 10_000),
      budget: intFlag(f.budget, '--budget', 1000, 1, MAX_EVALUATIONS),
      ...(checkpoints !== undefined && { checkpoints }),
      ...(f.objectives !== undefined && { objectives: parseObjectives(f.objectives) }),
      ...(f.constraint !== undefined && { constraints: f.constraint.map((c) => parseConstraint(c)) }),
      ...(f.accuracy !== undefined && { accuracy: f.accuracy }),
      ...accuracyData,
      alpha: numberFlag(f.alpha, '--alpha', 0.05, Number.MIN_VALUE, 1),
      ...(f.out !== undefined && { out: f.out }),
      resume: f.resume ?? false,
      strategyOptions,
      io,
      ...(backend && { backend }),
    }).finally(() => backend?.close());
    const last = Math.max(...res.rows.map((r) => r.evaluations));
    for (const r of res.rows.filter((x) => x.evaluations === last)) {
      const v = r.values;
      const p = typeof v.pVsRandom === 'number' ? `, p vs random ${v.pVsRandom.toPrecision(3)}${v.aboveRandom === 'yes' ? ' (better)' : ''}` : '';
      const text = res.mode === 'single'
        ? `test accuracy ${(v.meanTestAccuracy as number).toFixed(2)} ± ${(v.stdTestAccuracy as number).toFixed(2)}`
        : `median HV ratio ${(v.medianHvRatio as number).toFixed(4)} (IQR ${(v.iqrHvRatio as number).toFixed(4)})`;
      io.out(`${r.strategy} @ ${r.evaluations}: ${text}${p}\n`);
    }
    const { renderComparePlots } = await import('../report/compare-plots.ts');
    const plots = await renderComparePlots(res.out);
    io.out(`  ${res.scores}\n  ${res.summary}\n${plots.map((p) => `  ${p}\n`).join('')}`);
    return 0;
  },
};
