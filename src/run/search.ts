import { join } from 'node:path';
import type { AccuracySource, TrainingBudget } from '../accuracy/accuracy-source.ts';
import { InputError } from '../errors.ts';
import { loadDevice, type DeviceProfile } from '../latency/device-profile.ts';
import type { TimingQuality } from '../latency/timing-quality.ts';
import { writeLeaderboard, type LeaderboardRow } from '../record/leaderboard.ts';
import { objective, type CheckedMetrics, type Constraint, type Objective } from '../record/metric-registry.ts';
import { DEFAULT_STRATEGY_ID } from '../search/strategy-registry.ts';
import { loadSpace } from '../space/space-registry.ts';
import type { SearchSpace } from '../space/search-space.ts';
import type { FidelitySettings } from './multi-fidelity.ts';
import { openRemeasurers, remeasureFront, type RemeasureSetting, type RemeasureSummary } from './remeasure-front.ts';
import { progressFileWriter } from './study-progress.ts';
import { checkSearchFields, inApiTerms } from './library-input.ts';
import { Study, type EvaluationBackend, type StrategyOptions, type StudyEvent } from './study.ts';

/** Settings of `hwnas search` (and of `search()` in the library). */
export interface SearchOptions {
  /** A space, or a built-in id / path of a space file. @defaultValue 'nasbench-macro' */
  space?: SearchSpace | string;
  /** Devices (profiles, or built-in ids / paths); one search and one leaderboard per device. @defaultValue ['ort-cpu'] */
  devices?: readonly (DeviceProfile | string)[];
  /** One joint search over all devices (objectives `latencyMs@<device>`). @defaultValue false */
  joint?: boolean;
  /** Strategy id. @defaultValue {@link DEFAULT_STRATEGY_ID} (`bo`) */
  strategy?: string;
  /** Strategy options (population size...); unknown keys are an error. @defaultValue {} */
  strategyOptions?: StrategyOptions;
  /** Distinct evaluations per device. @defaultValue 100 */
  budget?: number;
  /** @defaultValue 0 */
  seed?: number;
  /** Objectives, or registered metric names (direction from the metric registry). @defaultValue ['accuracy', 'latencyMs'] */
  objectives?: readonly (Objective | string)[];
  /** Constraints such as `{ metric: 'latencyMs', op: '<=', value: 5 }`. @defaultValue [] */
  constraints?: readonly Constraint[];
  /** Accuracy source, or its registered id. @defaultValue 'table' */
  accuracy?: AccuracySource | string;
  /** Candidates trained at once by training accuracy sources. @defaultValue 1 */
  jobs?: number;
  /** Multi-fidelity training over epochs (successive halving, Hyperband) for a training accuracy source. @defaultValue none */
  fidelity?: FidelitySettings;
  /** Seconds a `command:` trainer gives one candidate before it is killed. @defaultValue 3600 */
  accuracyTimeoutS?: number;
  /** Image data folder of data-dependent accuracy sources (`--data`). @defaultValue the vendored CIFAR-10 subset */
  data?: string;
  /** Training budget of training accuracy sources (`--train-epochs`…). @defaultValue the source's defaults */
  training?: TrainingBudget;
  /**
   * Output folder (required: a library call never picks a folder itself; `hwnas search` uses
   * {@link defaultSearchOut}).
   */
  out: string;
  /** Continue the run in `out` from its journals. @defaultValue false */
  resume?: boolean;
  /**
   * After the search on each device, re-measure its Pareto front on a measured device with 3× the
   * timing (`true`: the search device when it is measured, else `ort-cpu`); the front's rows get
   * `remeasuredLatencyMs`, `remeasuredP90Ms`, `remeasuredCv`, `remeasureDevice`. @defaultValue false
   */
  remeasureFront?: RemeasureSetting;
  /** Progress and notes of the study. */
  onEvent?: (e: StudyEvent) => void;
  /** Where candidates are evaluated. @defaultValue this process */
  backend?: EvaluationBackend;
}

/** What a finished search wrote, per device (per target: all devices at once in a joint search). */
export interface SearchResult {
  out: string;
  devices: {
    device: string;
    evaluated: number;
    failed: number;
    resumed: number;
    leaderboard: string;
    front: string;
    journal: string;
    frontSize: number;
    /** The best feasible row, if any architecture met the constraints. */
    best: LeaderboardRow | undefined;
    /** Present when the front was re-measured. */
    remeasure?: RemeasureSummary;
    /** Timing quality of each measured device of the target (docs/latency-protocol.md). */
    timing: readonly TimingQuality[];
  }[];
}

