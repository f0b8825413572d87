import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { canonicalJson } from '../util/content-hash.ts';
import { ensureWritableDir } from '../util/writable-dir.ts';
import { pidAlive } from '../util/pid-alive.ts';

/** Settings that must be equal for a run to be resumed, by name; each value compared as canonical JSON. */
export type Fingerprint = Readonly<Record<string, unknown>>;

/** What {@link ResultsFolder.open} needs. */
export interface ResultsFolderOptions {
  /** The folder (`--out`). */
  dir: string;
  /** What kind of run writes it (`search`, `compare`, …); a folder of another kind is refused. */
  kind: string;
  /** Settings a resumed run must share with the one in the folder. */
  fingerprint: Fingerprint;
  /** Continue the run in the folder. @defaultValue false */
  resume?: boolean;
  /** Flag named in messages about the folder. @defaultValue '--out' */
  flag?: string;
}

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

const short = (v: unknown) => {
  const s = canonicalJson(v) ?? 'nothing';
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
};

/**
 * The output folder of a run: `config.json` (with the settings' fingerprint), an exclusive lock while
 * a run writes it, and the check that a resumed run has the same settings. Nothing is written until
 * {@link ResultsFolder.claim}, which the caller does only after every input was checked.
 */
export class ResultsFolder {
  private locked = false;
  private readonly releaseOnExit = () => this.release();

  private constructor(readonly dir: string, private readonly o: ResultsFolderOptions, readonly resuming: boolean) {}

  /**
   * Check the folder: a new one, or (with `resume`) a run of the same kind and fingerprint. A folder
   * holding a run without `resume`, or with other settings, is an {@link InputError} that says which
   * setting changed.
   */
  static open(o: ResultsFolderOptions): ResultsFolder {
    const flag = o.flag ?? '--out';
    const configFile = join(o.dir, 'config.json');
    if (!existsSync(configFile)) {
      // Resuming a folder that holds files but no config.json would reuse journals of unknown settings.
      // (No folder, or an empty one, has nothing to reuse: the run starts anew, as without --resume.)
      if (o.resume && existsSync(o.dir) && statSync(o.dir).isDirectory() && readdirSync(o.dir).length > 0) {
        throw new InputError('io', 'cannot resume: the folder holds no config.json, so the settings of what it holds cannot be checked', {
          file: o.dir, expected: `a ${flag} folder an earlier ${o.kind} run wrote (with its config.json), or a new ${flag} folder`,
        });
      }
      // A folder that cannot be made (procfs, under a file, no permission) is refused now; what the
      // check created is removed again, since nothing is written before the run starts.
      const probe = ensureWritableDir(o.dir, flag);
      if (probe.created !== undefined) rmSync(probe.created, { recursive: true, force: true });
      return new ResultsFolder(o.dir, o, false);
    }
    if (!o.resume) throw new InputError('io', `output folder already holds a ${o.kind} run`, { file: o.dir, expected: `a new ${flag} folder, or --resume to continue it` });
    let old: Record<string, unknown>;
    try {
      old = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
    } catch {
      throw new InputError('bad-json', 'cannot resume: config.json is not valid JSON', { file: configFile });
    }
    if (old.kind !== o.kind) throw new InputError('incompatible', `cannot resume: the folder holds a ${String(old.kind ?? 'older')} run, not a ${o.kind} run`, { file: configFile });
    const before = (old.fingerprint ?? {}) as Record<string, unknown>;
    const changed = Object.keys({ ...before, ...o.fingerprint }).filter((k) => canonicalJson(before[k]) !== canonicalJson(o.fingerprint[k]));
    if (changed.length > 0) {
      const what = changed.map((k) => `${k} (was ${short(before[k])}, now ${short(o.fingerprint[k])})`).join('; ');
      throw new InputError('incompatible', `cannot resume: settings changed since the run: ${what}`, { file: configFile, expected: 'the same settings as the run in this folder, or a new --out' });
    }
    return new ResultsFolder(o.dir, o, true);
  }

  /**
   * Take the folder: create it, take the lock (`.lock`, created exclusively, holding pid, host and
   * start time; a lock left by a dead process on this host is taken over) and write `config.json`.
   * Another live run holding the lock is an {@link InputError}.
   */
  claim(config: Record<string, unknown>): void {
    ensureWritableDir(this.dir, this.o.flag ?? '--out');
    const lockFile = join(this.dir, '.lock');
    const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    for (let attempt = 0; ; attempt++) {
      try {
        const fd = openSync(lockFile, 'wx');
        writeSync(fd, JSON.stringify(me));
        closeSync(fd);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) {
          throw new InputError('io', `cannot lock the output folder (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { file: lockFile });
        }
        let owner: Partial<LockOwner> = {};
        try {
          owner = JSON.parse(readFileSync(lockFile, 'utf8')) as Partial<LockOwner>;
        } catch {
          // a lock file cut short: its owner died while writing it
        }
        const stale = owner.host === me.host && typeof owner.pid === 'number' && !pidAlive(owner.pid);
        const torn = owner.pid === undefined;
        if (!stale && !torn) {
          throw new InputError('io', `output folder is in use by another run (pid ${owner.pid} on ${owner.host} since ${owner.since})`, { file: this.dir, expected: 'another --out folder, or wait until that run ends' });
        }
        rmSync(lockFile, { force: true });
      }
    }
    this.locked = true;
    process.once('exit', this.releaseOnExit);
    writeFileAtomic(join(this.dir, 'config.json'), `${JSON.stringify({ hwnas: 1, kind: this.o.kind, fingerprint: this.o.fingerprint, ...config }, null, 2)}\n`);
  }

  /** Add facts known only at the end of the run (load after, timing quality) to `config.json`, atomically. */
  amendConfig(extra: Record<string, unknown>): void {
    if (!this.locked) return;
    const file = join(this.dir, 'config.json');
    const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileAtomic(file, `${JSON.stringify({ ...config, ...extra }, null, 2)}\n`);
  }

  /** Drop the lock (the run ended or failed). */
  release(): void {
    if (!this.locked) return;
    this.locked = false;
    process.removeListener('exit', this.releaseOnExit);
    rmSync(join(this.dir, '.lock'), { force: true });
  }
}
