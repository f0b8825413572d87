import { InputError } from '../errors.ts';
import { MAX_EVALUATIONS } from '../limits.ts';
import { DEFAULT_TIMING, deviceSchema } from '../latency/device-profile.ts';
import { validateAgainst } from '../util/json-file.ts';

/**
 * The library's typed inputs, checked where they enter (`search()`, `Study.create()`): a value of the
 * wrong type or out of range is an {@link InputError} naming the API field as the caller wrote it
 * (`settings.constraints[0].op`), with what was expected and what was given — never a raw
 * `TypeError` from deep inside, never a CLI flag. The CLI, which only passes values it parsed,
 * shows the same errors under its flags ({@link inFlagTerms}).
 */

/** API fields and the CLI flags that set them. */
const FIELD_FLAGS: readonly (readonly [field: string, flag: string])[] = [
  ['space', '--space'], ['devices', '--device'], ['joint', '--joint'], ['strategy', '--strategy'], ['strategyOptions', '--option'],
  ['budget', '--budget'], ['seed', '--seed'], ['objectives', '--objectives'], ['constraints', '--constraint'], ['accuracy', '--accuracy'],
  ['jobs', '--jobs'], ['out', '--out'], ['resume', '--resume'], ['remeasureFront', '--remeasure-front'], ['batchSize', '--batch-size'],
  ['fidelity', '--fidelity'], ['accuracyTimeoutS', '--accuracy-timeout'], ['data', '--data'], ['storage', '--out'],
];

function withPath(e: InputError, path: string): InputError {
  return new InputError(e.code, e.reason, {
    ...(e.file !== undefined && { file: e.file }), path, ...(e.expected !== undefined && { expected: e.expected }), ...(e.actual !== undefined && { actual: e.actual }),
  }, e.exitCode);
}

/**
 * An error thrown below a library entry point, said in the API's terms: a CLI flag a lower layer
 * named (`--objectives`, `--option`) becomes the field (`settings.objectives`), a strategy option's
 * name becomes `settings.strategyOptions.<name>`; `settings.` becomes `prefix.`. Other errors pass.
 */
export function inApiTerms(e: unknown, prefix: string, strategyOptions: Readonly<Record<string, unknown>> = {}, renames: Readonly<Record<string, string>> = {}): unknown {
  if (!(e instanceof InputError) || e.path === undefined || e.file !== undefined) return e;
  const p = e.path;
  if (renames[p] !== undefined) return withPath(e, renames[p]);
  if (p === 'loadSpace(idOrPath)') return withPath(e, `${prefix}.space`);
  if (p === 'loadDevice(idOrPath)') return withPath(e, `${prefix}.devices`);
  const byFlag = FIELD_FLAGS.find(([, flag]) => flag === p);
  if (byFlag) return withPath(e, `${prefix}.${byFlag[0]}`);
  if (p.startsWith('settings.') && prefix !== 'settings') return withPath(e, `${prefix}.${p.slice('settings.'.length)}`);
  if (Object.hasOwn(strategyOptions, p) || e.reason.startsWith('bad strategy option')) return withPath(e, `${prefix}.strategyOptions.${p}`);
  return e;
}

/**
 * An error about a JSON path inside an object the caller passed (a device profile given as an
 * object has no file to name): `/table` becomes `settings.devices[0]/table`.
 */
export function underField(e: unknown, field: string): unknown {
  if (!(e instanceof InputError) || e.file !== undefined || !e.path?.startsWith('/')) return e;
  return withPath(e, `${field}${e.path}`);
}

/** An API-field error as the CLI says it: `settings.constraints[1].op` → `--constraint`. */
export function inFlagTerms(e: unknown): unknown {
  if (!(e instanceof InputError) || e.path === undefined) return e;
  if (e.path === 'loadSpace(idOrPath)') return withPath(e, '--space');
  if (e.path === 'loadDevice(idOrPath)') return withPath(e, '--device');
  // A nested field with a flag of its own, before the flag of the field it is under.
  if (e.path === 'options.remeasureFront.device') return withPath(e, '--remeasure-device');
  const m = /^(?:settings|options)\.([A-Za-z]+)/.exec(e.path);
  const flag = m && FIELD_FLAGS.find(([field]) => field === m[1])?.[1];
  if (!flag) return e;
  const moved = withPath(e, flag);
  // Hints that name a setting name its flag on the command line.
  if (!moved.reason.includes('need joint: true')) return moved;
  return new InputError(moved.code, moved.reason.replace('need joint: true', 'need --joint'), {
    path: flag, ...(moved.expected !== undefined && { expected: moved.expected }), ...(moved.actual !== undefined && { actual: moved.actual }),
  }, moved.exitCode);
}

