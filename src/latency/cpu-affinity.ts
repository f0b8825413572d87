import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Probe } from '../runtime/runtime.ts';

/**
 * CPU affinity of the measuring process (a device's `cpus`): while a batch is measured, every thread
 * of this process (the JavaScript thread, ORT's and libuv's threads) may run only on the listed
 * cores; afterwards the affinity it had is restored. Node has no affinity call, so this is Linux's
 * `taskset -a -p` (util-linux) on our own pid: threads a session creates while pinned inherit the
 * affinity of the thread that creates them.
 */

function allowedList(): string | undefined {
  try {
    return /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/** Cores this process may run on now (Linux), parsed from `0-3,6`. */
export function allowedCpus(): number[] | undefined {
  const list = allowedList();
  if (list === undefined) return undefined;
  const out: number[] = [];
  for (const part of list.split(',')) {
    const [a, b] = part.split('-').map(Number);
    if (a === undefined || !Number.isInteger(a)) return undefined;
    for (let c = a; c <= (b ?? a); c++) out.push(c);
  }
  return out;
}

let support: Probe | undefined;

/** Whether affinity can be set here: Linux with `taskset` on the PATH. */
export function affinitySupport(): Probe {
  if (support) return support;
  if (process.platform !== 'linux') support = { available: false, reason: `CPU affinity (device "cpus") needs Linux and taskset; this is ${process.platform}` };
  else {
    const r = spawnSync('taskset', ['-p', String(process.pid)], { encoding: 'utf8' });
    support = r.status === 0 && allowedList() !== undefined ? { available: true } : { available: false, reason: `CPU affinity (device "cpus") needs taskset (util-linux): ${r.error?.message ?? (r.stderr.trim() || `exit ${r.status}`)}` };
  }
  return support;
}

function setAffinity(list: string): void {
  const r = spawnSync('taskset', ['-a', '-p', '-c', list, String(process.pid)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`taskset -a -p -c ${list}: ${r.error?.message ?? r.stderr.trim()}`);
}

/**
 * Run `work` with this process pinned to `cpus`, then restore its affinity. `cpus` must be cores
 * this process may use (checked by the caller with {@link allowedCpus}).
 */
export async function withAffinity<T>(cpus: readonly number[] | undefined, work: () => Promise<T>): Promise<T> {
  if (!cpus || cpus.length === 0) return work();
  const before = allowedList();
  if (before === undefined) throw new Error('cannot read this process\'s CPU affinity (/proc/self/status)');
  setAffinity(cpus.join(','));
  try {
    return await work();
  } finally {
    setAffinity(before);
  }
}
