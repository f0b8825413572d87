import { spawn } from 'node:child_process';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** How to run a user's program: argv (no shell), environment, limits, where its stderr goes. */
export interface RunProgramOptions {
  /** Program and arguments; the program is looked up on PATH when it has no `/`. */
  readonly argv: readonly string[];
  /** The program's whole environment. @defaultValue this process's */
  readonly env?: NodeJS.ProcessEnv;
  /** @defaultValue this process's working folder */
  readonly cwd?: string;
  /** Wall-clock limit: then SIGTERM to the program's process group, SIGKILL {@link RunProgramOptions.killGraceMs} later. */
  readonly timeoutMs: number;
  /** Time between SIGTERM and SIGKILL after a timeout. @defaultValue 5000 */
  readonly killGraceMs?: number;
  /** File the program's stderr is written to (created or truncated). */
  readonly stderrFile: string;
  /** Bytes of stdout kept (the end of it). @defaultValue 1 MiB */
  readonly maxStdoutBytes?: number;
}

/** How a program run ended. */
export interface ProgramRun {
  /** Exit code, or null when a signal ended it. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** It passed {@link RunProgramOptions.timeoutMs} and was killed. */
  readonly timedOut: boolean;
  /** The end of its stdout (at most `maxStdoutBytes`), as UTF-8. */
  readonly stdout: string;
  /** Bytes of stdout dropped from the front. */
  readonly stdoutDroppedBytes: number;
  /** Wall time from spawn to exit, in ms. */
  readonly ms: number;
  /** Why it could not start (`ENOENT`…); the other fields are then empty. */
  readonly spawnError?: string;
}

/** Process groups of programs running now: killed when this process exits or is stopped by a signal. */
const running = new Set<number>();
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is gone already.
  }
}

function killAll(): void {
  for (const g of running) killGroup(g, 'SIGKILL');
}

/**
 * A stop signal kills the running programs, then, when nothing else in this process listens for
 * it, does what it would have done without this listener (ends the process). A process that handles
 * the signal itself (a server finishing its work) keeps its programs until it exits.
 */
function onStopSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  killAll();
  uninstall();
  process.kill(process.pid, signal);
}

let installed = false;
function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAll);
  for (const s of STOP_SIGNALS) process.on(s, onStopSignal);
}
function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', killAll);
  for (const s of STOP_SIGNALS) process.off(s, onStopSignal);
}

/** The last `maxBytes` of a file as UTF-8 (a partial first character dropped); '' when unreadable. */
export function fileTail(file: string, maxBytes: number): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const n = Math.min(size, maxBytes);
    const buf = Buffer.alloc(n);
    readSync(fd, buf, 0, n, size - n);
    return buf.toString('utf8').replace(/^\uFFFD+/, '');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Run a program to its end, never through a shell. It runs in a process group of its own, so that a
 * timeout stops everything it started (its data-loader workers, a shell's children): SIGTERM to the
 * group, SIGKILL to the group `killGraceMs` later. When the program exits, whatever it left running in
 * its group is killed too. While it runs, this process ending (or a SIGINT, SIGTERM or SIGHUP that
 * nothing else here handles) kills its group; only a SIGKILL of this process leaves it running (its
 * stdout then breaks at its next write). Its stdin is `/dev/null`; its stderr goes to `stderrFile`;
 * its stdout is kept in memory (the last `maxStdoutBytes`). Never rejects: a program that cannot
 * start comes back with {@link ProgramRun.spawnError}.
 */
export function runProgram(o: RunProgramOptions): Promise<ProgramRun> {
  const maxStdout = o.maxStdoutBytes ?? 1024 * 1024;
  const t0 = performance.now();
  return new Promise<ProgramRun>((resolve) => {
    const errFd = openSync(o.stderrFile, 'w');
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(o.argv[0]!, o.argv.slice(1), { cwd: o.cwd, env: o.env ?? process.env, detached: true, stdio: ['ignore', 'pipe', errFd] });
    } finally {
      closeSync(errFd); // the child holds its own copy
    }
    let out: Buffer = Buffer.alloc(0);
    let dropped = 0;
    child.stdout!.on('data', (d: Buffer) => {
      out = out.length === 0 ? d : Buffer.concat([out, d]);
      if (out.length > 2 * maxStdout) {
        dropped += out.length - maxStdout;
        out = out.subarray(out.length - maxStdout);
      }
    });
    const pgid = child.pid;
    if (pgid !== undefined) {
      install();
      running.add(pgid);
    }
    let timedOut = false;
    let grace: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      if (pgid === undefined) return;
      killGroup(pgid, 'SIGTERM');
      grace = setTimeout(() => killGroup(pgid, 'SIGKILL'), o.killGraceMs ?? 5000);
    }, o.timeoutMs);
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let settled = false;
    const finish = (spawnError?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(grace);
      if (pgid !== undefined) {
        killGroup(pgid, 'SIGKILL'); // anything the program left behind
        running.delete(pgid);
        if (running.size === 0) uninstall();
      }
      if (out.length > maxStdout) {
        dropped += out.length - maxStdout;
        out = out.subarray(out.length - maxStdout);
      }
      resolve({
        code: exit?.code ?? null, signal: exit?.signal ?? null, timedOut, stdout: out.toString('utf8'), stdoutDroppedBytes: dropped,
        ms: performance.now() - t0, ...(spawnError !== undefined && { spawnError }),
      });
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (pgid === undefined) finish(e.code ?? e.message);
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      if (pgid !== undefined) killGroup(pgid, 'SIGKILL');
      // stdout closes once the group is gone; a descendant that left the group (setsid) and holds it
      // open is not waited for.
      setTimeout(() => finish(), 2000).unref();
    });
    child.on('close', () => {
      if (exit) finish();
    });
  });
}
