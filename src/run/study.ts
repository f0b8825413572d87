import { join } from 'node:path';
import type { AccuracySource, TrainingBudget, TrainingProgress } from '../accuracy/accuracy-source.ts';
import { getAccuracySource } from '../accuracy/accuracy-registry.ts';
import { tableAccuracyFactories, withTableAccuracy } from '../accuracy/table-accuracy.ts';
import { InputError } from '../errors.ts';
import { createLatencyProvider } from '../latency/create-latency-provider.ts';
import type { DeviceProfile } from '../latency/device-profile.ts';
import type { LatencyProvider } from '../latency/latency-provider.ts';
import { Journal, type JournalEntry } from '../record/journal.ts';
import { buildLeaderboard, paretoFront, writeLeaderboard, type LeaderboardRow } from '../record/leaderboard.ts';
import { constraintText, deviceMetric, findMetric, registerMetric, splitDeviceMetric, type CheckedMetrics, type Constraint, type Objective } from '../record/metric-registry.ts';
import { createStrategy } from '../search/strategy-registry.ts';
import type { Strategy, StrategyContext, StrategyFactory } from '../search/strategy.ts';
import { spaceContentHash } from '../space/space-registry.ts';
import { spaceSize, type SearchSpace } from '../space/search-space.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { contentHash } from '../util/content-hash.ts';
import { Rng } from '../util/rng.ts';
import { AskTellSession } from './ask-tell.ts';
import { MemoryRungStore, RungLog, type RungStore } from '../record/rung-log.ts';
import { ACCURACY_CACHE_FILE, cachedAccuracySource } from './accuracy-cache.ts';
import { Evaluator } from './evaluator.ts';
import { checkFidelity, multiFidelityEvaluate, rungEpochs, type FidelitySettings } from './multi-fidelity.ts';
import { checkJournalForResume, replayStore } from './journal-replay.ts';
import { layerCosts } from './layer-costs.ts';
import { checkStudyOptions, checkStudySettings, inApiTerms, underField } from './library-input.ts';
import { ResultsFolder } from './results-folder.ts';
import type { StudyTrial } from './study-trial.ts';
import type { ToldValues } from './told-values.ts';
import { MemoryStore, runTrialLoop, TrialLoop, type BatchEvaluate, type TrialLoopResult, type TrialStore } from './trial-loop.ts';
import { hostLoad } from '../latency/host-load.ts';
import { timedRows, timingQuality, type TimingQuality } from '../latency/timing-quality.ts';

/** Timing quality of each measured device of a target, from its records (docs/latency-protocol.md). */
function targetTiming(t: StudyTarget, records: readonly JournalEntry[]): TimingQuality[] {
  const ok = records.flatMap((r) => (r.outcome.status === 'ok' ? [r.outcome] : []));
  return t.devices.flatMap((d) => {
    if (d.kind !== 'measured') return [];
    const q = timingQuality(d.id, d.timing.ciTolerancePct, timedRows(ok, t.joint ? `@${d.id}` : ''));
    return q ? [q] : [];
  });
}

/** Strategy options by name (`population`, `targetLatencyMs`…). */
export type StrategyOptions = Readonly<Record<string, number | string | boolean>>;

/**
 * What a study searches: every setting as a typed object (only the CLI parses strings).
 * {@link Study.create} checks literal metric names at compile time (see `MetricName`).
 */
export interface StudySettings {
  readonly space: SearchSpace;
  /**
   * One search per device, or one joint search over all of them ({@link StudySettings.joint}); none:
   * one search on accuracy and counts (and told metrics). @defaultValue []
   */
  readonly devices?: readonly DeviceProfile[];
  /**
   * One search whose objectives include each device's latency (`latencyMs@<device>`): one model for
   * the whole fleet. A latency objective or constraint without `@device` applies to every device.
   * @defaultValue false
   */
  readonly joint?: boolean;
  readonly objectives: readonly Objective[];
  /** @defaultValue [] */
  readonly constraints?: readonly Constraint[];
  /**
   * Metrics your own code measures and gives with {@link Study.tell} (ask/tell): each told result
   * carries every one of them. The study measures the rest itself (counts, its devices' latency, its
   * accuracy source); a metric both told and measured is an error. Needs one target (no device, one
   * device, or a joint study); with `accuracy` told the accuracy source defaults to none.
   * @defaultValue [] (the study evaluates every candidate itself: {@link Study.run})
   */
  readonly toldMetrics?: readonly string[];
  /** Registered strategy id (`nsga2`, `re`, `dnas`…), or a factory of your own. */
  readonly strategy: string | StrategyFactory;
  /** @defaultValue {} */
  readonly strategyOptions?: StrategyOptions;
  /**
   * An accuracy source, or a registered source id created with the study's seed and jobs; `null`
   * for none (latency and counts only). @defaultValue 'table' (none when `accuracy` is told)
   */
  readonly accuracy?: AccuracySource | string | null;
  /** Candidates whose accuracy is computed at once (proxy training in worker threads). @defaultValue 1 */
  readonly jobs?: number;
  /**
   * Image data of a registered data-dependent source (proxy training, naswot…): a CIFAR-10 or IDX
   * folder. @defaultValue the vendored CIFAR-10 subset
   */
  readonly data?: string;
  /** Training budget of a registered training source (epochs, images…). @defaultValue the source's defaults */
  readonly training?: TrainingBudget;
  /** Distinct architectures evaluated per target (capped at the space's size). */
  readonly budget: number;
  readonly seed: number;
  /** Architectures asked per round. @defaultValue 10 */
  readonly batchSize?: number;
  /** Count params and FLOPs of every candidate (they cost a graph build each). @defaultValue true */
  readonly counts?: boolean;
  /**
   * Multi-fidelity training over epochs (successive halving or Hyperband, `multi-fidelity.ts`) for an
   * accuracy source that trains: cheap training for every candidate, longer only for those that may
   * reach the front. @defaultValue none (every candidate trained at the source's own setting)
   */
  readonly fidelity?: FidelitySettings;
  /** Seconds a program-running accuracy source (`command:`) gives one candidate. @defaultValue 3600 */
  readonly accuracyTimeoutS?: number;
}

