import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError } from '../errors.ts';
import type { Objective } from '../record/metric-registry.ts';
import { readAccuracyBenchDir, type AccuracyBenchDir } from './accuracy-bench-dir.ts';
import { parseCsv, type CsvTable } from './read-csv.ts';
import { readJournal, type JournalRead } from './read-journal.ts';
import { MODEL_COLUMNS } from './profile-files.ts';
import { parseConstraintText, parseObjectiveText, readTruthFiles, type TruthData } from './truth-file.ts';

/**
 * A results directory read from its files only (never from the code that wrote it): a `search`
 * (config.json, journal-<device>.jsonl, leaderboard-<device>.csv), a `compare` (config.json with
 * kind compare, runs/<strategy>/seed-<k>.jsonl, truth-*.json, hv.csv or best.csv, summary.csv) or a
 * `profile` (profile.json, models.csv) or an `accuracy-bench` (config.json with kind accuracy-bench,
 * accuracy-bench.json, scores.jsonl).
 */
export type ResultsDir = SearchDir | CompareDir | ProfileDir | AccuracyBenchDir;

export type { AccuracyBenchDir } from './accuracy-bench-dir.ts';

/** A constraint as the config states it (`latencyMs<=5`). */
export interface ConstraintText {
  metric: string;
  op: '<=' | '>=';
  value: number;
}

/** One device of a search: its journal and, where written, its leaderboard. */
export interface SearchDevice {
  device: string;
  /** The device profile as config.json records it (kind, runtime, threads, timing, table…). */
  profile: Record<string, unknown> | undefined;
  journal: JournalRead;
  /** `leaderboard-<device>.csv` when it carries re-measured columns (`--remeasure-front`), which a journal lacks. */
  remeasured: CsvTable | undefined;
}

export interface SearchDir {
  kind: 'search';
  dir: string;
  name: string;
  config: Record<string, unknown>;
  space: string;
  strategy: string;
  objectives: Objective[];
  constraints: ConstraintText[];
  /** One entry per journal: per device, or one for all devices of a joint search. */
  devices: SearchDevice[];
  /** A joint search: one journal, objectives `latencyMs@<device>`. */
  joint: boolean;
  /** The devices searched for. */
  deviceIds: string[];
  truths: TruthData[];
  /** `progress.json` of the run (candidates done, in training, ETA), when it has one. */
  progress: RunProgress | undefined;
}

/** A run's `progress.json` as the report reads it: per target, where it stands. */
export interface RunProgress {
  updatedAt: string;
  targets: {
    target: string;
    total: number;
    done: number;
    failed: number;
    finished: boolean;
    etaS?: number;
    training: { arch: string; epoch: number; epochs: number; step: number; steps: number; loss?: number }[];
  }[];
}

/** `progress.json` if readable (it is advisory: a torn or odd file is ignored). */
function readProgress(dir: string): RunProgress | undefined {
  const file = join(dir, 'progress.json');
  if (!existsSync(file)) return undefined;
  try {
    const x = JSON.parse(readFileSync(file, 'utf8')) as RunProgress;
    if (typeof x.updatedAt !== 'string' || !Array.isArray(x.targets)) return undefined;
    const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
    const targets = x.targets.filter((t) => typeof t.target === 'string' && num(t.total) && num(t.done) && num(t.failed) && Array.isArray(t.training))
      .map((t) => ({ ...t, training: t.training.filter((p) => typeof p.arch === 'string' && [p.epoch, p.epochs, p.step, p.steps].every(num) && (p.loss === undefined || num(p.loss))) }));
    return { updatedAt: x.updatedAt, targets };
  } catch {
    return undefined;
  }
}

export interface CompareRun {
  strategy: string;
  seed: number;
  journal: JournalRead;
}

export interface CompareDir {
  kind: 'compare';
  dir: string;
  name: string;
  config: Record<string, unknown>;
  space: string;
  device: string | null;
  objectives: Objective[];
  /** Every run searched under these and is scored against the front of the architectures meeting them. */
  constraints: ConstraintText[];
  /** `single`: one objective (accuracy), scored by the test accuracy of the best-by-validation architecture. */
  mode: 'multi' | 'single';
  strategies: string[];
  runs: CompareRun[];
  truths: TruthData[];
  /** `hv.csv` or `best.csv`, when the comparison finished. */
  scores: CsvTable | undefined;
  summary: CsvTable | undefined;
}

export interface ProfileDir {
  kind: 'profile';
  dir: string;
  name: string;
  config: Record<string, unknown>;
  /** `profile.json`: the report of `hwnas profile`. */
  profile: Record<string, unknown>;
  /** `models.csv`: one row per sampled whole model. */
  models: CsvTable;
}

