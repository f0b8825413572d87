import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * How a child process starts the CLI: `node <CLI_ENTRY> <args>`. The one line to change when the
 * `hwnas` bin moves (e.g. to compiled dist/).
 */
export const CLI_ENTRY = fileURLToPath(new URL('../../bin/hwnas.js', import.meta.url));

export interface CliProcessResult {
  /** Exit code, or null when killed. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the time limit passed and the process was killed with SIGKILL. */
  timedOut: boolean;
}

export interface CliProcessOptions {
  /** Kill with SIGKILL after this long (a hang is a failure, never a wait). @defaultValue 120000 */
  timeoutMs?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Run `hwnas <args>` in a child process; never waits longer than the time limit. */
export function runCliProcess(args: readonly string[], opts: CliProcessOptions = {}): Promise<CliProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 120_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** The CLI's contract for refused input: exactly one stderr line, no stack trace. */
export function isOneLine(stderr: string): boolean {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  return lines.length === 1 && !/\n\s+at /.test(stderr);
}
