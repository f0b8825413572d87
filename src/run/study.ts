import { join } from 'node:path';
import type { AccuracySource } from '../accuracy/accuracy-source.ts';
import { getAccuracySource } from '../accuracy/accuracy-registry.ts';
import { InputError } from '../errors.ts';
import { createLatencyProvider } from '../latency/create-latency-provider.ts';
import type { DeviceProfile } from '../latency/device-profile.ts';
import type { LatencyProvider } from '../latency/latency-provider.ts';
import { Journal, type JournalEntry } from '../record/journal.ts';
import { buildLeaderboard, paretoFront, writeLeaderboard, type LeaderboardRow } from '../record/leaderboard.ts';
import { constraintText, deviceMetric, findMetric, registerMetric, splitDeviceMetric, type Constraint, type Objective } from '../record/metric-registry.ts';
import { createStrategy } from '../search/strategy-registry.ts';
import type { Strategy, StrategyContext, StrategyFactory } from '../search/strategy.ts';
import { spaceContentHash } from '../space/space-registry.ts';
import { spaceSize, type SearchSpace } from '../space/search-space.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { contentHash } from '../util/content-hash.ts';
import { Rng } from '../util/rng.ts';
import { Evaluator } from './evaluator.ts';
import { layerCosts } from './layer-costs.ts';
import { ResultsFolder } from './results-folder.ts';
import { MemoryStore, runTrialLoop, type BatchEvaluate, type TrialStore } from './trial-loop.ts';

/** Strategy options by name (`population`, `targetLatencyMs`…). */
export type StrategyOptions = Readonly<Record<string, number | string | boolean>>;

/** What a study searches: every setting as a typed object (only the CLI parses strings). */
export interface StudySettings {
  readonly space: SearchSpace;
  /** One search per device, or one joint search over all of them ({@link StudySettings.joint}). */
  readonly devices: readonly DeviceProfile[];
  /**
   * One search whose objectives include each device's latency (`latencyMs@<device>`): one model for
   * the whole fleet. A latency objective or constraint without `@device` applies to every device.
   * @defaultValue false
   */
  readonly joint?: boolean;
  readonly objectives: readonly Objective[];
  /** @defaultValue [] */
  readonly constraints?: readonly Constraint[];
  /** Registered strategy id (`nsga2`, `re`, `dnas`…), or a factory of your own. */
  readonly strategy: string | StrategyFactory;
  /** @defaultValue {} */
  readonly strategyOptions?: StrategyOptions;
  /**
   * An accuracy source, or a registered source id created with the study's seed and jobs; `null`
   * for none (latency and counts only). @defaultValue 'table'
   */
  readonly accuracy?: AccuracySource | string | null;
  /** Candidates whose accuracy is computed at once (proxy training in worker threads). @defaultValue 1 */
  readonly jobs?: number;
  /** Distinct architectures evaluated per target (capped at the space's size). */
  readonly budget: number;
  readonly seed: number;
  /** Architectures asked per round. @defaultValue 10 */
  readonly batchSize?: number;
  /** Count params and FLOPs of every candidate (they cost a graph build each). @defaultValue true */
  readonly counts?: boolean;
}

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

/** Largest budget a study accepts; larger ones are surely a mistake (and would not finish). */
export const MAX_BUDGET = 10_000_000;

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
 * `strategy-<target>.json`, `config.json`). `search`, `compare` and `truth` are studies.
 */
export class Study {
  private constructor(
    readonly settings: StudySettings,
    private readonly prepared: readonly Prepared[],
    private readonly folder: ResultsFolder | undefined,
    private readonly options: StudyOptions,
    private readonly backend: EvaluationBackend,
    private readonly config: Record<string, unknown>,
    private readonly accuracy: AccuracySource | undefined,
  ) {}

  /** The accuracy source the study scores with, if any. */
  get accuracySource(): AccuracySource | undefined {
    return this.accuracy;
  }

  /** The settings that must match for a run to be resumed, with content hashes of space and devices. */
  static fingerprint(s: StudySettings, accuracy: AccuracySource | undefined, objectives: readonly Objective[], constraints: readonly Constraint[]): Record<string, unknown> {
    return {
      space: { id: s.space.id, contentHash: spaceContentHash(s.space) },
      devices: s.devices.map((d) => ({ id: d.id, contentHash: contentHash(d) })),
      joint: s.joint ?? false,
      strategy: typeof s.strategy === 'string' ? s.strategy : 'custom',
      strategyOptions: s.strategyOptions ?? {},
      seed: s.seed,
      objectives: objectives.map((o) => `${o.metric}:${o.direction}`),
      constraints: constraints.map(constraintText),
      accuracy: accuracy ? { id: accuracy.id, description: accuracy.description } : null,
    };
  }

