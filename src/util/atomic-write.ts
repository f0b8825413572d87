import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../errors.ts';

/**
 * Write a file whole or not at all: write `<file>.tmp-<pid>`, then rename over `file`. A failure
 * (no permission, disk full) is an {@link InputError} (`io`) naming the file.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new InputError('io', `cannot write file (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { file });
  }
}
