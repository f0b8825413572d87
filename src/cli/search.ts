import { MAX_EVALUATIONS, MAX_FIDELITY_EPOCHS } from '../limits.ts';
import { availableParallelism } from 'node:os';
import { InputError } from '../errors.ts';
import { DEFAULT_STRATEGY_ID } from '../search/strategy-registry.ts';
import type { StudyEvent } from '../run/study.ts';
import { StudyProgressTracker, trainingNote } from '../run/study-progress.ts';
import type { Io } from '../util/io.ts';
import { Progress } from '../util/progress.ts';
import type { Command } from './command.ts';
import { join } from 'node:path';
import { ACCURACY_DATA_FLAGS, ACCURACY_DATA_USAGE, parseAccuracyDataFlags } from './accuracy-flags.ts';
import { choiceFlag, intFlag, numberFlag, parseFlags } from './flags.ts';
import { parseConstraint, parseObjectives, parseOptionValue } from './objective-flags.ts';
import { STRICT_TIMING_EXIT_CODE, strictTimingExit, timingWarnings } from './timing-warnings.ts';

const usage = `usage: hwnas search [flags]

Search a space for architectures that trade accuracy against latency (and params, FLOPs) on one or
more devices; writes one leaderboard per device (one for all with --joint).

  --space S           space id (spaces/*.json) or path               [nasbench-macro]
  --device D          device id (devices/*.json) or path; repeatable [ort-cpu]
  --joint             one search for all devices: objectives latencyMs@<device> for each device,
                      one leaderboard with a latency column per device
  --strategy X        bo, nsga2, random, re, reinforce, local, grid, dnas  [${DEFAULT_STRATEGY_ID}]
  --budget N          distinct architectures evaluated per device    [100]
  --seed N            random seed (same seed + config = same result) [0]
  --objectives L      comma-separated metrics                        [accuracy,latencyMs]
  --constraint C      e.g. 'latencyMs<=5' ('latencyMs@fpga<=3' with --joint), quoted: < and > are
                      shell redirections; repeatable
  --accuracy A        accuracy source: table, proxy-train, zero-cost:<proxy>, supernet
                      (one weight-sharing supernet trained once and cached, chain spaces:
                      docs/supernet.md), or command:<your trainer>, a program run once per
                      candidate without a shell (docs/your-trainer.md)       [table]
  --jobs N            candidates trained at once by a training accuracy source
                      [cores; 1 for command:]
  --accuracy-timeout S  seconds a command: trainer gets per candidate; then it is
                      killed and the candidate fails                 [3600]
  --fidelity F        multi-fidelity training for proxy-train or command: (sh: successive
                      halving, hyperband): every candidate trained --min-epochs first, the
                      top 1/eta of each rung (on the objectives) eta times longer, up to
                      --max-epochs; records get fidelityEpochs, rung, accuracyAt<E>Epochs
  --min-epochs N      epochs of the lowest rung                      [1]
  --max-epochs N      epochs of the highest rung                     [9]
  --eta N             promotion ratio                                [3]
${ACCURACY_DATA_USAGE}
  --pop N             population size (nsga2, re)
  --target-latency T  target latency in ms of reinforce's MnasNet reward
                      [median latency of the first batch, printed]
  --option K=V        any strategy option; repeatable (unknown keys are an error)
  --out DIR           output folder           [results/<timestamp>-<space>-<strategy>]
  --resume            continue the run in --out from its journals (the settings must match;
                      a larger --budget reuses every journaled evaluation)
  --remeasure-front   after the search, re-measure each device's Pareto front with 3x the timing
                      on a measured device; adds remeasuredLatencyMs, remeasuredP90Ms, remeasuredCv,
                      remeasureDevice to the front's rows and prints Spearman vs the search latency
  --remeasure-device D  the device for --remeasure-front (implies it)
                      [the search device if measured, else ort-cpu]
  --strict-timing     exit with code ${STRICT_TIMING_EXIT_CODE} (after writing everything) when measured latencies missed
                      their timing tolerance or the reference network drifted (the warning says
                      how many); see docs/latency-protocol.md
  --redis URL         evaluate on \`hwnas worker\` processes through BullMQ queues on this Redis
                      (redis://[:password@]host:port, rediss:// for TLS): one queue per device,
                      devices searched at once; the journal stays here. See docs/distributed.md

Writes <out>/leaderboard-<device>.csv, front-<device>.csv, front-<device>.svg,
journal-<device>.jsonl and config.json (strategy-<device>.json for strategies that report choices);
a computing accuracy source also keeps accuracy-cache.jsonl (each result the moment it exists, so
--resume trains nothing twice). Proxy training's cost per candidate is in the trainMs and
trainImages columns; on nb201 and nasbench-macro a proxy-driven search also writes the table's
accuracy as tableAccuracy (reported, not searched on).`;

