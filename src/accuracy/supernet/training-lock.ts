import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * One trainer per supernet: a lock file (`<dir>/training.lock`, created exclusively, holding
 * `<host> <pid>`) that a second process training the same supernet waits on instead of training it
 * twice. A lock whose process is gone (killed, even with SIGKILL) is taken over; its checkpoint is
 * resumed. A lock held by another host is waited on for as long as it exists.
 */
export interface TrainingLock {
  release(): void;
}

function holder(file: string): { host: string; pid: number } | undefined {
  try {
    const [host, pid] = readFileSync(file, 'utf8').trim().split(' ');
    return host && pid && /^\d+$/.test(pid) ? { host, pid: Number(pid) } : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
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
      return { release: () => rmSync(file, { force: true }) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const h = holder(file);
      const stale = !h || (h.host === hostname() && h.pid !== process.pid && !alive(h.pid));
      if (!stale) return undefined;
      rmSync(file, { force: true });
    }
  }
  return undefined;
}
