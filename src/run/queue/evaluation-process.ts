import { fork, type ChildProcess } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildHost, ChildReply, ChildRequest } from './evaluation-child-protocol.ts';

type Result = Extract<ChildReply, { type: 'result' }>;

/** `evaluation-child.ts` in the sources (run through tsx), `.js` in the built package. */
const CHILD_FILE = fileURLToPath(new URL(`./evaluation-child${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/**
 * A worker's child process for CPU-bound evaluations (see `evaluation-child.ts`): started on first
 * use, kept warm between jobs (runtimes and sources load once), restarted after a crash. A request
 * whose child dies is rejected, so the job fails and BullMQ retries it with backoff.
 */
export class EvaluationProcess {
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Result) => void; reject: (e: Error) => void }>();

  constructor(private readonly host: ChildHost, private readonly label: string) {}

  /** Evaluate one candidate in the child. */
  async evaluate(r: Omit<ChildRequest, 'type' | 'id'>): Promise<Result> {
    await this.start();
    const child = this.child;
    if (!child) throw new Error(`the evaluation process of ${this.label} exited before the job`);
    const id = this.nextId++;
    return new Promise<Result>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // A channel that broke means a child that died: its 'exit' rejects the request, naming the signal.
      child.send({ ...r, type: 'eval', id } satisfies ChildRequest, (e) => {
        if (e) child.kill('SIGKILL');
      });
    });
  }

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    const child = fork(CHILD_FILE, [], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child = child;
    this.ready = new Promise<void>((resolve, reject) => {
      const forget = () => {
        if (this.child === child) {
          this.child = undefined;
          this.ready = undefined;
        }
      };
      const failAll = (e: Error) => {
        reject(e);
        for (const p of this.pending.values()) p.reject(e);
        this.pending.clear();
      };
      child.on('message', (m: ChildReply) => {
        if (m.type === 'ready') resolve();
        else {
          const p = this.pending.get(m.id);
          this.pending.delete(m.id);
          p?.resolve(m);
        }
      });
      child.on('exit', (code, signal) => {
        failAll(new Error(`the evaluation process of ${this.label} exited (${signal ?? `code ${code}`}) during the job`));
        forget();
      });
      // A child that could not start, or whose channel broke (EPIPE: it died as a message went out).
      // Unhandled, that 'error' event would take the whole worker down; the child's 'exit' says the rest.
      child.on('error', (e) => {
        if (child.pid !== undefined) return void child.kill('SIGKILL');
        failAll(new Error(`the evaluation process of ${this.label} could not start: ${e.message}`));
        forget();
      });
      child.send({ type: 'init', host: this.host }, (e) => {
        if (e) child.kill('SIGKILL');
      });
    });
    return this.ready;
  }

  /** Stop the child (it exits when its IPC channel closes). */
  async close(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    c.disconnect();
    const timer = setTimeout(() => c.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
