import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What {@link runInChildProcesses} needs. */
export interface ChildPoolOptions<T, R> {
  /**
   * Module each child runs: it answers every `{ id, task }` message with `{ id, result }` or
   * `{ id, error, stack? }`, one task at a time, and exits when the parent disconnects.
   */
  readonly module: URL;
  /** Children at once (capped at the number of tasks). */
  readonly jobs: number;
  readonly tasks: readonly T[];
  /** Names a task in error messages. */
  describe(task: T): string;
  /** Called as each result arrives (in completion order). */
  onResult?(result: R, index: number): void;
}

interface Reply<R> {
  id: number;
  result?: R;
  error?: string;
  stack?: string;
}

/**
 * Node flags a child needs to load `module`: TypeScript sources (a development checkout run
 * through tsx) need tsx's loader; the compiled package (`dist/`, `.js`) needs none.
 */
function childExecArgv(module: URL): string[] {
  return module.pathname.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [];
}

/**
 * Run tasks in `jobs` child processes (each with its own module state and event loop, so CPU-bound
 * work uses every core), handing each child its next task when it answers. Results come back in
 * task order, whatever the number of children. A task that fails, or a child that dies, stops the
 * pool: the other children are killed and the promise rejects with the task named.
 */
export function runInChildProcesses<T, R>(o: ChildPoolOptions<T, R>): Promise<R[]> {
  const results = new Array<R>(o.tasks.length);
  if (o.tasks.length === 0) return Promise.resolve(results);
  const n = Math.max(1, Math.min(o.jobs, o.tasks.length));
  return new Promise<R[]>((resolve, reject) => {
    const children: ChildProcess[] = [];
    const pending = new Map<ChildProcess, number>();
    let next = 0;
    let done = 0;
    let failed = false;
    const fail = (e: Error) => {
      if (failed) return;
      failed = true;
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      reject(e);
    };
    const feed = (c: ChildProcess) => {
      if (failed) return;
      if (next >= o.tasks.length) {
        pending.delete(c);
        if (c.connected) c.disconnect();
        return;
      }
      const id = next++;
      pending.set(c, id);
      c.send({ id, task: o.tasks[id] });
    };
    for (let i = 0; i < n; i++) {
      const c = fork(fileURLToPath(o.module), [], { execArgv: childExecArgv(o.module), serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      children.push(c);
      c.on('message', (m: Reply<R>) => {
        if (failed) return;
        const task = o.tasks[m.id]!;
        if (m.error !== undefined) {
          const e = new Error(`${o.describe(task)}: ${m.error}`);
          if (m.stack) e.stack = `${e.message}\n(in child process ${c.pid})\n${m.stack}`;
          fail(e);
          return;
        }
        results[m.id] = m.result as R;
        done++;
        o.onResult?.(results[m.id]!, m.id);
        if (done === o.tasks.length) {
          for (const x of children) if (x.connected) x.disconnect();
          resolve(results);
          return;
        }
        feed(c);
      });
      c.on('error', (e) => fail(new Error(`suite child process: ${e.message}`)));
      c.on('exit', (code, signal) => {
        const id = pending.get(c);
        if (id !== undefined && !failed) fail(new Error(`${o.describe(o.tasks[id]!)}: child process ${c.pid} exited (${signal ?? `code ${code}`}) before answering`));
      });
      feed(c);
    }
  });
}