/**
 * {@link StudySettings} as {@link Study.create} takes them: the objectives', constraints' and told
 * metrics' literal names checked by the compiler (a misspelt built-in name is a type error; a metric
 * of your own goes through `customMetric`).
 */
export type TypedStudySettings<O extends readonly Objective[], C extends readonly Constraint[], T extends readonly string[]> =
  Omit<StudySettings, 'objectives' | 'constraints' | 'toldMetrics'> & {
    readonly objectives: CheckedMetrics<O>;
    readonly constraints?: CheckedMetrics<C>;
    readonly toldMetrics?: CheckedMetrics<T>;
  };

/** One search of a study: a device, or all devices at once in a joint study. */
export interface StudyTarget {
  /** `pixel3`, or `pixel3+fpga` for a joint study; names the target's files. */
  readonly id: string;
  readonly devices: readonly DeviceProfile[];
  readonly joint: boolean;
}

/** Where a study keeps what it does. */
export type StudyStorage =
  /** A results folder: config.json, lock, `journal-<target>.jsonl`, leaderboards, fronts. */
  | { readonly kind: 'folder'; readonly dir: string; readonly resume?: boolean }
  /** One journal file per target (`file(target)`), nothing else: runs inside a comparison. */
  | { readonly kind: 'journal'; readonly file: (target: StudyTarget) => string }
  /** Nothing on disk. */
  | { readonly kind: 'memory' };

/** Turns a target's candidates into outcomes: in this process, or through a queue of workers. */
export interface EvaluationBackend {
  /** Whether targets may run at the same time (remote workers do; in-process ones run one after another). */
  readonly parallelTargets: boolean;
  /**
   * The latency provider of a device, made by the backend when its devices live elsewhere (remote
   * workers probe their own devices; the coordinator need not have a GPU to search for one).
   * @defaultValue {@link createLatencyProvider}: probed and run in this process
   */
  latencyProvider?(device: DeviceProfile, space: SearchSpace): Promise<LatencyProvider>;
  evaluator(plan: TargetPlan): BatchEvaluate;
  close(): Promise<void>;
}

/** Everything needed to evaluate a target's candidates exactly (for in-process and remote evaluation). */
export interface TargetPlan {
  readonly target: StudyTarget;
  readonly space: SearchSpace;
  readonly accuracy: AccuracySource | undefined;
  readonly providers: readonly LatencyProvider[];
  /** Count params and FLOPs. */
  readonly counts: boolean;
  readonly seed: number;
}

/** Progress of a study, for a progress bar or a log. */
export type StudyEvent =
  | { readonly type: 'target-start'; readonly target: string; readonly total: number; readonly journaled: number }
  | { readonly type: 'record'; readonly target: string; readonly record: JournalEntry; readonly done: number; readonly total: number; readonly failed: number; readonly fromJournal: boolean }
  /** A candidate's evaluation was journaled (before its batch ends); `done` counts this run's finished records. */
  | { readonly type: 'evaluated'; readonly target: string; readonly record: JournalEntry; readonly done: number; readonly total: number }
  /** A candidate's training progressed (an epoch ended, or about a second passed). */
  | { readonly type: 'training'; readonly target: string; readonly progress: TrainingProgress }
  | { readonly type: 'target-done'; readonly target: TargetResult }
  | { readonly type: 'note'; readonly target?: string; readonly text: string };