/** A path as one shell word: as is when it is plain, else in single quotes. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Progress lines of a study on stderr: a bar per target updated as each candidate finishes and as
 * candidates train (step and epoch), an ETA from the measured cost per candidate, journal problems
 * and strategy notes.
 */
export function studyProgress(io: Io): (e: StudyEvent) => void {
  const tracker = new StudyProgressTracker();
  const bars = new Map<string, Progress>();
  return (e) => {
    const t = tracker.on(e);
    if (e.type === 'target-start') {
      bars.set(e.target, new Progress(io, e.target, e.total));
      if (e.journaled > 0) io.err(`${e.target}: ${e.journaled} evaluations in the journal will be reused\n`);
    }
    if (e.type === 'target-done') {
      // The command prints the summary itself (stdout), once.
      bars.get(e.target.target.id)?.done();
      return;
    }
    if (e.type === 'note') {
      io.err(`${e.target ? `${e.target}: ` : ''}${e.text}\n`);
      return;
    }
    if (!t) return;
    const notes = [t.failed > 0 ? `(${t.failed} failed)` : '', trainingNote(t.training)].filter((x) => x !== '');
    bars.get(t.target)?.update(t.done, notes.join(' '), tracker.eta(t));
  };
}

/** The flags of `hwnas search`. */
export const searchFlags = {
  space: { type: 'string' }, device: { type: 'string', multiple: true }, joint: { type: 'boolean' }, strategy: { type: 'string' },
  budget: { type: 'string' }, seed: { type: 'string' }, objectives: { type: 'string' },
  constraint: { type: 'string', multiple: true }, accuracy: { type: 'string' }, jobs: { type: 'string' }, pop: { type: 'string' },
  'target-latency': { type: 'string' }, option: { type: 'string', multiple: true }, out: { type: 'string' },
  resume: { type: 'boolean' }, 'remeasure-front': { type: 'boolean' }, 'remeasure-device': { type: 'string' },
  redis: { type: 'string' }, 'strict-timing': { type: 'boolean' }, 'accuracy-timeout': { type: 'string' }, fidelity: { type: 'string' },
  'min-epochs': { type: 'string' }, 'max-epochs': { type: 'string' }, eta: { type: 'string' },
  ...ACCURACY_DATA_FLAGS,
} as const;