/** The folder `hwnas search` writes when no `--out` is given: `results/<timestamp>-<space>-<strategy>`. */
export function defaultSearchOut(spaceId: string, strategy: string, d = new Date()): string {
  return join('results', `${timestamp(d)}-${spaceId}-${strategy}`);
}

function timestamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/**
 * Run a search: a {@link Study} of the strategy on the space for each device (or one joint study),
 * writing `leaderboard-<device>.csv`, `front-<device>.csv`, `journal-<device>.jsonl` and
 * `config.json` to `out`. Bad settings throw {@link InputError} before anything is written.
 * (Plots of the front are drawn from these files by `renderSearchPlots` of the report layer.)
 */
export async function search<const O extends readonly (Objective | string)[] = readonly [], const C extends readonly Constraint[] = readonly []>(
  typed: Omit<SearchOptions, 'objectives' | 'constraints'> & { objectives?: CheckedMetrics<O>; constraints?: CheckedMetrics<C> },
): Promise<SearchResult> {
  const opts = typed as SearchOptions;
  checkSearchFields(opts);
  try {
    return await runSearch(opts);
  } catch (e) {
    throw inApiTerms(e, 'options', opts.strategyOptions, { 'options.storage.dir': 'options.out', '--remeasure-device': 'options.remeasureFront.device' });
  }
}

async function runSearch(opts: SearchOptions): Promise<SearchResult> {
  const space = typeof opts.space === 'object' ? opts.space : loadSpace(opts.space ?? 'nasbench-macro');
  const devices = (opts.devices ?? ['ort-cpu']).map((d) => (typeof d === 'string' ? loadDevice(d) : d));
  const strategy = opts.strategy ?? DEFAULT_STRATEGY_ID;
  const objectives = (opts.objectives ?? ['accuracy', 'latencyMs']).map((o, i) => (typeof o === 'string' ? objective(o, `options.objectives[${i}]`) : o));
  if (opts.remeasureFront && opts.joint) throw new InputError('incompatible', 're-measuring the front is per device; a joint search has one front for all', { path: 'options.remeasureFront', expected: 'a search without joint' });
  const out = opts.out;
  // progress.json for the live dashboard; written only once the study runs (after the folder is claimed).
  const writeProgress = progressFileWriter(out);
  const study = await Study.create({
    space, devices, joint: opts.joint ?? false, objectives, constraints: opts.constraints ?? [], strategy,
    strategyOptions: opts.strategyOptions ?? {}, accuracy: opts.accuracy ?? 'table', jobs: opts.jobs ?? 1,
    ...(opts.data !== undefined && { data: opts.data }), ...(opts.training !== undefined && { training: opts.training }),
    budget: opts.budget ?? 100, seed: opts.seed ?? 0,
    ...(opts.fidelity && { fidelity: opts.fidelity }), ...(opts.accuracyTimeoutS !== undefined && { accuracyTimeoutS: opts.accuracyTimeoutS }),
  }, {
    storage: { kind: 'folder', dir: out, resume: opts.resume ?? false },
    onEvent: (e) => {
      opts.onEvent?.(e);
      writeProgress(e);
    },
    ...(opts.backend && { backend: opts.backend }),
    config: { remeasureFront: opts.remeasureFront ?? false },
  });
  // Say what the accuracy numbers will be before the first of them takes minutes to come.
  const source = study.accuracySource;
  if (source && source.concurrency !== undefined) opts.onEvent?.({ type: 'note', text: `accuracy: ${source.description}` });
  // Probe re-measure runtimes before the study writes anything.
  const remeasurers = opts.remeasureFront ? await openRemeasurers(devices, opts.remeasureFront) : undefined;
  const r = await study.run();
  const result: SearchResult = { out, devices: [] };
  for (const [k, t] of r.targets.entries()) {
    let rows = t.rows;
    let files = t.files!;
    let remeasure: RemeasureSummary | undefined;
    if (remeasurers) {
      // The leaderboard is already on disk; it is rewritten (atomically) with the re-measured columns.
      const m = await remeasureFront(rows, space, t.target.id, remeasurers[k]!, (line) => opts.onEvent?.({ type: 'note', target: t.target.id, text: line }), opts.backend);
      rows = m.rows;
      files = { ...files, ...writeLeaderboard(out, t.target.id, rows) };
      remeasure = m.summary;
    }
    result.devices.push({
      device: t.target.id, evaluated: t.records.length, failed: t.failed, resumed: t.resumed, ...files,
      frontSize: t.front.length, best: rows.find((row) => row.feasible), ...(remeasure && { remeasure }), timing: t.timing,
    });
  }
  return result;
}
