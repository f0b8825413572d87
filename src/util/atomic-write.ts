import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../errors.ts';
import { ensureWritableDir } from './writable-dir.ts';

/**
 * Write a file whole or not at all: write `<file>.tmp-<pid>`, then rename over `file`. Its folder is
 * made with {@link ensureWritableDir} (so a folder on procfs or under a file is refused, never a
 * hang). A failure (no permission, disk full, a folder in the way) is an {@link InputError} (`io`)
 * naming the file; the temporary file is removed, and removing it never throws in its turn.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  try {
    ensureWritableDir(dirname(file));
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new InputError('io', `cannot write file: its folder ${e.reason.replace(/^output folder /, '')}`, { file, ...(e.expected !== undefined && { expected: e.expected }) });
  }
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The write failed for a reason that also stops the clean-up (e.g. ENOTDIR): nothing was made.
    }
    throw new InputError('io', `cannot write file (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { file });
  }
}