/** What one target of a study gave. */
export interface TargetResult {
  readonly target: StudyTarget;
  /** The target's objectives and constraints (a joint study's per-device ones expanded). */
  readonly objectives: readonly Objective[];
  readonly constraints: readonly Constraint[];
  /** Every distinct evaluation, in evaluation-number order. */
  readonly records: readonly JournalEntry[];
  readonly failed: number;
  /** Records reused from the journal of an earlier run. */
  readonly resumed: number;
  /** The strategy stopped proposing before the budget (space exhausted). */
  readonly exhausted: boolean;
  /** Leaderboard rows, best first. */
  readonly rows: readonly LeaderboardRow[];
  /** Feasible non-dominated rows. */
  readonly front: readonly LeaderboardRow[];
  /** Choices the strategy made at run time (`Strategy.summary`). */
  readonly strategySummary: Readonly<Record<string, unknown>>;
  /** Files written (folder storage). */
  readonly files?: { readonly leaderboard: string; readonly front: string; readonly journal: string };
  /** How far the measured latencies of each measured device can be trusted (none for table and LUT devices). */
  readonly timing: readonly TimingQuality[];
}

export interface StudyResult {
  /** Results folder (folder storage). */
  readonly dir: string | undefined;
  readonly targets: readonly TargetResult[];
}

/** Options of {@link Study.create} beyond the settings. */
export interface StudyOptions {
  /** @defaultValue memory */
  storage?: StudyStorage;
  /** Progress and notes. */
  onEvent?: (e: StudyEvent) => void;
  /** How candidates are evaluated. @defaultValue in this process */
  backend?: EvaluationBackend;
  /** Extra facts for config.json (versions, the command line…). */
  config?: Readonly<Record<string, unknown>>;
}


/** The study's own evaluation: {@link Evaluator} in this process. */
export function inProcessBackend(): EvaluationBackend {
  return {
    parallelTargets: false,
    evaluator(plan) {
      const e = new Evaluator(plan.space, { counts: plan.counts, ...(plan.accuracy && { accuracy: plan.accuracy }), latency: plan.providers, joint: plan.target.joint });
      return (batch) => e.evaluateBatch(batch);
    },
    close: async () => {},
  };
}

interface Prepared {
  readonly plan: TargetPlan;
  readonly strategy: Strategy;
  readonly objectives: readonly Objective[];
  readonly constraints: readonly Constraint[];
}

/**
 * A study (Optuna's noun): one search strategy run on a space for one or more devices, made from
 * typed objects. It owns the settings check (every input checked and every device probed before
 * anything is written), resume (same settings, content hashes of space and device files included,
 * or an error saying which setting changed), the ask → evaluate → journal → tell loop
 * ({@link runTrialLoop}) and the writers (journals, `leaderboard-<target>.csv`, `front-<target>.csv`,
 * `strategy-<target>.json`, `config.json`). `search`, `compare` and `truth` are studies. Driven by
 * {@link Study.run} it evaluates every candidate itself; driven by {@link Study.ask} /
 * {@link Study.tell} your code evaluates them (`T`: the names of its `toldMetrics`).
 */
export class Study<T extends string = string> {
  /** How the study is driven: not yet, by {@link Study.run}, or by ask/tell. */
  private mode: 'new' | 'run' | 'ask' | 'closed' = 'new';
  private asking: { session: AskTellSession; loop: TrialLoop; journal: Journal | undefined; journalFile: string | undefined } | undefined;

  private constructor(
    readonly settings: StudySettings,
    private readonly prepared: readonly Prepared[],
    private readonly folder: ResultsFolder | undefined,
    private readonly options: StudyOptions,
    private readonly backend: EvaluationBackend,
    private readonly config: Record<string, unknown>,
    private readonly accuracy: AccuracySource | undefined,
    private readonly running: { target?: string } = {},
  ) {}

  /** The accuracy source the study scores with, if any. */
  get accuracySource(): AccuracySource | undefined {
    return this.accuracy;
  }

  /** The settings that must match for a run to be resumed, with content hashes of space and devices. */
  static fingerprint(s: StudySettings, accuracy: AccuracySource | undefined, objectives: readonly Objective[], constraints: readonly Constraint[]): Record<string, unknown> {
    const told = s.toldMetrics ?? [];
    return {
      space: { id: s.space.id, contentHash: spaceContentHash(s.space) },
      devices: (s.devices ?? []).map((d) => ({ id: d.id, contentHash: contentHash(d) })),
      joint: s.joint ?? false,
      strategy: typeof s.strategy === 'string' ? s.strategy : 'custom',
      strategyOptions: s.strategyOptions ?? {},
      seed: s.seed,
      objectives: objectives.map((o) => `${o.metric}:${o.direction}`),
      constraints: constraints.map(constraintText),
      accuracy: accuracy ? { id: accuracy.id, description: accuracy.description } : null,
      // Only ask/tell studies name it, so folders of earlier runs keep their fingerprint.
      ...(told.length > 0 && { toldMetrics: told }),
      // Only multi-fidelity runs carry it: every other run keeps the fingerprint it always had.
      ...(s.fidelity && { fidelity: checkFidelity(s.fidelity) }),
    };
  }