export const searchCommand: Command = {
  name: 'search',
  summary: 'multi-objective search; CSV leaderboard per device',
  usage,
  async run(argv, io) {
    const f = parseFlags(argv, searchFlags);
    const accuracyData = parseAccuracyDataFlags(f);
    const isCommand = f.accuracy?.startsWith('command:') ?? false;
    const { DEFAULT_FIDELITY, FIDELITY_SCHEDULES } = await import('../run/multi-fidelity.ts');
    if (f.fidelity === undefined) {
      for (const k of ['min-epochs', 'max-epochs', 'eta'] as const) {
        if (f[k] !== undefined) throw new InputError('bad-flag', `--${k} needs --fidelity`, { path: `--${k}`, expected: `--fidelity ${FIDELITY_SCHEDULES.join('|')} beside it` });
      }
    }
    const fidelity = f.fidelity !== undefined ? {
      schedule: choiceFlag(f.fidelity, '--fidelity', FIDELITY_SCHEDULES, 'sh'),
      minEpochs: intFlag(f['min-epochs'], '--min-epochs', DEFAULT_FIDELITY.minEpochs, 1, MAX_FIDELITY_EPOCHS),
      maxEpochs: intFlag(f['max-epochs'], '--max-epochs', DEFAULT_FIDELITY.maxEpochs, 1, MAX_FIDELITY_EPOCHS),
      eta: intFlag(f.eta, '--eta', DEFAULT_FIDELITY.eta, 2, 100),
    } : undefined;
    const accuracyTimeoutS = f['accuracy-timeout'] !== undefined ? numberFlag(f['accuracy-timeout'], '--accuracy-timeout', 3600, Number.MIN_VALUE, 30 * 24 * 3600) : undefined;
    // A trainer program that is not here fails now, once, not once per candidate (with --redis it runs on the workers).
    if (isCommand && f.redis === undefined) (await import('../accuracy/command-source.ts')).checkCommandProgram(f.accuracy!);
    const strategyOptions: Record<string, number | string | boolean> = Object.fromEntries((f.option ?? []).map((kv) => parseOptionValue(kv)));
    if (f.pop !== undefined) strategyOptions.population = intFlag(f.pop, '--pop', 50, 2, 1_000_000);
    if (f['target-latency'] !== undefined) strategyOptions.targetLatencyMs = numberFlag(f['target-latency'], '--target-latency', 0, Number.MIN_VALUE);
    if (f.out !== undefined && f.out.trim() === '') throw new InputError('bad-flag', 'empty output folder', { path: '--out', expected: 'a folder path' });
    // Loaded on use: the search pulls in runtimes and strategies that other commands do not need.
    const { search, defaultSearchOut } = await import('../run/search.ts');
    const { loadSpace } = await import('../space/space-registry.ts');
    const space = loadSpace(f.space ?? 'nasbench-macro');
    const { formatRemeasureSummary } = await import('../run/remeasure-front.ts');
    // Loaded on use too: without --redis neither BullMQ nor ioredis is imported.
    const backend = f.redis !== undefined ? await (await import('./redis-flag.ts')).openRedisBackend(f.redis, io, f.resume ?? false) : undefined;
    const res = await search({
      space,
      ...(f.device !== undefined && { devices: f.device }),
      joint: f.joint ?? false,
      ...(f.strategy !== undefined && { strategy: f.strategy }),
      budget: intFlag(f.budget, '--budget', 100, 1, MAX_EVALUATIONS),
      seed: intFlag(f.seed, '--seed', 0, 0, 2 ** 32 - 1),
      ...(f.objectives !== undefined && { objectives: parseObjectives(f.objectives) }),
      ...(f.constraint !== undefined && { constraints: f.constraint.map((c) => parseConstraint(c)) }),
      ...(f.accuracy !== undefined && { accuracy: f.accuracy }),
      jobs: intFlag(f.jobs, '--jobs', isCommand ? 1 : availableParallelism(), 1, 1024),
      ...(fidelity && { fidelity }),
      ...(accuracyTimeoutS !== undefined && { accuracyTimeoutS }),
      ...accuracyData,
      out: f.out ?? defaultSearchOut(space.id, f.strategy ?? DEFAULT_STRATEGY_ID),
      resume: f.resume ?? false,
      ...((f['remeasure-front'] || f['remeasure-device'] !== undefined) && {
        remeasureFront: f['remeasure-device'] !== undefined ? { device: f['remeasure-device'] } : true,
      }),
      strategyOptions,
      onEvent: studyProgress(io),
      ...(backend && { backend }),
    }).finally(() => backend?.close());
    const { renderSearchPlots } = await import('../report/search-plots.ts');
    await renderSearchPlots(res.out);
    for (const d of res.devices) {
      const b = d.best;
      const bestText = b
        ? `best ${b.arch} (${Object.entries(b.metrics).filter(([k]) => k === 'accuracy' || k.startsWith('latencyMs')).map(([k, v]) => `${k} ${Number(v.toPrecision(5))}`).join(', ')})`
        : d.evaluated > d.failed ? 'no architecture meets the constraints' : 'no successful evaluation';
      io.out(`${d.device}: ${d.evaluated} evaluated${d.resumed ? ` (${d.resumed} from the journal)` : ''}, ${d.failed} failed, front ${d.frontSize}; ${bestText}\n  ${d.leaderboard}\n`);
      if (d.remeasure) io.out(`${formatRemeasureSummary(d.remeasure)}\n`);
    }
    const noisy = timingWarnings(io, res.devices.flatMap((d) => d.timing)) + res.devices.filter((d) => (d.remeasure?.timingFlagged ?? 0) > 0).length;
    // What to open next: the report of this run (plots, fronts, the trials table).
    io.out(`next: npx hwnas report ${shellWord(res.out)}   (writes ${join(res.out, 'report.html')})\n`);
    if (!res.devices.every((d) => d.evaluated > d.failed)) return 1;
    return f['strict-timing'] && noisy > 0 ? strictTimingExit(io) : 0;
  },
};
