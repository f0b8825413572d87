import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getAccuracySource } from '../accuracy/accuracy-source.ts';
import type { Io } from '../util/io.ts';
import { InputError } from '../errors.ts';
import { createLatencyProvider } from '../latency/create-latency-provider.ts';
import { loadDevice, type DeviceProfile } from '../latency/device-profile.ts';
import { registerBuiltinStrategies } from '../search/builtin-strategies.ts';
import { Rng } from '../util/rng.ts';
import { createStrategy, strategyIds } from '../search/strategy.ts';
import { loadSpace } from '../space/space-registry.ts';
import { spaceSize } from '../space/search-space.ts';
import { buildLeaderboard, paretoFront, writeLeaderboard, type LeaderboardRow } from '../record/leaderboard.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { Evaluator } from './evaluator.ts';
import { Journal, type JournalEntry } from '../record/journal.ts';
import { parseConstraint, parseObjectives, registerMetric, type Constraint, type Objective } from '../record/metric-registry.ts';
import { Progress } from '../util/progress.ts';
import { runSearchLoop } from './search-loop.ts';
import { openRemeasurers, remeasureFront, type RemeasureSetting, type RemeasureSummary } from './remeasure-front.ts';

/** Settings of `hwnas search` (and of `search()` in the library). */
export interface SearchOptions {
  /** Space id or path. @defaultValue 'nasbench-macro' */
  space?: string;
  /** Device ids or paths; one search and one leaderboard per device. @defaultValue ['ort-cpu'] */
  devices?: readonly string[];
  /** Strategy id. @defaultValue 'nsga2' */
  strategy?: string;
  /** Distinct evaluations per device. @defaultValue 100 */
  budget?: number;
  /** @defaultValue 0 */
  seed?: number;
  /** Comma-separated objectives. @defaultValue 'accuracy,latencyMs' */
  objectives?: string;
  /** Constraints such as `latencyMs<=5`. @defaultValue [] */
  constraints?: readonly string[];
  /** Accuracy source id. @defaultValue 'table' */
  accuracy?: string;
  /** Strategy options (population size...). */
  strategyOptions?: Readonly<Record<string, number | string | boolean>>;
  /** Output folder. @defaultValue `results/<timestamp>-<space>-<strategy>` */
  out?: string;
  /** Continue the run in `out` from its journals. @defaultValue false */
  resume?: boolean;
  /**
   * After the search on each device, re-measure its Pareto front on a measured device with 3× the
   * timing (`true`: the search device when it is measured, else `ort-cpu`); the front's rows get
   * `remeasuredLatencyMs`, `remeasuredP90Ms`, `remeasuredCv`, `remeasureDevice`. @defaultValue false
   */
  remeasureFront?: RemeasureSetting;
  /** Where progress goes; silent when absent. */
  io?: Io;
}

/** What a finished search wrote, per device. */
export interface SearchResult {
  out: string;
  devices: {
    device: string;
    evaluated: number;
    failed: number;
    resumed: number;
    leaderboard: string;
    front: string;
    frontSize: number;
    best: LeaderboardRow | undefined;
    /** Present when the front was re-measured. */
    remeasure?: RemeasureSummary;
  }[];
}

function timestamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** The parts of a config that must match for `--resume` to continue a run. */
function resumeKey(c: Record<string, unknown>): string {
  const { space, devices, strategy, seed, objectives, constraints, accuracy, strategyOptions } = c;
  return JSON.stringify({ space, devices, strategy, seed, objectives, constraints, accuracy, strategyOptions });
}

/**
 * Run a search: for each device, the strategy asks, the evaluator measures or looks up, every
 * evaluation is journaled, and `leaderboard-<device>.csv` and `front-<device>.csv` are written to
 * `out` with `config.json` (the CLI then draws `front-<device>.svg`: `renderSearchPlots` in src/report). Bad settings throw {@link InputError}
 * before anything is written.
 */
