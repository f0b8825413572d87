import { parentPort, Worker } from 'node:worker_threads';
import { InputError, type InputErrorCode } from '../errors.ts';

/**
 * A fixed-size pool of worker threads running one module, each worker one task at a time
 * (each has its own V8 isolate, so its own TensorFlow.js engine and wasm backend). Tasks are
 * structured-cloneable values; the module answers them with {@link serveTasks}.
 *
 * - Workers start on the first task that needs them, not when the pool is made.
 * - An idle pool does not keep the process alive (idle workers are unref'd); a pending task does.
 * - A task that throws rejects its promise with the same message (an {@link InputError} stays one);
 *   after any other error, or if the worker dies, that worker is replaced by a fresh one, so a wasm
 *   abort cannot poison later tasks.
 * - {@link WorkerPool.close} terminates the workers and rejects queued tasks.
 *
 * The entry is a `.js` module (the compiled package) or a `.ts` one (the sources, loaded through
 * tsx, a development dependency); {@link siblingModule} picks the one beside the caller.
 */

interface TaskMessage<In> {
  id: number;
  input: In;
}

interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  exitCode?: number;
}

type ReplyMessage<Out, P> = { id: number; ok: true; output: Out } | { id: number; ok: false; error: SerializedError } | { id: number; progress: P };

interface Pending<In, Out, P> {
  id: number;
  input: In;
  resolve(out: Out): void;
  reject(e: Error): void;
  onProgress?: ((p: P) => void) | undefined;
}

interface Slot<In, Out, P> {
  worker: Worker;
  task: Pending<In, Out, P> | undefined;
}

// For TypeScript sources (a development checkout): evaluated as a script or as a module depending on
// the parent's --input-type, so dynamic imports only.
const TS_BOOTSTRAP = `
import('node:worker_threads')
  .then(({ workerData }) => import(workerData.tsxApi).then((tsx) => { tsx.register(); return import(workerData.entry); }))
  .catch((e) => { process.stderr.write('worker failed to start: ' + (e && e.stack || e) + '\\n'); process.exit(70); });
`;

/**
 * The module `name` beside the calling module, with the caller's own extension: `.ts` when running
 * from the sources through tsx, `.js` in the compiled package (`dist/`).
 */
export function siblingModule(name: string, callerUrl: string): URL {
  return new URL(`./${name}${callerUrl.endsWith('.ts') ? '.ts' : '.js'}`, callerUrl);
}

function revive(e: SerializedError): Error {
  if (e.name === 'InputError' && e.code) return new InputError(e.code as InputErrorCode, e.message, {}, e.exitCode);
  const err = new Error(e.message);
  if (e.stack) err.stack = e.stack;
  return err;
}

export interface WorkerPoolOptions {
  /** Workers (tasks run at once). */
  readonly size: number;
  /** The module each worker runs; it calls {@link serveTasks}. */
  readonly entry: URL;
  /** Name in error messages. @defaultValue the entry's file name */
  readonly name?: string;
}

/** A pool answering `In` tasks with `Out`, reporting progress values `P` on the way (see {@link serveTasks}). */
export class WorkerPool<In, Out, P = never> {
  readonly size: number;
  private readonly slots: (Slot<In, Out, P> | undefined)[];
  private readonly queue: Pending<In, Out, P>[] = [];
  private nextId = 0;
  private closed = false;
  private readonly name: string;

  constructor(private readonly opts: WorkerPoolOptions) {
    if (!Number.isInteger(opts.size) || opts.size < 1) throw new Error(`worker pool size must be a positive integer, got ${opts.size}`);
    this.size = opts.size;
    this.slots = new Array<Slot<In, Out, P> | undefined>(opts.size).fill(undefined);
    this.name = opts.name ?? opts.entry.pathname.split('/').pop()!;
  }

