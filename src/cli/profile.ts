import { stringify } from 'csv-stringify/sync';
import { rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { MAX_PROFILE_SAMPLES, MAX_ROUNDS } from '../limits.ts';
import { STRICT_TIMING_EXIT_CODE, strictTimingExit, timingWarnings } from './timing-warnings.ts';
import { loadDevice } from '../latency/device-profile.ts';
import { profileDevice, timingQualityOfProfile, type ProfileReport } from '../latency/lut-profile.ts';
import { profileTransfer, type TransferProfileReport } from '../latency/transfer-profile.ts';
import { loadSpace } from '../space/space-registry.ts';
import type { Command } from './command.ts';
import type { Io } from '../util/io.ts';
import { choiceFlag, intFlag, parseFlags, requireFlag } from './flags.ts';
import { ensureWritableDir, type WritableDir } from '../util/writable-dir.ts';

/** Check `--out FILE` before minutes of profiling: its folder must be writable, the path not a folder. */
function checkOutFile(out: string | undefined): WritableDir | undefined {
  if (out === undefined) return undefined;
  if (out.trim() === '') throw new InputError('bad-flag', 'empty file name', { path: '--out', expected: 'a .json file path' });
  let isDir = false;
  try {
    isDir = statSync(out).isDirectory();
  } catch {
    // Missing is fine: it is created.
  }
  if (isDir) throw new InputError('bad-flag', 'is a folder', { path: '--out', expected: 'a .json file path', actual: JSON.stringify(out) });
  return ensureWritableDir(dirname(resolve(out)), '--out');
}

const flags = {
  device: { type: 'string' },
  space: { type: 'string' },
  samples: { type: 'string' },
  seed: { type: 'string' },
  folds: { type: 'string' },
  out: { type: 'string' },
  format: { type: 'string' },
  statistic: { type: 'string' },
  rounds: { type: 'string' },
  predictor: { type: 'string' },
  check: { type: 'string' },
  'report-dir': { type: 'string' },
  'strict-timing': { type: 'boolean' },
} as const;

const usage = `usage: hwnas profile --device D --space S [--samples N] [--seed S] [--folds K] [--out FILE] [--statistic min|median] [--rounds R] [--format json|csv] [--strict-timing]
       hwnas profile --device D --space nb201 --predictor transfer [--samples N] [--check M] [--seed S] [--out FILE] [--statistic T] [--rounds R] [--format json|csv]

Builds a per-layer latency LUT of space S on measured device D and checks it:
  (a) measures every distinct layer configuration of S alone (input -> layer), minus the per-run
      overhead of a pass-through graph of its output shape, and writes the LUT to
      devices/luts/<D>-<S>.json (or FILE);
  (b) measures N sampled whole models twice (two passes);
  (c) reports LUT prediction accuracy on them (within5, within10, mape, spearman), flopsSpearman,
      paramsSpearman, repeatSpearman (pass 1 vs 2), medianCv, and an NNLS-fitted layer model
      (K-fold cross-validated) as fitted.
Progress goes to stderr. json: the report; csv: one row per sampled model.

  --device D     a measured device (e.g. ort-cpu-1t); table and LUT devices cannot be profiled
  --space S      built-in space id or path to a space .json file (a chain, mnasnet or ofa-mbv3 space)
  --samples N    whole models to measure, 2..${MAX_PROFILE_SAMPLES} (default 20)
  --seed S       seed of the model sample and the folds (default 0)
  --folds K      folds of the fitted predictor, 2..N (default 5)
  --out FILE     where to write the LUT (default devices/luts/<D>-<S>.json)
  --statistic T  latency of a graph = min (default) or median of its timed runs; min is the more
                 repeatable where other work shares the machine. A LUT profiled with min predicts
                 the fastest run, a few % below the median that searches report as latencyMs
  --rounds R     time every layer and model in at least R interleaved rounds (10 graphs per batch,
                 fresh sessions per pass, the reference network between rounds; at least the
                 device's timing.minRounds, 6 by default), and on until the 95% CI of its median is
                 within the device's tolerance or its time cap (docs/latency-protocol.md)
  --strict-timing exit ${STRICT_TIMING_EXIT_CODE} (after writing everything) when timings missed their tolerance or
                 the reference network drifted (the warning says how many)
  --format F     json (default) or csv
  --predictor P  lut (default: the steps above) or transfer: measure N architectures of a space with a
                 latency table (nb201, fbnet-cifar100), predict all others from the table's devices as
                 prior (written to FILE, default devices/luts/<D>-<S>-transfer.json), then measure M
                 more (--check, default 200) and report Spearman, within10 etc. against them, beside the
                 layer-wise NNLS model fitted on the same N and FLOPs; csv: one row per measured
                 architecture. --samples defaults to 10 here; --statistic and --rounds time the
                 architectures as above; --folds does not apply
  --report-dir D (lut) results directory for hwnas report: profile.json, models.csv, config.json
                 (default: <FILE without .json>-profile/ beside --out, else
                 results/<timestamp>-profile-<D>-<S>/)
`;

function csv(r: ProfileReport): string {
  const cols = ['arch', 'measuredMs', 'pass1Ms', 'pass2Ms', 'cv1', 'cv2', 'lutMs', 'fittedMs', 'flops', 'params'] as const;
  return stringify([cols as unknown as string[], ...r.models.map((m) => cols.map((c) => m[c]))]);
}

function transferCsv(r: TransferProfileReport): string {
  const cols = ['arch', 'role', 'measuredMs', 'cv', 'predictedMs', 'nnlsMs', 'flops'] as const;
  return stringify([cols as unknown as string[], ...r.cells.map((c) => cols.map((k) => c[k]))]);
}

async function run(argv: readonly string[], io: Io): Promise<number> {
  const f = parseFlags(argv, flags);
  const device = loadDevice(requireFlag(f.device, '--device', 'a measured device id'));
  if (device.kind !== 'measured') {
    throw new InputError('incompatible', `device "${device.id}" is a ${device.kind} device; only measured devices can be profiled`, { path: '--device', expected: 'a measured device (e.g. ort-cpu-1t)', actual: JSON.stringify(device.id) });
  }
  const space = loadSpace(requireFlag(f.space, '--space', 'a space id or .json path'));
  const format = choiceFlag(f.format, '--format', ['json', 'csv'] as const, 'json');
  if (choiceFlag(f.predictor, '--predictor', ['lut', 'transfer'] as const, 'lut') === 'transfer') {
    if (f.folds !== undefined) throw new InputError('bad-flag', 'applies only to --predictor lut', { path: '--folds', expected: 'no such flag with --predictor transfer', actual: JSON.stringify(f.folds) });
    if (f['report-dir'] !== undefined) throw new InputError('bad-flag', 'applies only to --predictor lut', { path: '--report-dir', expected: 'no such flag with --predictor transfer', actual: JSON.stringify(f['report-dir']) });
    checkOutFile(f.out);
    const report = await profileTransfer(device, space, {
      samples: intFlag(f.samples, '--samples', 10, 3, MAX_PROFILE_SAMPLES),
      check: intFlag(f.check, '--check', 200, 0, MAX_PROFILE_SAMPLES),
      seed: intFlag(f.seed, '--seed', 0, 0, 2 ** 32 - 1),
      statistic: choiceFlag(f.statistic, '--statistic', ['min', 'median'] as const, 'min'),
      ...(f.rounds !== undefined && { rounds: intFlag(f.rounds, '--rounds', 6, 1, MAX_ROUNDS) }),
      ...(f.out !== undefined ? { outFile: resolve(f.out) } : {}),
    }, (line) => io.err(`${line}\n`));
    io.out(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : transferCsv(report));
    return 0;
  }
  if (f.check !== undefined) throw new InputError('bad-flag', 'applies only to --predictor transfer', { path: '--check', expected: 'no such flag with --predictor lut', actual: JSON.stringify(f.check) });
  const samples = intFlag(f.samples, '--samples', 20, 2, MAX_PROFILE_SAMPLES);
  const statistic = choiceFlag(f.statistic, '--statistic', ['min', 'median'] as const, 'min');
  const seed = intFlag(f.seed, '--seed', 0, 0, 2 ** 32 - 1);
  const folds = intFlag(f.folds, '--folds', 5, 2, samples);
  const rounds = intFlag(f.rounds, '--rounds', device.timing.minRounds, 1, MAX_ROUNDS);
  const outDir = checkOutFile(f.out);
  let report: ProfileReport;
  try {
    report = await profileDevice(device, space, {
      samples, statistic, seed, folds, rounds,
      ...(f.out !== undefined ? { outFile: resolve(f.out) } : {}),
    }, (line) => io.err(`${line}\n`));
  } catch (e) {
    if (outDir?.created !== undefined) rmSync(outDir.created, { recursive: true, force: true });
    throw e;
  }
  const { writeProfileDir } = await import('../report/profile-files.ts');
  // Beside the LUT when --out names it, else a new folder under results/.
  const reportDir = f['report-dir'] ?? (f.out !== undefined
    ? join(dirname(resolve(f.out)), `${basename(f.out, '.json')}-profile`)
    : `results/${new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}-profile-${device.id}-${space.id}`);
  writeProfileDir(reportDir, report, { device: device.id, space: space.id, deviceProfile: device, samples, statistic: report.statistic, rounds: report.rounds, seed: intFlag(f.seed, '--seed', 0), node: process.version });
  io.err(`profile: results in ${reportDir}/ (hwnas report ${reportDir})\n`);
  io.out(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : csv(report));
  const noisy = timingWarnings(io, [timingQualityOfProfile(report)]);
  return f['strict-timing'] && noisy > 0 ? strictTimingExit(io) : 0;
}

/** `hwnas profile`. */
export const profileCommand: Command = {
  name: 'profile',
  summary: 'build a per-layer latency LUT of a space on a measured device and check its accuracy',
  usage,
  run,
};