function readJson(file: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError('bad-json', `cannot read (${(e as Error).message.split('\n')[0]})`, { file });
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InputError('schema', 'not a JSON object', { file });
  return v as Record<string, unknown>;
}

function notResults(dir: string, missing: string): never {
  throw new InputError('io', `not a results directory: missing ${missing}`, { file: dir, expected: 'the folder of an hwnas search, compare or profile run' });
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Objectives as config.json states them: `accuracy:max` strings or `{ metric, direction }` objects. */
function objectivesOf(v: unknown): Objective[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((o): Objective[] => {
    if (typeof o === 'string') return [parseObjectiveText(o)];
    if (o && typeof o === 'object' && typeof (o as Objective).metric === 'string') return [{ metric: (o as Objective).metric, direction: (o as Objective).direction === 'max' ? 'max' : 'min' }];
    return [];
  });
}

/** Constraints as `latencyMs<=5` strings or `{ metric, op, value }` objects. */
function constraintsOf(v: unknown): ConstraintText[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((c): ConstraintText[] => {
    if (typeof c === 'string') return parseConstraintText(c) ? [parseConstraintText(c)!] : [];
    const o = c as Partial<ConstraintText> | null;
    return o && typeof o.metric === 'string' && (o.op === '<=' || o.op === '>=') && typeof o.value === 'number' ? [{ metric: o.metric, op: o.op, value: o.value }] : [];
  });
}

/** Read a results directory; what is missing is an {@link InputError} naming the folder and the file. */
export function readResultsDir(dir: string): ResultsDir {
  if (!existsSync(dir)) throw new InputError('io', 'no such directory', { file: dir, expected: 'a results directory' });
  if (!statSync(dir).isDirectory()) notResults(dir, 'config.json (this is a file, not a folder)');
  const name = basename(dir.replace(/\/+$/, '')) || dir;
  const configFile = join(dir, 'config.json');
  const hasConfig = existsSync(configFile);
  if (existsSync(join(dir, 'profile.json'))) return readProfileDir(dir, name, hasConfig ? readJson(configFile) : {});
  if (!hasConfig) notResults(dir, 'config.json (written by hwnas search and compare) or profile.json (hwnas profile)');
  const config = readJson(configFile);
  if (config.kind === 'compare') return readCompareDir(dir, name, config);
  if (config.kind === 'accuracy-bench') return readAccuracyBenchDir(dir, name, config);
  if (config.kind === 'profile') notResults(dir, 'profile.json');
  if (config.kind === 'suite') {
    throw new InputError('incompatible', 'a benchmark-suite folder: hwnas suite run writes its own summary (summary.md, summary-*.csv, cd-plot.svg)', { file: dir, expected: 'the folder of an hwnas search, compare or profile run' });
  }
  if (config.kind !== undefined && config.kind !== 'search') {
    throw new InputError('schema', 'unknown kind of results folder', { file: configFile, path: '/kind', expected: 'search, compare, profile or accuracy-bench', actual: JSON.stringify(config.kind) });
  }
  return readSearchDir(dir, name, config);
}

function remeasuredLeaderboard(file: string): CsvTable | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const header = text.slice(0, text.indexOf('\n'));
  return header.includes('remeasuredLatencyMs') ? parseCsv(text) : undefined;
}

function readSearchDir(dir: string, name: string, config: Record<string, unknown>): SearchDir {
  const devices = stringList(config.devices);
  // A study without a device (latency told by the user's code, or none) has one target, its space id.
  const deviceless = devices.length === 0 && typeof config.space === 'string' && config.space !== '' && existsSync(join(dir, `journal-${config.space}.jsonl`));
  if (devices.length === 0 && !deviceless) throw new InputError('schema', 'config.json names no devices', { file: join(dir, 'config.json'), path: '/devices', expected: 'a list of device ids' });
  const profiles = Array.isArray(config.deviceProfiles) ? (config.deviceProfiles as Record<string, unknown>[]) : [];
  const out: SearchDevice[] = [];
  // A joint search (--joint) keeps one journal for all devices, `journal-<a>+<b>.jsonl`.
  const targets = deviceless ? [config.space as string] : config.joint === true ? [devices.join('+')] : devices;
  for (const device of targets) {
    const jf = join(dir, `journal-${device}.jsonl`);
    // A run still on its first candidates has no journal yet: its progress file says it is running.
    const starting = !existsSync(jf) && existsSync(join(dir, 'progress.json'));
    if (!existsSync(jf) && !starting) notResults(dir, `journal-${device}.jsonl (config.json lists ${config.joint === true ? 'devices' : 'device'} ${device})`);
    const lf = join(dir, `leaderboard-${device}.csv`);
    out.push({
      device,
      profile: profiles.find((p) => p.id === device),
      journal: starting ? { file: jf, records: [], skippedLines: 0 } : readJournal(jf),
      remeasured: remeasuredLeaderboard(lf),
    });
  }
  const objectives = objectivesOf(config.objectives);
  return {
    kind: 'search', dir, name, config, joint: config.joint === true, deviceIds: devices,
    space: String(config.space ?? ''),
    strategy: String(config.strategy ?? ''),
    objectives: objectives.length > 0 ? objectives : [{ metric: 'accuracy', direction: 'max' }, { metric: 'latencyMs', direction: 'min' }],
    constraints: constraintsOf(config.constraints),
    devices: out,
    truths: readTruthFiles(dir),
    progress: readProgress(dir),
  };
}