  /**
   * Check every setting, probe every device and build every strategy; nothing is written yet. Bad
   * settings are an {@link InputError}; an unavailable device an `UnavailableError` (exit 3).
   */
  static async create(s: StudySettings, o: StudyOptions = {}): Promise<Study> {
    const budget = s.budget;
    if (!Number.isSafeInteger(budget) || budget < 1 || budget > MAX_BUDGET) {
      throw new InputError('bad-flag', 'budget out of range', { path: '--budget', expected: `an integer in [1, ${MAX_BUDGET}]`, actual: String(budget) });
    }
    if (!Number.isSafeInteger(s.seed) || s.seed < 0 || s.seed > 2 ** 32 - 1) throw new InputError('bad-flag', 'seed out of range', { path: '--seed', expected: 'an integer in [0, 4294967295]', actual: String(s.seed) });
    const jobs = s.jobs ?? 1;
    if (!Number.isSafeInteger(jobs) || jobs < 1 || jobs > 1024) throw new InputError('bad-flag', 'jobs out of range', { path: '--jobs', expected: 'an integer in [1, 1024]', actual: String(jobs) });
    if (new Set(s.devices.map((d) => d.id)).size !== s.devices.length) throw new InputError('bad-flag', 'a device is given twice', { path: '--device', actual: s.devices.map((d) => d.id).join(', ') });
    if (s.objectives.length === 0) throw new InputError('bad-flag', 'no objectives given', { path: '--objectives', expected: 'at least one objective, e.g. accuracy,latencyMs' });
    const joint = s.joint ?? false;

    const accuracy = s.accuracy === null ? undefined : typeof s.accuracy === 'string' || s.accuracy === undefined
      ? await getAccuracySource(s.accuracy ?? 'table', s.space, { seed: s.seed, jobs })
      : s.accuracy;
    // A proxy source (zero-cost:synflow) scores under its own name: the objective `accuracy` means
    // "the accuracy source's metric", maximised.
    if (accuracy && accuracy.metric !== 'accuracy' && !findMetric(accuracy.metric)) registerMetric({ name: accuracy.metric, direction: 'max', unit: '', summary: accuracy.description });
    const accuracyMetric = (o: Objective): Objective => (accuracy && o.metric === 'accuracy' && accuracy.metric !== 'accuracy' ? { metric: accuracy.metric, direction: 'max' } : o);

    if (joint && s.devices.length < 2) throw new InputError('bad-flag', 'a joint search needs two or more devices', { path: '--joint', expected: 'several --device flags', actual: `${s.devices.length}` });
    // Without a device there is one target, scored on accuracy and counts only.
    const targets: StudyTarget[] = s.devices.length === 0
      ? [{ id: s.space.id, devices: [], joint: false }]
      : joint
        ? [{ id: s.devices.map((d) => d.id).join('+'), devices: s.devices, joint: true }]
        : s.devices.map((d) => ({ id: d.id, devices: [d], joint: false }));
    const folder = o.storage?.kind === 'folder' ? o.storage : undefined;

    // Probe every device before anything is written: an unavailable GPU stops the study up front.
    const providers = new Map<string, LatencyProvider>();
    for (const d of s.devices) providers.set(d.id, await createLatencyProvider(d, s.space));

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
        throw new InputError('bad-flag', 'an objective is repeated', { path: '--objectives', actual: objectives.map((x) => x.metric).join(',') });
      }
      const counts = s.counts ?? true;
      const produced = new Evaluator(s.space, { counts, ...(accuracy && { accuracy }), latency, joint: t.joint }).metricNames();
      for (const [what, flag] of [[objectives, '--objectives'], [constraints, '--constraint']] as const) {
        for (const x of what) {
          if (produced.includes(x.metric)) continue;
          const dev = splitDeviceMetric(x.metric).device;
          const hint = dev !== undefined && !t.joint ? ' (METRIC@DEVICE names need --joint)' : '';
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
        layerCosts: () => layerCosts(s.space, latency[0]!),
      };
      const strategy = typeof s.strategy === 'string' ? await createStrategy(s.strategy, ctx) : await s.strategy(ctx);
      prepared.push({ plan, strategy, objectives, constraints });
    }

