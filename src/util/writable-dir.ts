import { accessSync, constants, mkdirSync, rmdirSync, statfsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.ts';

/**
 * Kernel pseudo-filesystems, by `statfs` magic number (linux/magic.h). They hold no user files:
 * `mkdir -p` on procfs never returns (node's recursive mkdir loops on its ENOENT), and writes to
 * sysfs or cgroupfs change the kernel.
 */
const PSEUDO_FILESYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'procfs'],
  [0x62656572, 'sysfs'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x27e0eb, 'cgroupfs'],
  [0x63677270, 'cgroup2fs'],
  [0xcafe4a11, 'bpffs'],
  [0x6e736673, 'nsfs'],
  [0x1cd1, 'devpts'],
  [0x62656570, 'configfs'],
  [0x42494e4d, 'binfmt_misc'],
  [0xf97cff8c, 'selinuxfs'],
  [0x6165676c, 'pstore'],
  [0xde5e81e4, 'efivarfs'],
  [0x19800202, 'mqueue'],
]);

/** A folder made ready by {@link ensureWritableDir}. */
export interface WritableDir {
  /** The absolute folder. */
  dir: string;
  /** The topmost folder this call created (remove it to undo), if it created any. */
  created?: string;
}

const code = (e: unknown): string => (e as NodeJS.ErrnoException)?.code ?? 'error';

/**
 * Make `dir` an existing, writable folder on a real filesystem, creating missing folders one at a
 * time (never node's recursive mkdir, which loops forever on procfs). Refuses, as an `InputError`
 * naming `flag` (or the folder itself when no flag is given): an empty path, a path that is or lies
 * under a file, a kernel pseudo-filesystem (procfs, sysfs…), and a folder it cannot create or write
 * to (with the errno code). On refusal nothing it created is left behind. Never hangs.
 */
export function ensureWritableDir(dir: string, flag?: string): WritableDir {
  const fail = (message: string, expected: string, actual = dir): never => {
    throw new InputError('io', message, flag ? { path: flag, expected, actual: JSON.stringify(actual) } : { file: dir, expected });
  };
  if (typeof dir !== 'string' || dir.trim() === '') fail('empty output folder', 'a folder path');
  if (dir.includes('\0')) fail('folder path holds a NUL character', 'a folder path');
  const abs = resolve(dir);
  // Walk up to the nearest existing ancestor; everything below it is to be created.
  const missing: string[] = [];
  let cur = abs;
  for (;;) {
    let isDir: boolean;
    try {
      isDir = statSync(cur).isDirectory();
    } catch (e) {
      const c = code(e);
      if (c !== 'ENOENT' && c !== 'ENOTDIR') fail(`cannot use the folder (${c})`, 'a folder hwnas can create and write to');
      const up = dirname(cur);
      if (up === cur) fail('no existing ancestor folder', 'a folder path');
      missing.unshift(cur);
      cur = up;
      continue;
    }
    if (!isDir) {
      if (cur === abs) fail('output folder is a file', 'a folder (or a path to create one)');
      fail(`output folder lies under a file (${cur})`, 'a folder path whose parents are folders');
    }
    break;
  }
  let fsType: number | undefined;
  try {
    fsType = Number(statfsSync(cur).type);
  } catch {
    fsType = undefined;
  }
  const pseudo = fsType === undefined ? undefined : PSEUDO_FILESYSTEMS.get(fsType);
  if (pseudo) fail(`output folder is on ${pseudo}, a kernel filesystem`, 'a folder on a disk or tmpfs');
  const created = missing[0];
  const undo = (): void => {
    if (created === undefined) return;
    for (const p of missing.slice().reverse()) {
      try {
        rmdirSync(p);
      } catch {
        // Not ours to remove any more (someone wrote into it), or already gone.
      }
    }
  };
  try {
    for (const p of missing) {
      try {
        mkdirSync(p);
      } catch (e) {
        // Another process may have created it meanwhile; a folder is fine.
        if (code(e) !== 'EEXIST' || !statSync(p).isDirectory()) throw e;
      }
    }
    accessSync(abs, constants.W_OK | constants.X_OK);
  } catch (e) {
    undo();
    fail(`cannot create or write to the folder (${code(e)})`, 'a folder hwnas can create and write to');
  }
  return created === undefined ? { dir: abs } : { dir: abs, created };
}
