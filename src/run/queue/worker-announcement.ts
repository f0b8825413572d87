import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { KEY_PREFIX } from './queue-jobs.ts';

/** A device a worker serves, as it announces it. */
export interface AnnouncedDevice {
  readonly id: string;
  readonly kind: string;
  /** SHA-256 of the profile's content: a coordinator with another profile of this id gets refusals. */
  readonly contentHash: string;
  /** Measured devices: runtime, library version, execution provider, threads. */
  readonly runtime?: string;
  readonly version?: string;
  readonly provider?: string;
  readonly threads?: number;
}

/** What a running worker says about itself (refreshed every few seconds, gone when it stops). */
export interface WorkerAnnouncement {
  /** `host/pid`. */
  readonly worker: string;
  readonly host: string;
  readonly pid: number;
  readonly node: string;
  readonly hwnas: string;
  readonly platform: string;
  readonly devices: readonly AnnouncedDevice[];
  /** The accuracy source whose jobs it serves, if any. */
  readonly accuracy: string | null;
  /** Accuracy jobs (and table/LUT lookups) run at once. */
  readonly concurrency: number;
  readonly startedAt: string;
  /** ISO time of the last refresh. */
  lastSeen: string;
}

const KEY = `${KEY_PREFIX}:workers:`;

/** This package's version (package.json at the package root). */
export function hwnasVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Write (or refresh) a worker's announcement; it expires after `ttlMs` unless refreshed. */
export async function announceWorker(redis: Redis, a: WorkerAnnouncement, ttlMs: number): Promise<void> {
  a.lastSeen = new Date().toISOString();
  await redis.set(KEY + a.worker, JSON.stringify(a), 'PX', ttlMs);
}

/** Remove a worker's announcement (it stops). */
export async function withdrawWorker(redis: Redis, worker: string): Promise<void> {
  await redis.del(KEY + worker);
}

/** Every worker announced on this Redis, sorted by worker id. */
export async function listWorkers(redis: Redis): Promise<WorkerAnnouncement[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${KEY}*`, 'COUNT', 200);
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0');
  if (keys.length === 0) return [];
  const values = await redis.mget(...keys);
  const out: WorkerAnnouncement[] = [];
  for (const v of values) {
    if (v === null) continue;
    try {
      out.push(JSON.parse(v) as WorkerAnnouncement);
    } catch {
      // a foreign key under our prefix: not a worker
    }
  }
  return out.sort((a, b) => (a.worker < b.worker ? -1 : a.worker > b.worker ? 1 : 0));
}