  /**
   * Check every setting, probe every device and build every strategy; nothing is written yet. Bad
   * settings are an {@link InputError}; an unavailable device an `UnavailableError` (exit 3). A
   * string literal that is no built-in metric name fails type-checking (see `customMetric`).
   */
  static async create<const O extends readonly Objective[], const C extends readonly Constraint[] = readonly [], const T extends readonly string[] = readonly []>(
    settings: TypedStudySettings<O, C, T>,
    o: StudyOptions = {},
  ): Promise<Study<T[number]>> {
    checkStudySettings(settings);
    checkStudyOptions(o);
    const s = { ...(settings as StudySettings), devices: settings.devices ?? [] };
    try {
      return await Study.build<T[number]>(s, o);
    } catch (e) {
      throw inApiTerms(e, 'settings', s.strategyOptions, { '--out': 'options.storage.dir' });
    }
  }

  private static async build<N extends string>(s: StudySettings & { readonly devices: readonly DeviceProfile[] }, o: StudyOptions): Promise<Study<N>> {
    const budget = s.budget;
    const jobs = s.jobs ?? 1;
    if (new Set(s.devices.map((d) => d.id)).size !== s.devices.length) throw new InputError('bad-flag', 'a device is given twice', { path: 'settings.devices', actual: s.devices.map((d) => d.id).join(', ') });
    const joint = s.joint ?? false;
    const told = Study.checkToldMetrics(s.toldMetrics);
    const fidelity = s.fidelity ? checkFidelity(s.fidelity) : undefined;
    const folder = o.storage?.kind === 'folder' ? o.storage : undefined;

    // Training progress goes to the target being run (in-process targets run one after another).
    const running: { target?: string } = {};
    const onTrainingProgress = (progress: TrainingProgress) => o.onEvent?.({ type: 'training', target: running.target ?? '', progress });
    let accuracy = s.accuracy === null || (s.accuracy === undefined && told.includes('accuracy')) ? undefined : typeof s.accuracy === 'string' || s.accuracy === undefined
      ? await getAccuracySource(s.accuracy ?? 'table', s.space, {
          seed: s.seed, jobs, ...(s.accuracyTimeoutS !== undefined && { timeoutS: s.accuracyTimeoutS }),
          ...(folder && { logDir: join(folder.dir, 'trainer-logs') }),
          ...(s.data !== undefined && { data: s.data }), ...(s.training !== undefined && { training: s.training }), onTrainingProgress,
        })
      : withTableAccuracy(s.accuracy, s.space);
    // A computing source's results are kept the moment they exist (a killed run trains nothing twice).
    if (accuracy && folder && !tableAccuracyFactories.some((f) => f.id === accuracy!.id)) accuracy = cachedAccuracySource(accuracy, s.space, join(folder.dir, ACCURACY_CACHE_FILE));
    if (fidelity && accuracy?.fidelity !== 'epochs') {
      throw new InputError('incompatible', `multi-fidelity training needs an accuracy source that trains for a given number of epochs (proxy-train, command:…); ${accuracy ? `${accuracy.id} does not` : 'this study has none'}`, { path: '--fidelity', actual: accuracy?.id ?? 'no accuracy source' });
    }
    // A proxy source (zero-cost:synflow) scores under its own name: the objective `accuracy` means
    // "the accuracy source's metric", maximised.
    if (accuracy && accuracy.metric !== 'accuracy' && !findMetric(accuracy.metric)) registerMetric({ name: accuracy.metric, direction: 'max', unit: '', summary: accuracy.description });
    const accuracyMetric = (o: Objective): Objective => (accuracy && o.metric === 'accuracy' && accuracy.metric !== 'accuracy' ? { metric: accuracy.metric, direction: 'max' } : o);

    if (joint && s.devices.length < 2) throw new InputError('bad-flag', 'a joint search needs two or more devices', { path: 'settings.joint', expected: 'two or more devices', actual: `${s.devices.length}` });
    // Without a device there is one target, scored on accuracy and counts only.
    const targets: StudyTarget[] = s.devices.length === 0
      ? [{ id: s.space.id, devices: [], joint: false }]
      : joint
        ? [{ id: s.devices.map((d) => d.id).join('+'), devices: s.devices, joint: true }]
        : s.devices.map((d) => ({ id: d.id, devices: [d], joint: false }));

    // Probe every device before anything is written: an unavailable GPU stops the study up front.
    const backend = o.backend ?? inProcessBackend();
    const providers = new Map<string, LatencyProvider>();
    for (const [i, d] of s.devices.entries()) {
      const made = backend.latencyProvider ? backend.latencyProvider(d, s.space) : createLatencyProvider(d, s.space);
      providers.set(d.id, await made.catch((e: unknown) => Promise.reject(underField(e, `settings.devices[${i}]`))));
    }

    const prepared: Prepared[] = [];
    let objectives: Objective[] = [];
    let constraints: Constraint[] = [];
    for (const t of targets) {
      const latency = t.devices.map((d) => providers.get(d.id)!);
      const latencyNames = new Set(latency.flatMap((p) => p.metricNames));
      // In a joint study a device metric without `@device` means "on every device".
      const perDevice = <T extends { metric: string }>(x: T): T[] =>
        t.joint && latencyNames.has(x.metric) ? t.devices.map((d) => ({ ...x, metric: deviceMetric(x.metric, d.id) })) : [x];
      objectives = s.objectives.map(accuracyMetric).flatMap(perDevice);
      constraints = (s.constraints ?? []).flatMap(perDevice);
      if (new Set(objectives.map((x) => x.metric)).size !== objectives.length) {
        throw new InputError('bad-flag', 'an objective is repeated', { path: 'settings.objectives', actual: objectives.map((x) => x.metric).join(',') });
      }
      const counts = s.counts ?? true;
      const measured = new Evaluator(s.space, { counts, ...(accuracy && { accuracy }), latency, joint: t.joint }).metricNames();
      const both = told.find((m) => measured.includes(m));
      if (both !== undefined) {
        throw new InputError('bad-metric', `metric "${both}" is told by your code and also measured by the study`, { path: 'settings.toldMetrics', expected: `metrics the study does not measure itself (it measures ${measured.join(', ')}; drop the device, set accuracy: null or counts: false)`, actual: both });
      }
      const produced = [...measured, ...told];
      for (const [what, flag] of [[objectives, 'settings.objectives'], [constraints, 'settings.constraints']] as const) {
        for (const x of what) {
          if (produced.includes(x.metric)) continue;
          const dev = splitDeviceMetric(x.metric).device;
          const hint = dev !== undefined && !t.joint ? ' (METRIC@DEVICE names need joint: true)' : '';
          throw new InputError('bad-metric', `metric "${x.metric}" is not produced by this evaluation${hint}`, { path: flag, expected: `one of ${produced.join(', ')}`, actual: x.metric });
        }
      }
      const plan: TargetPlan = { target: t, space: s.space, accuracy, providers: latency, counts, seed: s.seed };
      const ctx: StrategyContext = {
        decisions: s.space.decisions,
        objectiveCount: objectives.length,
        objectives,
        rng: new Rng(s.seed),
        budget: Math.min(budget, spaceSize(s.space)),
        options: s.strategyOptions ?? {},
        space: s.space,
        layerCosts: (source = 'device') => {
          if (source === 'device' && latency.length === 0) throw new InputError('bad-flag', 'missing flag', { path: '--device', expected: 'a device whose latency the strategy can use', actual: 'nothing' });
          return layerCosts(s.space, latency[0]!, source, (text) => o.onEvent?.({ type: 'note', target: t.id, text }));
        },
        onNote: (text) => o.onEvent?.({ type: 'note', target: t.id, text }),
      };
      const strategy = typeof s.strategy === 'string' ? await createStrategy(s.strategy, ctx) : await s.strategy(ctx);
      // A factory of the caller's is input: what it returns must be a strategy before it is used.
      const made = strategy as unknown as Record<string, unknown> | null;
      if (typeof made !== 'object' || made === null || typeof made['ask'] !== 'function' || typeof made['tell'] !== 'function') {
        throw new InputError('bad-flag', 'the strategy factory returned no strategy', { path: 'settings.strategy', expected: 'a StrategyFactory returning an object with ask(n) and tell(trials) methods', actual: made === null ? 'null' : typeof made });
      }
      prepared.push({ plan, strategy, objectives, constraints });
    }

    if (told.length > 0 && targets.length > 1) {
      throw new InputError('incompatible', 'a study driven by ask/tell searches one target', { path: 'settings.devices', expected: 'no device, one device, or joint: true', actual: `${targets.length} devices searched one by one` });
    }
    if (fidelity && accuracy && !objectives.some((x) => x.metric === accuracy.metric)) {
      throw new InputError('bad-flag', `multi-fidelity training promotes on the objectives, which do not include ${accuracy.metric}`, { path: '--fidelity', expected: `--objectives with ${accuracy.metric === 'accuracy' ? 'accuracy' : `accuracy (${accuracy.metric})`}`, actual: objectives.map((x) => x.metric).join(',') });
    }
    const fingerprint = Study.fingerprint(s, accuracy, objectives, constraints);
    const resultsFolder = folder ? ResultsFolder.open({ dir: folder.dir, kind: 'search', fingerprint, resume: folder.resume ?? false }) : undefined;
    // A resumed run's journals are checked before anything is written: regular files, measured for their target.
    if (folder && resultsFolder) for (const p of prepared) checkJournalForResume(join(folder.dir, `journal-${p.plan.target.id}.jsonl`), p.plan.target, resultsFolder.resuming);
    const config = {
      space: s.space.id,
      spaceFile: s.space.file,
      devices: s.devices.map((d) => d.id),
      joint,
      strategy: typeof s.strategy === 'string' ? s.strategy : 'custom',
      strategyOptions: s.strategyOptions ?? {},
      budget,
      seed: s.seed,
      jobs,
      objectives,
      constraints,
      accuracy: accuracy?.id ?? null,
      accuracyDescription: accuracy?.description ?? null,
      ...(told.length > 0 && { toldMetrics: told }),
      ...(fidelity && { fidelity: { ...fidelity, rungEpochs: rungEpochs(fidelity) } }),
      ...(s.data !== undefined && { data: s.data }),
      ...(s.training !== undefined && { training: s.training }),
      deviceProfiles: s.devices,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      startedAt: new Date().toISOString(),
      ...o.config,
    };
    return new Study<N>(s, prepared, resultsFolder, o, backend, config, accuracy, running);
  }

