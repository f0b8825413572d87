import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/** Repository root. */
export const ROOT = resolve(import.meta.dirname, '../..');

/** The command line that runs the CLI from the sources in a child process (tsx, as the tests themselves run). */
export function cliArgv(args: readonly string[]): [string, string[]] {
  return [process.execPath, ['--import', 'tsx', resolve(ROOT, 'src/cli/bin.ts'), ...args]];
}

/** Start the CLI in a child process (cwd: the repository root unless given). */
export function spawnCli(args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  const [cmd, argv] = cliArgv(args);
  return spawn(cmd, argv, { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Run the CLI in a child process to the end; collect exit code, stdout and stderr. */
export function runCliProcess(args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }> {
  return new Promise((done, fail) => {
    const child = spawnCli(args, opts);
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.on('error', fail);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      done({ code, signal, out, err });
    });
  });
}
