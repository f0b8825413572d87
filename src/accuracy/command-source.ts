import { accessSync, appendFileSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import type { Genotype, SearchSpace } from '../space/search-space.ts';
import { spaceContentHash } from '../space/space-registry.ts';
import { splitCommandLine } from '../util/command-line.ts';
import { contentHash } from '../util/content-hash.ts';
import { fileTail, runProgram, type ProgramRun } from '../util/run-program.ts';
import type { AccuracyCall, AccuracySource, AccuracySourceFactory } from './accuracy-source.ts';
import type { TrainingBudget } from './training-budget.ts';

/**
 * Your own trainer as an accuracy source (`--accuracy 'command:python3 train.py --data cifar10'`):
 * for each candidate hwnas writes a folder with `arch.json`, `model.onnx` and `network.json`, runs
 * the program once, and reads one JSON object from its stdout: `{"accuracy": 93.1, …}`. The
 * protocol is in docs/your-trainer.md; its version is {@link TRAINER_PROTOCOL_VERSION}.
 */

/** Version of the trainer protocol (files, environment, result), given to the program as `HWNAS_PROTOCOL`. */
export const TRAINER_PROTOCOL_VERSION = 1;

/** Prefix of the accuracy source names this factory serves. */
export const COMMAND_PREFIX = 'command:';

/** Seconds a candidate's program may run when no timeout is given. */
export const DEFAULT_TRAINER_TIMEOUT_S = 3600;

/** Placeholders replaced in every word of the command, and what they become. */
const PLACEHOLDERS = ['dir', 'arch_json', 'onnx', 'network', 'arch', 'space', 'seed', 'epochs', 'data'] as const;

/**
 * Names a result may not use for its extra metrics: hwnas computes them itself (counts, latency,
 * the program's wall time, multi-fidelity bookkeeping), so a clash would hide one of the two.
 */
const RESERVED_METRICS = new Set(['paramCount', 'flops', 'latencyMs', 'predictedLatencyMs', 'p90Ms', 'iqrMs', 'cv', 'samples', 'trainMs', 'fidelityEpochs', 'rung', 'bracket', 'totalTrainMs']);
const METRIC_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Extra metrics kept from one result. */
const MAX_EXTRA_METRICS = 64;

/** Settings of {@link commandSource}. */
export interface CommandSourceOptions {
  /** The program and its arguments (run without a shell); `{dir}`, `{onnx}`, `{network}`, `{arch_json}`, `{arch}`, `{space}`, `{seed}`, `{epochs}` are replaced in every word. */
  readonly argv: readonly string[];
  /** The command as the user wrote it: the source's id is `command:<commandLine>`. @defaultValue argv joined by spaces */
  readonly commandLine?: string;
  /** Seed of the ONNX file's weights, given to the program as `HWNAS_SEED`. @defaultValue 0 */
  readonly seed?: number;
  /** Programs running at once (one per candidate). @defaultValue 1 */
  readonly jobs?: number;
  /** Seconds one run may take; then its process group gets SIGTERM, and SIGKILL {@link CommandSourceOptions.killGraceMs} later. @defaultValue 3600 */
  readonly timeoutS?: number;
  /** @defaultValue 5000 */
  readonly killGraceMs?: number;
  /** Folder of the per-candidate logs (stderr, then stdout). @defaultValue a new `hwnas-trainer-logs-*` folder in the system's temp folder */
  readonly logDir?: string;
  /** The program's working folder. @defaultValue this process's */
  readonly cwd?: string;
  /** The data folder the user gave (`--data`), passed on as `HWNAS_DATA` and `{data}`. @defaultValue none: the program uses its own */
  readonly data?: string;
  /**
   * The training budget the user gave (`--train-epochs`, `--train-images`, …), passed on as
   * `HWNAS_TRAIN_EPOCHS`, `HWNAS_TRAIN_IMAGES`, `HWNAS_TEST_IMAGES`, `HWNAS_TRAIN_BATCH`, `HWNAS_TRAIN_LR`,
   * `HWNAS_TRAIN_AUGMENT` (only the fields given) and in `arch.json`; `epochs` is also the default of
   * `HWNAS_EPOCHS` when multi-fidelity asks for none. @defaultValue none: the program uses its own
   */
  readonly training?: TrainingBudget;
}

/** Environment variable of each training-budget field given to the program. */
const TRAINING_ENV: Readonly<Record<keyof TrainingBudget, string>> = {
  epochs: 'HWNAS_TRAIN_EPOCHS', trainImages: 'HWNAS_TRAIN_IMAGES', testImages: 'HWNAS_TEST_IMAGES', batchSize: 'HWNAS_TRAIN_BATCH', learningRate: 'HWNAS_TRAIN_LR', augment: 'HWNAS_TRAIN_AUGMENT',
};

/** The program and arguments of a `command:<command line>` name (an {@link InputError} naming `--accuracy` when malformed). */
export function commandArgv(name: string): string[] {
  const line = name.startsWith(COMMAND_PREFIX) ? name.slice(COMMAND_PREFIX.length) : name;
  const argv = splitCommandLine(line, '--accuracy');
  if (argv.length === 0) throw new InputError('bad-flag', 'no command after "command:"', { path: '--accuracy', expected: "command:<program> [arguments], e.g. 'command:python3 train.py --data cifar10'", actual: JSON.stringify(name) });
  for (const w of argv) {
    for (const m of w.matchAll(/\{([a-z_]+)\}/g)) {
      if (!(PLACEHOLDERS as readonly string[]).includes(m[1]!)) {
        throw new InputError('bad-flag', `unknown placeholder {${m[1]}} in the command`, { path: '--accuracy', expected: `one of ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}` });
      }
    }
  }
  return argv;
}

/**
 * The program of a `command:` name exists and may be run here: a path (relative to `cwd`) or a name
 * found on PATH. Otherwise an {@link InputError} (`--accuracy`): checked before a search starts, so
 * that a typo fails once rather than once per candidate.
 */
export function checkCommandProgram(name: string, cwd = process.cwd()): void {
  const program = commandArgv(name)[0]!;
  const candidates = program.includes('/') ? [resolve(cwd, program)] : (process.env.PATH ?? '').split(delimiter).filter((d) => d !== '').map((d) => join(d, program));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return;
    } catch {
      // not this one
    }
  }
  throw new InputError('bad-flag', program.includes('/') ? `program ${program} does not exist or is not executable` : `program "${program}" is not on PATH`, { path: '--accuracy', actual: JSON.stringify(name) });
}

