import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Repository root. */
export const ROOT = resolve(import.meta.dirname, '../..');

function newestMtimeMs(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtimeMs(p) : statSync(p).mtimeMs);
  }
  return t;
}

let distIsFresh: boolean | undefined;

/**
 * Whether dist/ was built after the last change to src/ (`npm test` builds it first): then child
 * processes run the compiled CLI, which starts twice as fast as tsx on the sources.
 */
function useDist(): boolean {
  if (distIsFresh === undefined) {
    try {
      distIsFresh = statSync(resolve(ROOT, 'dist/.built')).mtimeMs >= newestMtimeMs(resolve(ROOT, 'src'));
    } catch {
      distIsFresh = false;
    }
  }
  return distIsFresh;
}

/**
 * The command line that runs the CLI in a child process: the compiled dist/ when it is up to date
 * with src/, else the sources through tsx (as the tests themselves run).
 */
export function cliArgv(args: readonly string[]): [string, string[]] {
  if (useDist()) return [process.execPath, [resolve(ROOT, 'dist/cli/bin.js'), ...args]];
  // tsx resolved here, not from the child's working folder (which may be any temporary folder).
  return [process.execPath, ['--import', import.meta.resolve('tsx'), resolve(ROOT, 'src/cli/bin.ts'), ...args]];
}

/** Start the CLI in a child process (cwd: the repository root unless given). */
export function spawnCli(args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  const [cmd, argv] = cliArgv(args);
  return spawn(cmd, argv, { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Run the CLI in a child process to the end; collect exit code, stdout and stderr. With `timeoutMs`
 * the child is killed with SIGKILL when it passes it (`timedOut`: a hang is a failure, never a wait).
 */
export function runCliProcess(
  args: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string; timedOut: boolean }> {
  return new Promise((done, fail) => {
    const child = spawnCli(args, opts);
    let out = '';
    let err = '';
    let timedOut = false;
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, opts.timeoutMs)
      : undefined;
    child.on('error', fail);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      done({ code, signal, out, err, timedOut });
    });
  });
}

/** The CLI's contract for refused input: exactly one stderr line, no stack trace. */
export function isOneLine(stderr: string): boolean {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  return lines.length === 1 && !/\n\s+at /.test(stderr);
}
