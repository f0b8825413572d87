import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { pidAlive } from '../../util/pid-alive.ts';

/**
 * One trainer per supernet: a lock file (`<dir>/training.lock`, created exclusively, holding
 * `<host> <pid>`) that a second process training the same supernet waits on instead of training it
 * twice. The holder touches the file after every training step. A lock is taken over (and the
 * checkpoint resumed) when its process on this host is gone (killed, even with SIGKILL), or when it
 * has not been touched for {@link STALE_LOCK_MS} (a holder on another host, or a worker thread of
 * this process that was terminated).
 */
export interface TrainingLock {
  /** Say the holder is alive (updates the file's time). */
  touch(): void;
  release(): void;
}

/** A lock untouched for this long is abandoned. */
export const STALE_LOCK_MS = 10 * 60 * 1000;

function holder(file: string): { host: string; pid: number } | undefined {
  try {
    const [host, pid] = readFileSync(file, 'utf8').trim().split(' ');
    return host && pid && /^\d+$/.test(pid) ? { host, pid: Number(pid) } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Take the lock of `dir`, or `undefined` while a live process holds it (call again later). Takes
 * over a lock whose holder on this host is dead, or that is unreadable.
 */
export function tryTrainingLock(dir: string): TrainingLock | undefined {
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/training.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, `${hostname()} ${process.pid}\n`);
      closeSync(fd);
      return {
        touch: () => {
          try {
            const now = new Date();
            utimesSync(file, now, now);
          } catch {
            // Removed by someone who judged it stale: training goes on, its results are the same.
          }
        },
        release: () => rmSync(file, { force: true }),
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const h = holder(file);
      let age = 0;
      try {
        age = Date.now() - statSync(file).mtimeMs;
      } catch {
        continue;
      }
      const stale = !h || age > STALE_LOCK_MS || (h.host === hostname() && h.pid !== process.pid && !pidAlive(h.pid));
      if (!stale) return undefined;
      rmSync(file, { force: true });
    }
  }
  return undefined;
}