/** A value as an error message shows it: short, and saying its type when that is the trouble. */
export function shown(v: unknown): string {
  if (v === undefined) return 'nothing (undefined)';
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  let s: string | undefined;
  try {
    s = JSON.stringify(v);
  } catch {
    s = undefined;
  }
  if (s === undefined) return typeof v;
  const what = Array.isArray(v) ? 'an array ' : v !== null && typeof v === 'object' ? 'an object ' : '';
  return `${what}${s.length > 80 ? `${s.slice(0, 77)}...` : s}`;
}

function bad(path: string, message: string, expected: string, actual: unknown): InputError {
  return new InputError('bad-argument', message, { path, expected, actual: shown(actual) });
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An object argument (`search(options)`); anything else is an {@link InputError} naming it. */
export function checkObject(v: unknown, path: string, expected: string): asserts v is Record<string, unknown> {
  if (!isPlainObject(v)) throw bad(path, 'not an object', expected, v);
}

/** Keys of `v` that are not in `known` are an {@link InputError} (a typo such as `budjet` would otherwise be ignored). */
export function checkKeys(v: Record<string, unknown>, path: string, known: readonly string[]): void {
  for (const k of Object.keys(v)) {
    if (!known.includes(k)) throw new InputError('bad-argument', `unknown field "${k}"`, { path: `${path}.${k}`, expected: `one of ${known.join(', ')}`, actual: shown(v[k]) });
  }
}

/** An integer in [lo, hi], or undefined when `optional`. */
export function checkInt(v: unknown, path: string, lo: number, hi: number, optional = true): void {
  if (v === undefined && optional) return;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < lo || v > hi) throw bad(path, 'out of range', `an integer in [${lo}, ${hi}]`, v);
}

export function checkBoolean(v: unknown, path: string): void {
  if (v !== undefined && typeof v !== 'boolean') throw bad(path, 'not a boolean', 'true or false', v);
}

export function checkString(v: unknown, path: string, expected: string, optional = true): void {
  if (v === undefined && optional) return;
  if (typeof v !== 'string' || v.trim() === '') throw bad(path, 'not a non-empty string', expected, v);
}

/** A loaded search space (what `loadSpace` returns). */
export function checkSpaceObject(v: unknown, path: string): void {
  const s = v as Record<string, unknown> | null;
  if (!isPlainObjectLike(s) || typeof s.id !== 'string' || !Array.isArray(s.decisions) || typeof s.encode !== 'function' || typeof s.decode !== 'function' || typeof s.build !== 'function') {
    throw bad(path, 'not a search space', 'a SearchSpace (from loadSpace(id or path))', v);
  }
}

/** A device profile as `loadDevice` returns it: the device file schema, and a measured device's threads and timing filled in. */
export function checkDeviceObject(v: unknown, path: string): void {
  const d = v as Record<string, unknown> | null;
  if (!isPlainObject(d) || typeof d.id !== 'string' || d.id === '' || !['measured', 'table', 'lut'].includes(d.kind as string)) {
    throw bad(path, 'not a device profile', 'a DeviceProfile (from loadDevice(id or path)) with id and kind measured, table or lut', v);
  }
  try {
    validateAgainst(deviceSchema, d, '');
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new InputError('bad-argument', `not a valid device profile: ${e.reason}`, { path: `${path}${e.path === '/' ? '' : (e.path ?? '')}`, ...(e.expected !== undefined && { expected: e.expected }), ...(e.actual !== undefined && { actual: e.actual }) });
  }
  if (d.kind === 'measured' && (typeof d.threads !== 'number' || !isPlainObject(d.timing) || Object.keys(DEFAULT_TIMING).some((k) => typeof (d.timing as Record<string, unknown>)[k] !== 'number'))) {
    throw bad(path, 'a measured device profile without its threads and full timing', 'a profile from loadDevice(), which fills in threads and every timing field', v);
  }
}

const isPlainObjectLike = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `{ metric, direction: 'min' | 'max' }`. */
export function checkObjective(v: unknown, path: string): void {
  checkObject(v, path, "an objective { metric: 'latencyMs', direction: 'min' } (or objective('latencyMs'))");
  checkString(v.metric, `${path}.metric`, 'a metric name such as accuracy or latencyMs', false);
  if (v.direction !== 'min' && v.direction !== 'max') throw bad(`${path}.direction`, 'not a direction', '"min" or "max"', v.direction);
}

