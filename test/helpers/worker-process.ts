import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnCli } from './cli-process.ts';

/** A real `hwnas worker` child process and what it printed. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  /** `host/pid`, as it puts in journals. */
  readonly id: string;
  /** Everything it wrote to stderr so far. */
  log(): string;
  /** Wait until its stderr matches (fails after `timeoutMs`). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** SIGTERM (graceful) or SIGKILL; resolves when it has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

async function waitUntil<T>(what: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
  for (let t = 0; ; t += 100) {
    const v = what();
    if (v !== undefined) return v;
    if (t >= timeoutMs) throw new Error(`timed out: ${describe()}`);
    await sleep(100);
  }
}

/** Start `hwnas worker --redis URL …args` and wait until it serves its queues. */
export async function startWorker(url: string, args: readonly string[], timeoutMs = 120_000): Promise<WorkerProcess> {
  const child = spawnCli(['worker', '--redis', url, ...args]);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout!.resume();
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const waitFor = (re: RegExp, ms = timeoutMs) => waitUntil(() => err.match(re) ?? undefined, ms, () => `worker ${child.pid} never printed ${re}:\n${err}`);
  const m = await waitUntil(() => (child.exitCode !== null ? ['exited'] : (err.match(/worker (\S+) serving/) ?? undefined)), timeoutMs, () => `worker did not start:\n${err}`)
    .catch((e: unknown) => {
      child.kill('SIGKILL');
      throw e;
    });
  if (m[0] === 'exited') throw new Error(`worker exited with ${child.exitCode}:\n${err}`);
  return {
    child,
    id: m[1]!,
    log: () => err,
    waitFor,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Poll until `what` returns a value (for files other processes write), failing after `timeoutMs`. */
export function eventually<T>(what: () => T | undefined, timeoutMs: number, describe: string): Promise<T> {
  return waitUntil(what, timeoutMs, () => describe);
}
