import { InputError } from '../errors.ts';
import type { Command } from './command.ts';
import { intFlag, numberFlag, parseFlags } from './flags.ts';

const usage = `usage: hwnas search [flags]

Search a space for architectures that trade accuracy against latency (and params, FLOPs) on one or
more devices; writes one leaderboard per device.

  --space S           space id (spaces/*.json) or path               [nasbench-macro]
  --device D          device id (devices/*.json) or path; repeatable [ort-cpu]
  --strategy X        nsga2, random, re, reinforce, bo, local, dnas  [nsga2]
  --budget N          distinct architectures evaluated per device    [100]
  --seed N            random seed (same seed + config = same result) [0]
  --objectives L      comma-separated metrics                        [accuracy,latencyMs]
  --constraint C      e.g. latencyMs<=5; repeatable
  --accuracy A        accuracy source: table, proxy-train, ...       [table]
  --pop N             population size (nsga2, re)
  --target-latency T  target latency in ms (reinforce's MnasNet reward)
  --option K=V        any strategy option; repeatable
  --out DIR           output folder           [results/<timestamp>-<space>-<strategy>]
  --resume            continue the run in --out from its journals
  --remeasure-front   after the search, re-measure each device's Pareto front with 3x the timing
                      on a measured device; adds remeasuredLatencyMs, remeasuredP90Ms, remeasuredCv,
                      remeasureDevice to the front's rows and prints Spearman vs the search latency
  --remeasure-device D  the device for --remeasure-front (implies it)
                      [the search device if measured, else ort-cpu]

Writes <out>/leaderboard-<device>.csv, front-<device>.csv, front-<device>.svg,
journal-<device>.jsonl and config.json.`;

function parseOption(kv: string): [string, number | string | boolean] {
  const eq = kv.indexOf('=');
  if (eq <= 0) throw new InputError('bad-flag', 'malformed option', { path: '--option', expected: 'KEY=VALUE', actual: JSON.stringify(kv) });
  const k = kv.slice(0, eq);
  const v = kv.slice(eq + 1);
  if (v === 'true' || v === 'false') return [k, v === 'true'];
  const n = Number(v);
  return [k, v.trim() !== '' && Number.isFinite(n) ? n : v];
}

export const searchCommand: Command = {
  name: 'search',
  summary: 'multi-objective search; CSV leaderboard per device',
  usage,
  async run(argv, io) {
    const f = parseFlags(argv, {
      space: { type: 'string' }, device: { type: 'string', multiple: true }, strategy: { type: 'string' },
      budget: { type: 'string' }, seed: { type: 'string' }, objectives: { type: 'string' },
      constraint: { type: 'string', multiple: true }, accuracy: { type: 'string' }, pop: { type: 'string' },
      'target-latency': { type: 'string' }, option: { type: 'string', multiple: true }, out: { type: 'string' },
      resume: { type: 'boolean' }, 'remeasure-front': { type: 'boolean' }, 'remeasure-device': { type: 'string' },
    });
    const strategyOptions: Record<string, number | string | boolean> = Object.fromEntries((f.option ?? []).map(parseOption));
    if (f.pop !== undefined) strategyOptions.population = intFlag(f.pop, '--pop', 50, 2);
    if (f['target-latency'] !== undefined) strategyOptions.targetLatencyMs = numberFlag(f['target-latency'], '--target-latency', 0, Number.MIN_VALUE);
    // Loaded on use: the search pulls in runtimes and strategies that other commands do not need.
    const { search } = await import('../run/search.ts');
    const { formatRemeasureSummary } = await import('../run/remeasure-front.ts');
    const res = await search({
      ...(f.space !== undefined && { space: f.space }),
      ...(f.device !== undefined && { devices: f.device }),
      ...(f.strategy !== undefined && { strategy: f.strategy }),
      budget: intFlag(f.budget, '--budget', 100, 1),
      seed: intFlag(f.seed, '--seed', 0, 0, 2 ** 32 - 1),
      ...(f.objectives !== undefined && { objectives: f.objectives }),
      ...(f.constraint !== undefined && { constraints: f.constraint }),
      ...(f.accuracy !== undefined && { accuracy: f.accuracy }),
      ...(f.out !== undefined && { out: f.out }),
      resume: f.resume ?? false,
      ...((f['remeasure-front'] || f['remeasure-device'] !== undefined) && {
        remeasureFront: f['remeasure-device'] !== undefined ? { device: f['remeasure-device'] } : true,
      }),
      strategyOptions,
      io,
    });
    const { renderSearchPlots } = await import('../report/search-plots.ts');
    await renderSearchPlots(res.out);
    for (const d of res.devices) {
      const b = d.best;
      const bestText = b ? `best ${b.arch} (${Object.entries(b.metrics).filter(([k]) => ['accuracy', 'latencyMs'].includes(k)).map(([k, v]) => `${k} ${Number(v.toPrecision(5))}`).join(', ')})` : 'no successful evaluation';
      io.out(`${d.device}: ${d.evaluated} evaluated, ${d.failed} failed, front ${d.frontSize}; ${bestText}\n  ${d.leaderboard}\n`);
      if (d.remeasure) io.out(`${formatRemeasureSummary(d.remeasure)}\n`);
    }
    return res.devices.every((d) => d.evaluated > d.failed) ? 0 : 1;
  },
};