/** `{ metric, op: '<=' | '>=', value }`. */
export function checkConstraint(v: unknown, path: string): void {
  checkObject(v, path, "a constraint { metric: 'latencyMs', op: '<=', value: 5 }");
  checkString(v.metric, `${path}.metric`, 'a metric name such as latencyMs', false);
  if (v.op !== '<=' && v.op !== '>=') throw bad(`${path}.op`, 'unknown constraint op', '"<=" or ">="', v.op);
  if (typeof v.value !== 'number' || !Number.isFinite(v.value)) throw bad(`${path}.value`, 'not a finite number', 'a finite number in the metric\'s unit', v.value);
}

/** An array (optionally non-empty) whose items pass `item`. */
export function checkArray(v: unknown, path: string, expected: string, item: (x: unknown, path: string) => void, nonEmpty = false): void {
  if (!Array.isArray(v)) throw bad(path, 'not an array', expected, v);
  if (nonEmpty && v.length === 0) throw bad(path, 'empty', expected, v);
  v.forEach((x, i) => item(x, `${path}[${i}]`));
}

/** Strategy options: a plain object of numbers, strings and booleans. */
export function checkStrategyOptions(v: unknown, path: string): void {
  if (v === undefined) return;
  checkObject(v, path, 'an object of option values, e.g. { population: 20 }');
  for (const [k, x] of Object.entries(v)) {
    if (!(typeof x === 'string' || typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x)))) throw bad(`${path}.${k}`, 'not an option value', 'a finite number, a string or a boolean', x);
  }
}

/** An accuracy source: a registered id, a source object, or (where allowed) null for none. */
export function checkAccuracy(v: unknown, path: string, nullable: boolean): void {
  if (v === undefined || (v === null && nullable) || (typeof v === 'string' && v !== '')) return;
  const a = v as Record<string, unknown> | null;
  if (isPlainObject(a) && typeof a.id === 'string' && typeof a.metric === 'string' && Array.isArray(a.metricNames) && typeof a.metrics === 'function') return;
  throw bad(path, 'not an accuracy source', `a registered source id (table, proxy-train, zero-cost:<proxy>), an AccuracySource${nullable ? ', or null for none' : ''}`, v);
}

/** The settings of a study (`Study.create(settings)`), field by field; see {@link checkSearchFields} for `search()`. */
export function checkStudySettings(s: unknown): void {
  checkObject(s, 'settings', 'StudySettings: { space, devices, objectives, strategy, budget, seed, ... }');
  checkKeys(s, 'settings', ['space', 'devices', 'joint', 'objectives', 'constraints', 'toldMetrics', 'strategy', 'strategyOptions', 'accuracy', 'jobs', 'budget', 'seed', 'batchSize', 'counts', 'fidelity', 'accuracyTimeoutS', 'data', 'training']);
  checkSpaceObject(s.space, 'settings.space');
  if (s.devices !== undefined) checkArray(s.devices, 'settings.devices', 'an array of DeviceProfile (from loadDevice), [] for none (the default)', checkDeviceObject);
  checkBoolean(s.joint, 'settings.joint');
  checkArray(s.objectives, 'settings.objectives', "one or more objectives, e.g. [objective('accuracy'), objective('latencyMs')]", checkObjective, true);
  if (s.constraints !== undefined) checkArray(s.constraints, 'settings.constraints', 'an array of constraints', checkConstraint);
  if (!(typeof s.strategy === 'string' && s.strategy !== '') && typeof s.strategy !== 'function') throw bad('settings.strategy', 'not a strategy', 'a registered strategy id (bo, nsga2, random, ...) or a StrategyFactory', s.strategy);
  checkStrategyOptions(s.strategyOptions, 'settings.strategyOptions');
  checkAccuracy(s.accuracy, 'settings.accuracy', true);
  checkInt(s.jobs, 'settings.jobs', 1, 1024);
  checkInt(s.budget, 'settings.budget', 1, MAX_EVALUATIONS, false);
  checkInt(s.seed, 'settings.seed', 0, 2 ** 32 - 1, false);
  checkInt(s.batchSize, 'settings.batchSize', 1, MAX_EVALUATIONS);
  checkBoolean(s.counts, 'settings.counts');
}