  /** `toldMetrics` as given from JavaScript too: distinct, non-empty names. */
  private static checkToldMetrics(told: unknown): readonly string[] {
    if (told === undefined) return [];
    if (!Array.isArray(told)) throw new InputError('bad-metric', 'toldMetrics is not a list', { path: 'settings.toldMetrics', expected: 'an array of metric names', actual: typeof told });
    told.forEach((m, i) => {
      if (typeof m !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*(@[A-Za-z0-9][A-Za-z0-9_.+-]*)?$/.test(m)) {
        throw new InputError('bad-metric', 'not a metric name', { path: `settings.toldMetrics[${i}]`, expected: 'a name such as accuracy or energyMj (letters, digits, _; METRIC@DEVICE in a joint study)', actual: JSON.stringify(m) ?? typeof m });
      }
    });
    const repeated = told.find((m, i) => told.indexOf(m) !== i);
    if (repeated !== undefined) throw new InputError('bad-metric', `metric "${repeated}" is told twice`, { path: 'settings.toldMetrics', actual: told.join(', ') });
    return told as string[];
  }

  /** The targets of the study, in order. */
  get targets(): readonly StudyTarget[] {
    return this.prepared.map((p) => p.plan.target);
  }

  /** Run every target (claims the results folder first); returns what each gave. */
  async run(): Promise<StudyResult> {
    if (this.mode !== 'new') throw new InputError('incompatible', `this study is already ${this.mode === 'ask' ? 'driven by ask/tell' : this.mode === 'run' ? 'running' : 'closed'}`, { path: 'run', expected: 'run() once, on a study that ask() was not called on' });
    if ((this.settings.toldMetrics ?? []).length > 0) {
      throw new InputError('incompatible', 'this study\'s toldMetrics come from your code', { path: 'toldMetrics', expected: 'ask() and tell() to drive it (or no toldMetrics to let run() evaluate)', actual: (this.settings.toldMetrics ?? []).join(', ') });
    }
    this.mode = 'run';
    const emit = this.options.onEvent ?? (() => {});
    const storage = this.options.storage ?? { kind: 'memory' };
    this.folder?.claim({ ...this.config, hostLoadBefore: hostLoad() });
    try {
      const runTarget = (p: Prepared) => this.runTarget(p, storage, emit);
      const results = this.backend.parallelTargets
        ? await Promise.all(this.prepared.map(runTarget))
        : await this.prepared.reduce<Promise<TargetResult[]>>(async (acc, p) => [...(await acc), await runTarget(p)], Promise.resolve([]));
      this.folder?.amendConfig({ hostLoadAfter: hostLoad(), timingQuality: results.flatMap((r) => r.timing) });
      return { dir: this.folder?.dir, targets: results };
    } finally {
      await this.release();
    }
  }