function readCompareDir(dir: string, name: string, config: Record<string, unknown>): CompareDir {
  const runsDir = join(dir, 'runs');
  if (!existsSync(runsDir)) notResults(dir, 'runs/ (one journal per strategy and seed)');
  const strategies = stringList(config.strategies);
  const runs: CompareRun[] = [];
  const present = readdirSync(runsDir).filter((s) => statSync(join(runsDir, s)).isDirectory());
  for (const strategy of [...strategies, ...present.filter((s) => !strategies.includes(s)).sort()]) {
    const sd = join(runsDir, strategy);
    if (!existsSync(sd)) continue;
    const seeds = readdirSync(sd).map((f) => /^seed-(\d+)\.jsonl$/.exec(f)).filter((m): m is RegExpExecArray => m !== null).map((m) => Number(m[1])).sort((a, b) => a - b);
    for (const seed of seeds) runs.push({ strategy, seed, journal: readJournal(join(sd, `seed-${seed}.jsonl`)) });
  }
  if (runs.length === 0) notResults(dir, 'runs/<strategy>/seed-<k>.jsonl');
  const objectives = objectivesOf(config.objectives);
  const mode = objectives.length === 1 ? 'single' : 'multi';
  const scoresFile = join(dir, mode === 'single' ? 'best.csv' : 'hv.csv');
  const summaryFile = join(dir, 'summary.csv');
  return {
    kind: 'compare', dir, name, config,
    space: String(config.space ?? ''),
    device: typeof config.device === 'string' ? config.device : null,
    objectives, mode,
    constraints: constraintsOf(config.constraints),
    strategies: [...new Set(runs.map((r) => r.strategy))],
    runs,
    truths: readTruthFiles(dir),
    scores: existsSync(scoresFile) ? parseCsv(readFileSync(scoresFile, 'utf8')) : undefined,
    summary: existsSync(summaryFile) ? parseCsv(readFileSync(summaryFile, 'utf8')) : undefined,
  };
}

/** Fields of profile.json the report draws from, and their JSON types. */
const PROFILE_FIELDS: readonly (readonly [string, 'string' | 'number' | 'object'])[] = [
  ['device', 'string'], ['space', 'string'], ['samples', 'number'], ['runtime', 'object'], ['lut', 'object'], ['calibrated', 'object'], ['fitted', 'object'], ['models', 'object'],
];

function readProfileDir(dir: string, name: string, config: Record<string, unknown>): ProfileDir {
  const modelsFile = join(dir, 'models.csv');
  if (!existsSync(modelsFile)) notResults(dir, 'models.csv (profile.json is there)');
  const profileFile = join(dir, 'profile.json');
  const profile = readJson(profileFile);
  for (const [k, type] of PROFILE_FIELDS) {
    const v = profile[k];
    if (typeof v !== type || v === null || (type === 'number' && !Number.isFinite(v))) {
      throw new InputError('schema', 'not the profile.json of hwnas profile', { file: profileFile, path: `/${k}`, expected: `a ${type}`, actual: JSON.stringify(v) ?? 'nothing' });
    }
  }
  const models = parseCsv(readFileSync(modelsFile, 'utf8'));
  const missing = MODEL_COLUMNS.filter((c) => !models.columns.includes(c));
  if (missing.length > 0) throw new InputError('schema', 'not the models.csv of hwnas profile', { file: modelsFile, path: 'header', expected: `columns ${MODEL_COLUMNS.join(',')}`, actual: `no ${missing.join(', ')}` });
  models.rows.forEach((row, i) => {
    if (row.length !== models.columns.length) throw new InputError('schema', `row ${i + 1} has ${row.length} fields`, { file: modelsFile, path: `row ${i + 1}`, expected: `${models.columns.length} fields, as the header` });
    for (const c of MODEL_COLUMNS) {
      if (c === 'arch') continue;
      const v = row[models.columns.indexOf(c)];
      if (v !== undefined && v !== '' && !Number.isFinite(Number(v))) throw new InputError('schema', 'not a number', { file: modelsFile, path: `row ${i + 1}, column ${c}`, expected: 'a number', actual: JSON.stringify(v) });
    }
  });
  return { kind: 'profile', dir, name, config, profile, models };
}