  /** Run one task on the next free worker; `onProgress` receives what the task reports as it runs. */
  run(input: In, onProgress?: (p: P) => void): Promise<Out> {
    if (this.closed) return Promise.reject(new Error(`${this.name}: worker pool is closed`));
    return new Promise<Out>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, input, resolve, reject, onProgress });
      this.dispatch();
    });
  }

  /** Terminate every worker; queued and running tasks reject. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new Error(`${this.name}: worker pool closed before the task ran`));
    const running = this.slots.filter((s): s is Slot<In, Out, P> => s !== undefined);
    this.slots.fill(undefined);
    await Promise.all(running.map(async (s) => {
      s.task?.reject(new Error(`${this.name}: worker pool closed while the task ran`));
      s.task = undefined;
      await s.worker.terminate();
    }));
  }

  private dispatch(): void {
    for (let i = 0; i < this.slots.length && this.queue.length > 0; i++) {
      let slot = this.slots[i];
      if (slot?.task) continue;
      slot ??= this.spawn(i);
      const task = this.queue.shift()!;
      slot.task = task;
      slot.worker.ref();
      slot.worker.postMessage({ id: task.id, input: task.input } satisfies TaskMessage<In>);
    }
  }

  private spawn(i: number): Slot<In, Out, P> {
    // A compiled entry (.js) loads as it is; TypeScript goes through tsx's API (a worker inherits
    // neither the parent's `--import tsx` nor a `register()` made in the parent).
    const worker = this.opts.entry.pathname.endsWith('.ts')
      ? new Worker(TS_BOOTSTRAP, { eval: true, workerData: { tsxApi: import.meta.resolve('tsx/esm/api'), entry: this.opts.entry.href } })
      : new Worker(this.opts.entry);
    const slot: Slot<In, Out, P> = { worker, task: undefined };
    this.slots[i] = slot;
    worker.unref();
    const retire = (error: Error): void => {
      if (this.slots[i] === slot) this.slots[i] = undefined;
      const task = slot.task;
      slot.task = undefined;
      task?.reject(error);
      void worker.terminate();
      if (!this.closed) this.dispatch();
    };
    worker.on('message', (m: ReplyMessage<Out, P>) => {
      const task = slot.task;
      if (!task || task.id !== m.id) return;
      if ('progress' in m) {
        // A progress listener's error must not look like the task's.
        try {
          task.onProgress?.(m.progress);
        } catch {
          // ignored: progress is advisory
        }
        return;
      }
      if (m.ok) {
        slot.task = undefined;
        worker.unref();
        task.resolve(m.output);
        this.dispatch();
      } else if (m.error.name === 'InputError') {
        slot.task = undefined;
        worker.unref();
        task.reject(revive(m.error));
        this.dispatch();
      } else {
        retire(revive(m.error));
      }
    });
    worker.on('error', (e) => retire(new Error(`${this.name}: worker failed: ${e.message}`)));
    worker.on('exit', (code) => {
      if (this.slots[i] === slot) retire(new Error(`${this.name}: worker exited with code ${code}`));
    });
    return slot;
  }
}

/**
 * Answer a {@link WorkerPool}'s tasks in this worker thread with `handle`, one at a time in arrival
 * order; `handle` may call `report` with progress values for the task's `onProgress`. Call once from
 * the worker module's top level.
 */
export function serveTasks<In, Out, P = never>(handle: (input: In, report: (p: P) => void) => Promise<Out>): void {
  const port = parentPort;
  if (!port) throw new Error('serveTasks must run in a worker thread');
  let chain = Promise.resolve();
  port.on('message', (m: TaskMessage<In>) => {
    chain = chain.then(async () => {
      try {
        const report = (progress: P) => port.postMessage({ id: m.id, progress } satisfies ReplyMessage<Out, P>);
        port.postMessage({ id: m.id, ok: true, output: await handle(m.input, report) } satisfies ReplyMessage<Out, P>);
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        const ie = err instanceof InputError ? err : undefined;
        const error: SerializedError = { name: ie ? 'InputError' : err.name, message: err.message, ...(err.stack !== undefined && { stack: err.stack }), ...(ie && { code: ie.code, exitCode: ie.exitCode }) };
        port.postMessage({ id: m.id, ok: false, error } satisfies ReplyMessage<Out, P>);
      }
    });
  });
}