  /**
   * Ask for the next candidate to evaluate with your own code (Optuna's `study.ask()`): a
   * {@link StudyTrial} after the study's own measurements (counts, its devices, its accuracy source),
   * or `undefined` when the budget is spent or the space exhausted. `ask(n)` gives up to `n` trials of
   * the current round (a round is `batchSize` candidates the strategy proposed together) to evaluate
   * at once; the next round opens when every trial of this one is told. The first ask claims the
   * results folder and replays its journal: a resumed study hands out only what was never told.
   */
  async ask(): Promise<StudyTrial | undefined>;
  async ask(n: number): Promise<StudyTrial[]>;
  async ask(n?: number): Promise<StudyTrial | StudyTrial[] | undefined> {
    if (n !== undefined && (!Number.isSafeInteger(n) || n < 1)) throw new InputError('bad-flag', 'ask(n) needs a positive integer', { path: 'ask(n)', expected: 'an integer ≥ 1', actual: String(n) });
    const trials = await this.beginAsking().session.ask(n ?? 1);
    return n === undefined ? trials[0] : trials;
  }

  /**
   * Give the results of a trial (Optuna's `study.tell()`): a finite number for each of the study's
   * `toldMetrics`, or `{ failed: reason }`. The values are checked (an unknown metric, a missing one,
   * NaN or a wrong type is an {@link InputError} naming the field) and journaled, durably, before the
   * strategy hears of them. Telling a trial twice, or one this study did not ask, is an `InputError`.
   * Returns the journaled record.
   */
  tell(trial: StudyTrial | number, values: ToldValues<T>): JournalEntry {
    if (this.mode !== 'ask' || !this.asking) throw new InputError('incompatible', this.mode === 'closed' ? 'the study is closed' : 'no trial was asked yet', { path: 'trial', expected: 'a trial from this study\'s ask()', actual: typeof trial === 'number' ? `trial ${trial}` : typeof trial });
    return this.asking.session.tell(trial, values);
  }

