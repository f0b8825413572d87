import { spawn, type ChildProcess } from 'node:child_process';
import { cliArgv } from '../helpers/cli-process.ts';

/** Run `hwnas ARGS` as a child process; resolves with its exit code and output. */
export function hwnas(args: readonly string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const [cmd, argv] = cliArgv(args);
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** Start `hwnas ARGS` and wait until its stdout matches `ready`; the child keeps running. */
export function startHwnas(args: readonly string[], ready: RegExp, timeoutMs = 60_000): Promise<{ child: ChildProcess; match: RegExpExecArray; output: () => string }> {
  return new Promise((resolve, reject) => {
    const [cmd, argv] = cliArgv(args);
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hwnas ${args.join(' ')} not ready after ${timeoutMs} ms\n${out}\n${err}`));
    }, timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, match: m, output: () => out + err });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (err += d));
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`hwnas ${args.join(' ')} exited ${code} before it was ready\n${out}\n${err}`));
    });
  });
}