/** A file name for a candidate's log: the arch string when it is short and plain, else a hash of it. */
function logName(arch: string, epochs: number | undefined): string {
  const base = /^[A-Za-z0-9._-]{1,80}$/.test(arch) ? arch : `arch-${contentHash(arch).slice(0, 16)}`;
  return `${base}${epochs !== undefined ? `-e${epochs}` : ''}.log`;
}

/** The last lines of a log on one line (an outcome's error is one line), for an error message. */
function tailLines(text: string, lines = 8, chars = 1200): string {
  const t = text.split('\n').map((l) => l.trim()).filter((l) => l !== '').slice(-lines).join(' ⏎ ');
  return t.length > chars ? `…${t.slice(-chars)}` : t;
}

/**
 * Metrics of a program's stdout: one JSON object, either all of stdout or its last non-empty line
 * (lines printed before it are the program's own). `accuracy` must be a finite number in [0, 100]
 * (%); every other key whose value is a number becomes a metric of the record (finite, a plain name
 * that hwnas does not compute itself); keys with other values are ignored. When `epochs` was asked
 * and the result says `epochs`, the two must agree. Throws an `Error` saying what is wrong.
 */
export function parseTrainerResult(stdout: string, epochs?: number): Record<string, number> {
  const text = stdout.trim();
  if (text === '') throw new Error('printed nothing on stdout; expected one JSON object such as {"accuracy": 93.1} (on the last line)');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const last = text.split('\n').at(-1)!.trim();
    try {
      value = JSON.parse(last);
    } catch {
      const nonFinite = /\b(NaN|-?Infinity)\b/.test(last) ? ' (it holds NaN or Infinity, which JSON cannot: Python\'s json.dumps writes them for non-finite floats)' : '';
      throw new Error(`the last line of stdout is not JSON${nonFinite}: ${JSON.stringify(last.slice(0, 200))}`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`stdout's JSON is ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}, expected an object such as {"accuracy": 93.1}`);
  const o = value as Record<string, unknown>;
  if (!('accuracy' in o)) throw new Error(`the result has no "accuracy" (keys: ${Object.keys(o).slice(0, 10).join(', ') || 'none'})`);
  const acc = o.accuracy;
  if (typeof acc !== 'number' || !Number.isFinite(acc) || acc < 0 || acc > 100) {
    throw new Error(`"accuracy" is ${typeof acc === 'number' ? String(acc) : JSON.stringify(acc)}, expected a finite number of % in [0, 100]`);
  }
  const metrics: Record<string, number> = { accuracy: acc };
  let extras = 0;
  for (const [k, v] of Object.entries(o)) {
    if (k === 'accuracy' || typeof v !== 'number') continue;
    if (!METRIC_NAME.test(k)) throw new Error(`result key ${JSON.stringify(k.slice(0, 80))} is not a plain metric name (letters, digits, _; at most 64)`);
    if (RESERVED_METRICS.has(k) || /At\d+Epochs$/.test(k)) throw new Error(`result key "${k}" is a metric hwnas computes itself; give yours another name`);
    if (!Number.isFinite(v)) throw new Error(`result metric "${k}" is ${v}, expected a finite number`);
    if (++extras > MAX_EXTRA_METRICS) throw new Error(`the result has more than ${MAX_EXTRA_METRICS} numeric metrics`);
    metrics[k] = v;
  }
  if (epochs !== undefined && metrics.epochs !== undefined && metrics.epochs !== epochs) {
    throw new Error(`the result says it trained ${metrics.epochs} epochs; ${epochs} were asked (HWNAS_EPOCHS / {epochs})`);
  }
  return metrics;
}

/** Why a run did not give a result, or undefined when it exited with code 0. */
function runProblem(run: ProgramRun, program: string, timeoutS: number, killGraceMs: number): string | undefined {
  if (run.spawnError !== undefined) return `could not start ${program}: ${run.spawnError === 'ENOENT' ? 'no such program (not on PATH, or a wrong path)' : run.spawnError}`;
  if (run.timedOut) return `timed out after ${timeoutS} s (--accuracy-timeout): its process group got SIGTERM, then SIGKILL ${killGraceMs / 1000} s later`;
  if (run.signal !== null) return `killed by ${run.signal}${run.signal === 'SIGKILL' ? ' (out of memory?)' : ''}`;
  if (run.code !== 0) return `exited with code ${run.code}`;
  return undefined;
}

/**
 * An accuracy source that runs `argv` once per candidate (see the module comment and
 * docs/your-trainer.md). Metrics: `accuracy` (%), `trainMs` (the program's wall time) and any
 * numbers its result adds. A program that cannot start, exits with a code other than 0, is killed,
 * passes the timeout or prints no valid result rejects with the reason, the exit status and the
 * end of its stderr (a failed candidate); its whole stderr and stdout stay in the log file named.
 */
export function commandSource(o: CommandSourceOptions): AccuracySource {
  if (o.argv.length === 0 || o.argv[0] === '') throw new InputError('bad-flag', 'no program to run', { path: '--accuracy' });
  const jobs = o.jobs ?? 1;
  const timeoutS = o.timeoutS ?? DEFAULT_TRAINER_TIMEOUT_S;
  const killGraceMs = o.killGraceMs ?? 5000;
  const seed = o.seed ?? 0;
  if (!Number.isSafeInteger(jobs) || jobs < 1) throw new InputError('bad-flag', 'jobs must be a positive integer', { path: '--jobs', actual: String(jobs) });
  if (!(timeoutS > 0) || !Number.isFinite(timeoutS)) throw new InputError('bad-flag', 'the timeout must be a positive number of seconds', { path: '--accuracy-timeout', actual: String(timeoutS) });
  const commandLine = o.commandLine ?? o.argv.join(' ');
  let logDir = o.logDir;
  const logFolder = (): string => {
    if (logDir === undefined) logDir = mkdtempSync(join(tmpdir(), 'hwnas-trainer-logs-'));
    else mkdirSync(logDir, { recursive: true });
    return logDir;
  };
  return {
    id: `${COMMAND_PREFIX}${commandLine}`,
    metric: 'accuracy',
    metricNames: ['accuracy', 'trainMs'],
    alongside: ['trainMs'],
    description: `your trainer, run once per candidate without a shell: ${commandLine} (trainer protocol v${TRAINER_PROTOCOL_VERSION}: arch.json, model.onnx with seed-${seed} weights, network.json)${o.data !== undefined ? `; data ${o.data}` : ''}${o.training && Object.keys(o.training).length > 0 ? `; training ${JSON.stringify(o.training)}` : ''}`,
    concurrency: jobs,
    fidelity: 'epochs',
    async metrics(space: SearchSpace, g: Genotype, call?: AccuracyCall) {
      const epochs = call?.epochs ?? o.training?.epochs;
      const graph = space.build(g);
      const arch = space.encode(g);
      const { toOnnx } = await import('../graph/onnx-export.ts');
      const { toNetworkJson } = await import('../graph/network-json.ts');
      const dir = mkdtempSync(join(tmpdir(), 'hwnas-candidate-'));
      const log = join(logFolder(), logName(arch, epochs));
      try {
        const files = { arch_json: join(dir, 'arch.json'), onnx: join(dir, 'model.onnx'), network: join(dir, 'network.json') };
        writeFileSync(files.arch_json, `${JSON.stringify({
          format: 'hwnas-candidate', version: TRAINER_PROTOCOL_VERSION, space: space.id, spaceContentHash: spaceContentHash(space), arch, genotype: [...g],
          choices: space.decisions.map((d, i) => ({ decision: d.name, choice: d.choices[g[i]!] })), seed, epochs: epochs ?? null,
          data: o.data ?? null, training: o.training ?? {},
          files: { onnx: 'model.onnx', network: 'network.json' },
        }, null, 1)}\n`);
        writeFileSync(files.network, `${JSON.stringify(toNetworkJson(graph))}\n`);
        writeFileSync(files.onnx, toOnnx(graph, { seed }));
        const values: Record<(typeof PLACEHOLDERS)[number], string | undefined> = {
          dir, ...files, arch, space: space.id, seed: String(seed), epochs: epochs !== undefined ? String(epochs) : undefined, data: o.data,
        };
        const argv = o.argv.map((w) => w.replace(/\{([a-z_]+)\}/g, (whole, key: string) => {
          if (!(key in values)) return whole;
          const v = values[key as keyof typeof values];
          if (v === undefined) {
            throw new Error(key === 'data'
              ? 'the command uses {data} but no data folder was given: run with --data DIR'
              : `the command uses {${key}} but no epochs budget was asked: run with --train-epochs or --fidelity, or write the epochs into the command`);
          }
          return v;
        }));
        const env: NodeJS.ProcessEnv = {
          ...process.env,
          HWNAS_PROTOCOL: String(TRAINER_PROTOCOL_VERSION), HWNAS_CANDIDATE_DIR: dir, HWNAS_ARCH_JSON: files.arch_json, HWNAS_ONNX: files.onnx,
          HWNAS_NETWORK_JSON: files.network, HWNAS_ARCH: arch, HWNAS_SPACE: space.id, HWNAS_SEED: String(seed),
        };
        if (epochs !== undefined) env.HWNAS_EPOCHS = String(epochs);
        else delete env.HWNAS_EPOCHS;
        if (o.data !== undefined) env.HWNAS_DATA = o.data;
        else delete env.HWNAS_DATA;
        for (const [k, name] of Object.entries(TRAINING_ENV) as [keyof TrainingBudget, string][]) {
          const v = o.training?.[k];
          if (v !== undefined) env[name] = String(v);
          else delete env[name];
        }
        const run = await runProgram({ argv, env, ...(o.cwd !== undefined && { cwd: o.cwd }), timeoutMs: timeoutS * 1000, killGraceMs, stderrFile: log });
        const stderrTail = tailLines(fileTail(log, 16 * 1024));
        if (run.stdout !== '') {
          try {
            appendFileSync(log, `\n--- stdout${run.stdoutDroppedBytes > 0 ? ` (first ${run.stdoutDroppedBytes} bytes left out)` : ''} ---\n${run.stdout}`);
          } catch {
            // the log is a convenience; the result does not depend on it
          }
        }
        const problem = runProblem(run, argv[0]!, timeoutS, killGraceMs);
        const where = `; log ${log}`;
        if (problem) throw new Error(`${problem}${where}${stderrTail ? `; stderr ends: ${stderrTail}` : ''}`);
        let result: Record<string, number>;
        try {
          result = parseTrainerResult(run.stdout, epochs);
        } catch (e) {
          throw new Error(`${(e as Error).message}${where}`);
        }
        return { ...result, trainMs: run.ms };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** `command:<command line>`: your trainer, run per candidate (any space). */
export const commandSourceFactory: AccuracySourceFactory = {
  id: COMMAND_PREFIX,
  description: 'your own trainer: command:<program and arguments>, run once per candidate with its arch.json, model.onnx and network.json; prints {"accuracy": …} (docs/your-trainer.md)',
  validate: (name) => void commandArgv(name),
  create: (_space, settings, name) => {
    const line = (name ?? COMMAND_PREFIX).slice(COMMAND_PREFIX.length);
    return commandSource({
      argv: commandArgv(name ?? COMMAND_PREFIX), commandLine: line, seed: settings.seed, jobs: settings.jobs,
      ...(settings.timeoutS !== undefined && { timeoutS: settings.timeoutS }),
      ...(settings.logDir !== undefined && { logDir: settings.logDir }),
      ...(settings.data !== undefined && { data: settings.data }),
      ...(settings.training !== undefined && Object.keys(settings.training).length > 0 && { training: settings.training }),
    });
  },
};