  /** Numbers of the trials asked and not yet told. */
  get waiting(): readonly number[] {
    return this.asking?.session.waiting ?? [];
  }

  /**
   * The leaderboard of what was told so far (and the journal's records replayed): `leaderboard-<target>.csv`
   * and `front-<target>.csv` written with folder storage. Any time during ask/tell.
   */
  writeLeaderboards(): TargetResult {
    const a = this.beginAsking();
    const p = this.prepared[0]!;
    const records = a.loop.recordsSoFar;
    const failed = records.filter((r) => r.outcome.status === 'failed').length;
    return this.targetResult(p, this.options.storage ?? { kind: 'memory' }, { ...a.loop.result(), records }, failed, a.journalFile);
  }

  /**
   * End an ask/tell study: write its leaderboards (as {@link Study.writeLeaderboards}), release the
   * devices, the accuracy source and the results folder's lock. Trials out and not told are simply
   * not recorded; a study created again on the folder (`resume: true`) hands them out again.
   */
  async close(): Promise<StudyResult> {
    if (this.mode === 'closed') throw new InputError('incompatible', 'the study is already closed', { path: 'close' });
    if (this.mode === 'run') throw new InputError('incompatible', 'a study driven by run() closes itself', { path: 'close' });
    try {
      const a = this.beginAsking();
      const result = this.writeLeaderboards();
      this.folder?.amendConfig({ hostLoadAfter: hostLoad(), timingQuality: result.timing });
      a.journal?.close();
      (this.options.onEvent ?? (() => {}))({ type: 'target-done', target: result });
      return { dir: this.folder?.dir, targets: [result] };
    } finally {
      this.mode = 'closed';
      await this.release();
    }
  }

  /** The ask/tell side, started on first use: folder claimed, journal opened, the trial loop's core ready. */
  private beginAsking(): NonNullable<Study<T>['asking']> {
    if (this.mode === 'closed') throw new InputError('incompatible', 'the study is closed', { path: 'ask', expected: 'a study created again on its folder (resume: true) to ask more' });
    if (this.asking) return this.asking;
    if (this.mode !== 'new') throw new InputError('incompatible', `this study is ${this.mode === 'run' ? 'driven by run()' : 'closed'}`, { path: 'ask', expected: 'ask/tell on a study that run() was not called on' });
    if (this.settings.fidelity) throw new InputError('incompatible', 'multi-fidelity training runs inside run(), not through ask/tell', { path: 'fidelity', expected: 'run(), or a study without fidelity' });
    if (this.prepared.length > 1) throw new InputError('incompatible', 'ask/tell searches one target', { path: 'devices', expected: 'no device, one device, or joint: true', actual: `${this.prepared.length} devices searched one by one` });
    const emit = this.options.onEvent ?? (() => {});
    const storage = this.options.storage ?? { kind: 'memory' };
    const p = this.prepared[0]!;
    this.folder?.claim({ ...this.config, hostLoadBefore: hostLoad() });
    this.mode = 'ask';
    const { store, journal, journalFile } = this.openStore(p.plan, storage, emit);
    const budget = Math.min(this.settings.budget, spaceSize(this.settings.space));
    emit({ type: 'target-start', target: p.plan.target.id, total: budget, journaled: store.replayed.length });
    this.running.target = p.plan.target.id;
    let failed = 0;
    const loop = new TrialLoop({
      strategy: p.strategy,
      key: (g) => this.settings.space.encode(g),
      budget,
      objectives: p.objectives,
      constraints: p.constraints,
      store,
      ...(this.settings.batchSize !== undefined && { batchSize: this.settings.batchSize }),
      onRecord: (record, done, fromJournal) => {
        if (record.outcome.status === 'failed') failed++;
        emit({ type: 'record', target: p.plan.target.id, record, done, total: budget, failed, fromJournal });
      },
    });
    const measures = p.plan.counts || p.plan.accuracy !== undefined || p.plan.providers.length > 0;
    const session = new AskTellSession({
      loop, space: this.settings.space, target: p.plan.target.id, toldMetrics: this.settings.toldMetrics ?? [],
      evaluate: measures ? this.backend.evaluator(p.plan) : undefined,
    });
    this.asking = { session, loop, journal, journalFile };
    return this.asking;
  }

  private async release(): Promise<void> {
    for (const p of new Set(this.prepared.flatMap((x) => x.plan.providers))) await p.close?.();
    await this.accuracy?.close?.();
    await this.backend.close();
    this.folder?.release();
  }

