import { stringify } from 'csv-stringify/sync';
import { resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { loadDevice } from '../latency/device-profile.ts';
import { profileDevice, type ProfileReport } from '../latency/lut-profile.ts';
import { profileTransfer, type TransferProfileReport } from '../latency/transfer-profile.ts';
import { loadSpace } from '../space/space-registry.ts';
import type { Command } from './command.ts';
import type { Io } from '../util/io.ts';
import { choiceFlag, intFlag, parseFlags, requireFlag } from './flags.ts';

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
} as const;

const usage = `usage: hwnas profile --device D --space S [--samples N] [--seed S] [--folds K] [--out FILE] [--statistic min|median] [--rounds R] [--format json|csv]
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
  --samples N    whole models to measure (default 20)
  --seed S       seed of the model sample and the folds (default 0)
  --folds K      folds of the fitted predictor (default 5)
  --out FILE     where to write the LUT (default devices/luts/<D>-<S>.json)
  --statistic T  latency of a graph = min (default) or median of its timed runs; min is the more
                 repeatable where other work shares the machine. A LUT profiled with min predicts
                 the fastest run, a few % below the median that searches report as latencyMs
  --rounds R     visit every layer and model R times round-robin per pass (a fresh session each
                 visit) and combine the visits with the statistic (default 3), so that a slow spell
                 of the machine spoils one visit of a graph, not its latency
  --format F     json (default) or csv
  --predictor P  lut (default: the steps above) or transfer: measure N architectures of a space with a
                 latency table (nb201, fbnet-cifar100), predict all others from the table's devices as
                 prior (written to FILE, default devices/luts/<D>-<S>-transfer.json), then measure M
                 more (--check, default 200) and report Spearman, within10 etc. against them, beside the
                 layer-wise NNLS model fitted on the same N and FLOPs; csv: one row per measured
                 architecture. --samples defaults to 10 here; --statistic and --rounds time the
                 architectures as above; --folds does not apply
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
    const report = await profileTransfer(device, space, {
      samples: intFlag(f.samples, '--samples', 10, 3, 100_000),
      check: intFlag(f.check, '--check', 200, 0, 100_000),
      seed: intFlag(f.seed, '--seed', 0, 0, 2 ** 32 - 1),
      statistic: choiceFlag(f.statistic, '--statistic', ['min', 'median'] as const, 'min'),
      rounds: intFlag(f.rounds, '--rounds', 3, 1, 100),
      ...(f.out !== undefined ? { outFile: resolve(f.out) } : {}),
    }, (line) => io.err(`${line}\n`));
    io.out(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : transferCsv(report));
    return 0;
  }
  if (f.check !== undefined) throw new InputError('bad-flag', 'applies only to --predictor transfer', { path: '--check', expected: 'no such flag with --predictor lut', actual: JSON.stringify(f.check) });
  const samples = intFlag(f.samples, '--samples', 20, 2, 100_000);
  const report = await profileDevice(device, space, {
    samples,
    statistic: choiceFlag(f.statistic, '--statistic', ['min', 'median'] as const, 'min'),
    seed: intFlag(f.seed, '--seed', 0, 0, 2 ** 32 - 1),
    folds: intFlag(f.folds, '--folds', 5, 2, 1000),
    rounds: intFlag(f.rounds, '--rounds', 3, 1, 100),
    ...(f.out !== undefined ? { outFile: resolve(f.out) } : {}),
  }, (line) => io.err(`${line}\n`));
  io.out(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : csv(report));
  return 0;
}

/** `hwnas profile`. */
export const profileCommand: Command = {
  name: 'profile',
  summary: 'build a per-layer latency LUT of a space on a measured device and check its accuracy',
  usage,
  run,
};