/** The options of `Study.create(settings, options)`. */
export function checkStudyOptions(o: unknown): void {
  if (o === undefined) return;
  checkObject(o, 'options', 'StudyOptions: { storage, onEvent, backend, config }');
  checkKeys(o, 'options', ['storage', 'onEvent', 'backend', 'config']);
  const st = o.storage as Record<string, unknown> | undefined;
  if (st !== undefined) {
    checkObject(st, 'options.storage', "{ kind: 'folder', dir }, { kind: 'journal', file }, or { kind: 'memory' }");
    if (st.kind === 'folder') {
      checkString(st.dir, 'options.storage.dir', 'a results folder path', false);
      checkBoolean(st.resume, 'options.storage.resume');
    } else if (st.kind === 'journal') {
      if (typeof st.file !== 'function') throw bad('options.storage.file', 'not a function', 'a function from a target to its journal path', st.file);
    } else if (st.kind !== 'memory') throw bad('options.storage.kind', 'unknown storage', '"folder", "journal" or "memory"', st.kind);
  }
  if (o.onEvent !== undefined && typeof o.onEvent !== 'function') throw bad('options.onEvent', 'not a function', 'a function of a StudyEvent', o.onEvent);
  if (o.backend !== undefined && !(isPlainObjectLike(o.backend) && typeof (o.backend as { evaluator?: unknown }).evaluator === 'function')) throw bad('options.backend', 'not an evaluation backend', 'an EvaluationBackend (inProcessBackend(), QueueBackend.open(...))', o.backend);
  if (o.config !== undefined) checkObject(o.config, 'options.config', 'an object of extra facts for config.json');
}

/**
 * The options of `search(options)`. `out` is required: a library call never starts a search in a
 * folder it chose itself (the CLI picks `results/<timestamp>-…` for `hwnas search`).
 */
export function checkSearchFields(o: unknown): void {
  if (o === undefined) throw bad('options', 'search() needs its options', "an object with at least out, the results folder: search({ out: 'results/run-1' })", o);
  checkObject(o, 'options', "SearchOptions: { out, space, devices, strategy, budget, ... }");
  checkKeys(o, 'options', ['out', 'space', 'devices', 'joint', 'strategy', 'strategyOptions', 'budget', 'seed', 'objectives', 'constraints', 'accuracy', 'jobs', 'fidelity', 'accuracyTimeoutS', 'data', 'training', 'resume', 'remeasureFront', 'onEvent', 'backend']);
  checkString(o.out, 'options.out', 'the results folder to write (a path)', false);
  if (o.space !== undefined && typeof o.space !== 'string') checkSpaceObject(o.space, 'options.space');
  if (typeof o.space === 'string' && o.space.trim() === '') throw bad('options.space', 'empty space id', 'a built-in space id or a path to a space file', o.space);
  if (o.devices !== undefined) {
    checkArray(o.devices, 'options.devices', 'one or more devices (built-in ids, paths or DeviceProfile objects); leave it out for ort-cpu', (d, p) => {
      if (typeof d === 'string' && d.trim() !== '') return;
      checkDeviceObject(d, p);
    }, true);
  }
  checkBoolean(o.joint, 'options.joint');
  checkString(o.strategy, 'options.strategy', 'a registered strategy id (bo, nsga2, random, ...)');
  checkStrategyOptions(o.strategyOptions, 'options.strategyOptions');
  checkInt(o.budget, 'options.budget', 1, MAX_EVALUATIONS);
  checkInt(o.seed, 'options.seed', 0, 2 ** 32 - 1);
  if (o.objectives !== undefined) {
    checkArray(o.objectives, 'options.objectives', 'one or more objectives (metric names or { metric, direction })', (x, p) => {
      if (typeof x === 'string' && x !== '') return;
      checkObjective(x, p);
    }, true);
  }
  if (o.constraints !== undefined) checkArray(o.constraints, 'options.constraints', 'an array of constraints', checkConstraint);
  checkAccuracy(o.accuracy, 'options.accuracy', false);
  checkInt(o.jobs, 'options.jobs', 1, 1024);
  checkBoolean(o.resume, 'options.resume');
  const r = o.remeasureFront;
  if (r !== undefined && typeof r !== 'boolean') {
    checkObject(r, 'options.remeasureFront', 'true, false, or { device }');
    if (typeof r.device !== 'string') checkDeviceObject(r.device, 'options.remeasureFront.device');
  }
  if (o.onEvent !== undefined && typeof o.onEvent !== 'function') throw bad('options.onEvent', 'not a function', 'a function of a StudyEvent', o.onEvent);
  if (o.backend !== undefined && !(isPlainObjectLike(o.backend) && typeof (o.backend as { evaluator?: unknown }).evaluator === 'function')) throw bad('options.backend', 'not an evaluation backend', 'an EvaluationBackend', o.backend);
}