export async function search(opts: SearchOptions = {}): Promise<SearchResult> {
  registerBuiltinStrategies();
  const space = loadSpace(opts.space ?? 'nasbench-macro');
  const strategyId = opts.strategy ?? 'nsga2';
  const isDnas = strategyId === 'dnas';
  if (!isDnas && !strategyIds().some((s) => s.id === strategyId)) {
    throw new InputError('unknown-id', `unknown strategy "${strategyId}"`, { path: '--strategy', expected: `one of ${[...strategyIds().map((s) => s.id), 'dnas'].join(', ')}` });
  }
  const budget = opts.budget ?? 100;
  if (!Number.isInteger(budget) || budget < 1) throw new InputError('bad-flag', 'budget must be a positive integer', { path: '--budget', actual: String(budget) });
  const seed = opts.seed ?? 0;
  const constraints: Constraint[] = (opts.constraints ?? []).map(parseConstraint);
  if ((opts.accuracy ?? 'table') !== 'table') await import('../accuracy/builtin-accuracy-sources.ts');
  const accuracy = getAccuracySource(opts.accuracy ?? 'table', space);
  // A proxy source (e.g. zero-cost:synflow) scores under its own name: the objective `accuracy` means
  // "the accuracy source's metric", maximised.
  if (accuracy.metric !== 'accuracy') registerMetric({ name: accuracy.metric, direction: 'max', unit: '', summary: accuracy.description });
  const objectives: Objective[] = parseObjectives(opts.objectives ?? 'accuracy,latencyMs').map((o) =>
    o.metric === 'accuracy' && accuracy.metric !== 'accuracy' ? { metric: accuracy.metric, direction: 'max' } : o,
  );
  const deviceIds = opts.devices && opts.devices.length > 0 ? opts.devices : ['ort-cpu'];
  const devices: DeviceProfile[] = deviceIds.map((d) => loadDevice(d));
  if (new Set(devices.map((d) => d.id)).size !== devices.length) throw new InputError('bad-flag', 'a device is given twice', { path: '--device' });
  const out = opts.out ?? join('results', `${timestamp()}-${space.id}-${strategyId}`);
  const config = {
    hwnas: 1,
    space: space.id,
    spaceFile: space.file,
    devices: devices.map((d) => d.id),
    strategy: strategyId,
    strategyOptions: opts.strategyOptions ?? {},
    budget,
    seed,
    objectives: objectives.map((o) => `${o.metric}:${o.direction}`),
    constraints: constraints.map((c) => `${c.metric}${c.op}${c.value}`),
    accuracy: accuracy.id,
    accuracyDescription: accuracy.description,
    remeasureFront: opts.remeasureFront ?? false,
    deviceProfiles: devices,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    startedAt: new Date().toISOString(),
  };
  const configFile = join(out, 'config.json');
  if (existsSync(configFile)) {
    if (!opts.resume) throw new InputError('io', 'output folder already holds a run', { file: out, expected: 'a new --out folder, or --resume to continue it' });
    const old = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
    if (resumeKey(old) !== resumeKey(config)) {
      throw new InputError('incompatible', 'cannot resume: settings differ from the run in this folder', { file: configFile, expected: resumeKey(old), actual: resumeKey(config) });
    }
  }
  // Probe every device before writing anything: an unavailable GPU stops the run up front.
  const providers = [];
  for (const d of devices) providers.push(await createLatencyProvider(d, space));
  const remeasurers = opts.remeasureFront ? await openRemeasurers(devices, opts.remeasureFront) : undefined;
  // Build (and so validate the options of) every strategy before writing anything.
  const size = spaceSize(space);
  if (isDnas && space.family !== 'chain') {
    throw new InputError('incompatible', `dnas needs a chain-family space, "${space.id}" is ${space.family}`, { path: '--strategy', expected: 'a chain space such as nasbench-macro or fbnet-cifar100' });
  }
  const strategies = devices.map(() =>
    isDnas ? undefined : createStrategy(strategyId, {
      decisions: space.decisions,
      objectiveCount: objectives.length,
      rng: new Rng(seed),
      budget: Math.min(budget, size),
      options: { ...opts.strategyOptions, objectives: objectives.map((o) => o.metric).join(',') },
    })!,
  );
  writeFileAtomic(configFile, `${JSON.stringify(config, null, 2)}\n`);

  const result: SearchResult = { out, devices: [] };
  for (const [k, device] of devices.entries()) {
    const provider = providers[k]!;
    const strategy = strategies[k];
    const journal = new Journal(join(out, `journal-${device.id}.jsonl`));
    const evaluator = new Evaluator(space, { accuracy, latency: provider });
    let failed = 0;
    let progress: Progress | undefined;
    let loop: { records: JournalEntry[]; resumed: number };
    if (!strategy) {
      // --strategy dnas: one supernet training, one derived architecture (src/run/dnas-search.ts).
      const { runDnasSearch } = await import('./dnas-search.ts');
      const d = await runDnasSearch({ space, provider, evaluator, journal, seed, options: opts.strategyOptions ?? {}, ...(opts.io && { io: opts.io }) });
      writeFileAtomic(join(out, `dnas-${device.id}.json`), `${JSON.stringify({ arch: d.dnas.arch, latencyUnit: d.latencyUnit, tableLatency: d.dnas.latency, theta: d.dnas.theta, history: d.dnas.history, seconds: d.dnas.seconds }, null, 1)}\n`);
      if (d.record.outcome.status === 'failed') failed++;
      loop = { records: [d.record], resumed: 0 };
    } else {
      progress = opts.io ? new Progress(opts.io, `${device.id}`, Math.min(budget, size)) : undefined;
      loop = await runSearchLoop({
        space, strategy, journal, budget: Math.min(budget, size), objectives, constraints, evaluator,
        onEvaluated: (rec, done) => {
          if (rec.outcome.status === 'failed') failed++;
          progress?.update(done, failed > 0 ? `(${failed} failed)` : '');
        },
      });
    }
    await provider.close?.();
    let rows = buildLeaderboard(loop.records, objectives, constraints);
    let files = writeLeaderboard(out, device.id, rows);
    const front = paretoFront(rows);
    progress?.done(`${loop.records.length} evaluated${loop.resumed ? ` (${loop.resumed} from the journal)` : ''}, ${failed} failed, front of ${front.length} → ${files.leaderboard}`);
    let remeasure: RemeasureSummary | undefined;
    if (remeasurers) {
      // The leaderboard is already on disk; it is rewritten (atomically) with the re-measured columns.
      const r = await remeasureFront(rows, space, device.id, remeasurers[k]!, (line) => opts.io?.err(`${line}\n`));
      rows = r.rows;
      files = writeLeaderboard(out, device.id, rows);
      remeasure = r.summary;
    }
    result.devices.push({ device: device.id, evaluated: loop.records.length, failed, resumed: loop.resumed, ...files, frontSize: front.length, best: rows[0], ...(remeasure && { remeasure }) });
  }
  return result;
}