    const fingerprint = Study.fingerprint(s, accuracy, objectives, constraints);
    const resultsFolder = folder ? ResultsFolder.open({ dir: folder.dir, kind: 'search', fingerprint, resume: folder.resume ?? false }) : undefined;
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
      deviceProfiles: s.devices,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      startedAt: new Date().toISOString(),
      ...o.config,
    };
    return new Study(s, prepared, resultsFolder, o, o.backend ?? inProcessBackend(), config, accuracy);
  }

  /** The targets of the study, in order. */
  get targets(): readonly StudyTarget[] {
    return this.prepared.map((p) => p.plan.target);
  }

  /** Run every target (claims the results folder first); returns what each gave. */
  async run(): Promise<StudyResult> {
    const emit = this.options.onEvent ?? (() => {});
    const storage = this.options.storage ?? { kind: 'memory' };
    this.folder?.claim(this.config);
    try {
      const runTarget = (p: Prepared) => this.runTarget(p, storage, emit);
      const results = this.backend.parallelTargets
        ? await Promise.all(this.prepared.map(runTarget))
        : await this.prepared.reduce<Promise<TargetResult[]>>(async (acc, p) => [...(await acc), await runTarget(p)], Promise.resolve([]));
      return { dir: this.folder?.dir, targets: results };
    } finally {
      for (const p of new Set(this.prepared.flatMap((x) => x.plan.providers))) await p.close?.();
      await this.accuracy?.close?.();
      await this.backend.close();
      this.folder?.release();
    }
  }

  private async runTarget(p: Prepared, storage: StudyStorage, emit: (e: StudyEvent) => void): Promise<TargetResult> {
    const t = p.plan.target;
    const budget = Math.min(this.settings.budget, spaceSize(this.settings.space));
    let store: TrialStore;
    let journalFile: string | undefined;
    let journal: Journal | undefined;
    if (storage.kind === 'memory') store = new MemoryStore();
    else {
      journalFile = storage.kind === 'folder' ? join(storage.dir, `journal-${t.id}.jsonl`) : storage.file(t);
      journal = new Journal(journalFile);
      for (const pr of journal.problems) emit({ type: 'note', target: t.id, text: `${journalFile} line ${pr.line} skipped: ${pr.reason}` });
      store = this.validatedStore(journal, journalFile, emit);
    }
    emit({ type: 'target-start', target: t.id, total: budget, journaled: store.replayed.length });
    let failed = 0;
    const loop = await runTrialLoop({
      strategy: p.strategy,
      evaluate: this.backend.evaluator(p.plan),
      key: (g) => this.settings.space.encode(g),
      budget,
      objectives: p.objectives,
      constraints: p.constraints,
      store,
      ...(this.settings.batchSize !== undefined && { batchSize: this.settings.batchSize }),
      onRecord: (record, done, fromJournal) => {
        if (record.outcome.status === 'failed') failed++;
        emit({ type: 'record', target: t.id, record, done, total: budget, failed, fromJournal });
      },
    });
    journal?.close();
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
    const result: TargetResult = {
      target: t, objectives: p.objectives, constraints: p.constraints, records: loop.records, failed, resumed: loop.resumed, exhausted: loop.exhausted,
      rows, front: paretoFront(rows), strategySummary: summary, ...(files && { files }),
    };
    emit({ type: 'target-done', target: result });
    return result;
  }

  /** The journal, with records that do not decode to their genotype in this space reported and left out. */
  private validatedStore(journal: Journal, file: string, emit: (e: StudyEvent) => void): TrialStore {
    const space = this.settings.space;
    const bad = new Set<string>();
    for (const e of journal.replayed) {
      let ok = false;
      try {
        ok = space.encode(e.genotype) === e.arch;
      } catch {
        ok = false;
      }
      if (!ok) {
        bad.add(e.arch);
        emit({ type: 'note', text: `${file}: record ${e.n} skipped: arch ${e.arch} does not match its genotype in space ${space.id}` });
      }
    }
    if (bad.size === 0) return journal;
    return {
      replayed: journal.replayed.filter((e) => !bad.has(e.arch)),
      lookup: (arch) => (bad.has(arch) ? undefined : journal.lookup(arch)),
      append: (e) => journal.append(e),
      sync: () => journal.sync(),
    };
  }
}
