import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../errors.ts';
import { MAX_ARCHS_FILE_BYTES } from '../limits.ts';
import type { Rng } from '../util/rng.ts';
import { genotypeAt, spaceSize, type Genotype, type SearchSpace } from './search-space.ts';

/** An architecture named by the user, with where it came from. */
export interface ArchEntry {
  arch: string;
  genotype: Genotype;
}

/** Decode one arch string; a malformed one is an {@link InputError} naming the flag. */
export function parseArch(space: SearchSpace, arch: string, flag = '--arch'): ArchEntry {
  try {
    const genotype = space.decode(arch.trim());
    return { arch: space.encode(genotype), genotype };
  } catch (e) {
    if (e instanceof InputError) throw new InputError(e.code, e.message, { path: flag });
    throw e;
  }
}

/**
 * Read an archs file: one arch string per line; blank lines and lines starting with `#` are skipped.
 * A malformed line is an {@link InputError} naming the file and line number.
 */
export function readArchsFile(space: SearchSpace, file: string): ArchEntry[] {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_ARCHS_FILE_BYTES) throw new InputError('io', 'archs file too large', { file, expected: `at most ${MAX_ARCHS_FILE_BYTES / 1024 / 1024} MiB`, actual: `${(size / 1024 / 1024).toFixed(0)} MiB` });
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError('io', `cannot read archs file (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { file });
  }
  const out: ArchEntry[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const s = line.trim();
    if (s === '' || s.startsWith('#')) return;
    try {
      const genotype = space.decode(s);
      out.push({ arch: space.encode(genotype), genotype });
    } catch (e) {
      if (e instanceof InputError) throw new InputError(e.code, e.message, { file, path: `line ${i + 1}` });
      throw e;
    }
  });
  if (out.length === 0) throw new InputError('bad-arch', 'archs file lists no architecture', { file, expected: 'one arch string per line' });
  return out;
}

/** Every architecture of the space in index order (first decision most significant). */
export function allArchs(space: SearchSpace, limit = 1_000_000): ArchEntry[] {
  const n = spaceSize(space);
  if (n > limit) throw new InputError('bad-flag', `space ${space.id} has ${n} architectures, too many to enumerate`, { path: '--all', expected: `at most ${limit}` });
  const out: ArchEntry[] = [];
  for (let i = 0; i < n; i++) {
    const genotype = genotypeAt(space, i);
    out.push({ arch: space.encode(genotype), genotype });
  }
  return out;
}

/** `n` uniformly sampled architectures (a uniform choice per decision; repeats possible). */
export function randomArchs(space: SearchSpace, n: number, rng: Rng): ArchEntry[] {
  const out: ArchEntry[] = [];
  for (let k = 0; k < n; k++) {
    const genotype = space.decisions.map((d) => rng.int(d.choices.length));
    out.push({ arch: space.encode(genotype), genotype });
  }
  return out;
}
