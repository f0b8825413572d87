import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { MAX_EXPORTS } from '../limits.ts';
import { MAX_OPSET, MIN_OPSET, toOnnx } from '../graph/onnx-export.ts';
import { WEIGHT_SEED } from '../runtime/ort-runtime.ts';
import { Rng } from '../util/rng.ts';
import { parseArch, randomArchs, readArchsFile, type ArchEntry } from '../space/arch-list.ts';
import { loadSpace } from '../space/space-registry.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { ensureWritableDir } from '../util/writable-dir.ts';
import type { Command } from './command.ts';
import type { Io } from '../util/io.ts';
import { intFlag, parseFlags, requireFlag } from './flags.ts';

const flags = {
  space: { type: 'string' },
  arch: { type: 'string', multiple: true },
  'archs-file': { type: 'string' },
  random: { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  opset: { type: 'string' },
} as const;

const usage = `usage: hwnas export --space S (--arch A [--arch B ...] | --archs-file F | --random N [--seed S]) --out DIR [--opset 13]

Writes each architecture as an ONNX model, DIR/1.onnx, DIR/2.onnx, ... in input order, and
DIR/archs.txt listing "<n><TAB><arch>", written last: a folder with archs.txt holds a finished export.
Numbered models of an earlier export into DIR beyond the new count are removed; other files stay. The models are exactly those the ort-* runtimes measure:
input "input" [1, C, H, W] float32, output "output" [1, classes], He-normal weights (seed ${WEIGHT_SEED}),
identity batch norms.

  --space S        built-in space id or path to a space .json file
  --arch A         an arch string of the space (repeatable)
  --archs-file F   one arch per line; blank lines and lines starting with # are ignored
  --random N       N architectures sampled uniformly (one uniform choice per decision), N ≤ ${MAX_EXPORTS}
  --seed S         seed of --random (default 0)
  --out DIR        output folder (created if missing)
  --opset K        ONNX opset, ${MIN_OPSET}..${MAX_OPSET} (default ${MIN_OPSET})
`;

async function run(argv: readonly string[], io: Io): Promise<number> {
  const f = parseFlags(argv, flags);
  const space = loadSpace(requireFlag(f.space, '--space', 'a space id or .json file'));
  const out = requireFlag(f.out, '--out', 'an output folder');
  const opset = intFlag(f.opset, '--opset', MIN_OPSET, MIN_OPSET, MAX_OPSET);
  const sources = [f.arch !== undefined, f['archs-file'] !== undefined, f.random !== undefined].filter(Boolean).length;
  if (sources !== 1) {
    throw new InputError('bad-flag', 'give exactly one source of architectures', { path: '--arch', expected: 'one of --arch, --archs-file, --random', actual: `${sources} given` });
  }
  if (f.seed !== undefined && f.random === undefined) {
    throw new InputError('bad-flag', '--seed only applies to --random', { path: '--seed' });
  }

  // Every arch is decoded and built before anything is written: a bad one leaves no files.
  let items: ArchEntry[];
  if (f.arch) items = f.arch.map((arch) => parseArch(space, arch));
  else if (f['archs-file'] !== undefined) items = readArchsFile(space, f['archs-file']);
  else {
    const n = intFlag(f.random, '--random', 1, 1, MAX_EXPORTS);
    const seed = intFlag(f.seed, '--seed', 0, 0, 0xffffffff);
    items = randomArchs(space, n, new Rng(seed));
  }
  if (items.length > MAX_EXPORTS) {
    throw new InputError('bad-flag', 'too many architectures to export', { path: f.arch ? '--arch' : '--archs-file', expected: `at most ${MAX_EXPORTS}`, actual: String(items.length) });
  }
  const graphs = items.map((it) => {
    try {
      return space.build(it.genotype);
    } catch (e) {
      // A shape this architecture cannot have is the space file's: name it and the arch.
      if (!(e instanceof InputError)) throw e;
      const d = { file: space.file, ...(e.expected !== undefined && { expected: e.expected }), ...(e.actual !== undefined && { actual: e.actual }) };
      throw new InputError(e.code, `arch ${JSON.stringify(it.arch)} cannot be built (${e.path !== undefined ? `${e.path}: ` : ''}${e.reason})`, d);
    }
  });

  const { dir, created } = ensureWritableDir(out, '--out');
  let bytes = 0;
  try {
    // The index goes first and comes back last: a half-finished export has none that lies.
    removeFile(join(dir, 'archs.txt'));
    graphs.forEach((g, i) => {
      const model = toOnnx(g, { opset, seed: WEIGHT_SEED });
      bytes += model.byteLength;
      writeFileAtomic(join(dir, `${i + 1}.onnx`), model);
      if (io.isTty) io.err(`\rexport ${i + 1}/${graphs.length}`);
    });
    if (io.isTty) io.err('\n');
    for (const name of readdirSync(dir)) {
      const n = /^([1-9]\d*)\.onnx$/.exec(name)?.[1];
      if (n !== undefined && Number(n) > graphs.length) removeFile(join(dir, name));
    }
    writeFileAtomic(join(dir, 'archs.txt'), items.map((it, i) => `${i + 1}\t${it.arch}\n`).join(''));
  } catch (e) {
    if (created !== undefined) rmSync(created, { recursive: true, force: true });
    throw e;
  }
  io.out(`wrote ${graphs.length} ONNX model${graphs.length === 1 ? '' : 's'} of ${space.id} (opset ${opset}, ${(bytes / 1e6).toFixed(1)} MB) and archs.txt to ${dir}\n`);
  return 0;
}

/** Remove a file if it exists; a failure is an `InputError` naming it. */
function removeFile(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch (e) {
    throw new InputError('io', `cannot remove an earlier export's file (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { file });
  }
}

/** `hwnas export`: architectures of a space as ONNX files. */
export const exportCommand: Command = {
  name: 'export',
  summary: 'write architectures of a space as ONNX models (1.onnx, 2.onnx, ... + archs.txt)',
  usage,
  run,
};