  /** Where a target's records live: its journal (validated, {@link replayStore}) or memory. */
  private openStore(plan: TargetPlan, storage: StudyStorage, emit: (e: StudyEvent) => void): { store: TrialStore; journal?: Journal; journalFile?: string } {
    const t = plan.target;
    if (storage.kind === 'memory') return { store: new MemoryStore() };
    const journalFile = storage.kind === 'folder' ? join(storage.dir, `journal-${t.id}.jsonl`) : storage.file(t);
    const journal = new Journal(journalFile);
    for (const pr of journal.problems) emit({ type: 'note', target: t.id, text: `${journalFile} line ${pr.line} skipped: ${pr.reason}` });
    const store = replayStore(journal, journalFile, plan, this.settings.space, this.settings.toldMetrics ?? [], (text) => emit({ type: 'note', text }));
    return { store, journal, journalFile };
  }

  private async runTarget(p: Prepared, storage: StudyStorage, emit: (e: StudyEvent) => void): Promise<TargetResult> {
    const t = p.plan.target;
    const budget = Math.min(this.settings.budget, spaceSize(this.settings.space));
    const { store, journal, journalFile } = this.openStore(p.plan, storage, emit);
    // Progress counts against what the strategy will propose (dnas: one architecture), not the budget.
    const total = Math.min(budget, p.strategy.proposals ?? budget);
    emit({ type: 'target-start', target: t.id, total, journaled: store.replayed.length });
    this.running.target = t.id;
    let failed = 0;
    const rungs = this.settings.fidelity ? this.rungStore(storage, t, journalFile, emit) : undefined;
    // Records of this run told so far, and fresh ones journaled since (their batch not yet told).
    let told = 0;
    let journaledInBatch = 0;
    const loop = await runTrialLoop({
      strategy: p.strategy,
      evaluate: rungs ? multiFidelityEvaluate({
        fidelity: checkFidelity(this.settings.fidelity!), metric: p.plan.accuracy!.metric, objectives: p.objectives, constraints: p.constraints,
        evaluate: this.backend.evaluator(p.plan), evaluateAccuracy: this.backend.evaluator({ ...p.plan, providers: [], counts: false }),
        store: rungs, seed: this.settings.seed, onNote: (text) => emit({ type: 'note', target: t.id, text }),
      }) : this.backend.evaluator(p.plan),
      key: (g) => this.settings.space.encode(g),
      budget,
      objectives: p.objectives,
      constraints: p.constraints,
      store,
      ...(this.settings.batchSize !== undefined && { batchSize: this.settings.batchSize }),
      onRecord: (record, done, fromJournal) => {
        if (record.outcome.status === 'failed') failed++;
        told = done;
        journaledInBatch = 0;
        emit({ type: 'record', target: t.id, record, done, total, failed, fromJournal });
      },
      onJournaled: (record) => emit({ type: 'evaluated', target: t.id, record, done: told + ++journaledInBatch, total }),
    });
    journal?.close();
    rungs?.close();
    const result = this.targetResult(p, storage, loop, failed, journalFile);
    emit({ type: 'target-done', target: result });
    return result;
  }

  /** Leaderboard rows of a target's records, written with the strategy's summary (folder storage). */
  private targetResult(p: Prepared, storage: StudyStorage, loop: TrialLoopResult, failed: number, journalFile: string | undefined): TargetResult {
    const t = p.plan.target;
    const emit = this.options.onEvent ?? (() => {});
    const rows = buildLeaderboard(loop.records, p.objectives, p.constraints);
    const summary = p.strategy.summary?.() ?? {};
    let files: TargetResult['files'];
    if (storage.kind === 'folder') {
      files = { ...writeLeaderboard(storage.dir, t.id, rows), journal: journalFile! };
      if (Object.keys(summary).length > 0) writeFileAtomic(join(storage.dir, `strategy-${t.id}.json`), `${JSON.stringify({ strategy: p.strategy.id, ...summary }, null, 1)}\n`);
    }
    for (const [k, v] of Object.entries(summary)) {
      if (typeof v === 'number' || typeof v === 'string') emit({ type: 'note', target: t.id, text: `${p.strategy.id} ${k}: ${v}` });
    }
    return {
      target: t, objectives: p.objectives, constraints: p.constraints, records: loop.records, failed, resumed: loop.resumed, exhausted: loop.exhausted,
      rows, front: paretoFront(rows), strategySummary: summary, ...(files && { files }), timing: targetTiming(t, loop.records),
    };
  }

  /** Where a multi-fidelity target keeps its rungs: `rungs-<target>.jsonl` beside its journal, or memory. */
  private rungStore(storage: StudyStorage, t: StudyTarget, journalFile: string | undefined, emit: (e: StudyEvent) => void): RungStore {
    if (storage.kind === 'memory' || journalFile === undefined) return new MemoryRungStore();
    const file = storage.kind === 'folder' ? join(storage.dir, `rungs-${t.id}.jsonl`) : `${journalFile.replace(/\.jsonl$/, '')}.rungs.jsonl`;
    const log = new RungLog(file);
    for (const pr of log.problems) emit({ type: 'note', target: t.id, text: `${file} line ${pr.line} skipped: ${pr.reason}` });
    return log;
  }
}
