import type { Redis } from 'ioredis';
import { errorMessage, InputError, UnavailableError } from '../../errors.ts';

/** A Redis URL with its password hidden, for messages and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** Throws an {@link InputError} unless `url` is a `redis://` or `rediss://` (TLS) URL. */
export function checkRedisUrl(url: string, flag = '--redis'): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError('bad-flag', 'not a Redis URL', { path: flag, expected: 'redis://[:password@]host[:port][/db] or rediss://… (TLS)', actual: JSON.stringify(redactRedisUrl(url)) });
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new InputError('bad-flag', 'not a Redis URL', { path: flag, expected: 'redis://… or rediss://… (TLS)', actual: JSON.stringify(redactRedisUrl(url)) });
  }
  redisDb(url, flag);
}

/** The database index of a Redis URL (`/3`), 0 without one; anything else after the port is an {@link InputError}. */
export function redisDb(url: string, flag = '--redis'): number {
  const path = new URL(url).pathname;
  if (path === '' || path === '/') return 0;
  const m = /^\/(\d{1,9})$/.exec(path);
  if (!m) throw new InputError('bad-flag', 'not a Redis database index', { path: flag, expected: 'a database number after the port, e.g. redis://host:6379/0', actual: JSON.stringify(path) });
  return Number(m[1]);
}

/**
 * Opens ioredis connections to one server (loaded on use: runs without `--redis` never load it).
 * BullMQ needs `maxRetriesPerRequest: null` (commands wait for a reconnect instead of failing).
 * Errors are reported once per outage through `onError`, never as unhandled events.
 */
export class RedisConnections {
  private readonly opened: Redis[] = [];
  private lastError = '';

  private constructor(readonly url: string, private readonly RedisClass: typeof Redis, private readonly onError: (text: string) => void) {}

  /** Connect and check the server answers; an unreachable server is an {@link UnavailableError} (exit 3). */
  static async open(url: string, onError: (text: string) => void = () => {}, timeoutMs = 10_000): Promise<RedisConnections> {
    checkRedisUrl(url);
    const { Redis: RedisClass } = await import('ioredis');
    const c = new RedisConnections(url, RedisClass, onError);
    const probe = new RedisClass(url, { maxRetriesPerRequest: 1, lazyConnect: true, connectTimeout: timeoutMs, retryStrategy: () => null });
    probe.on('error', () => {});
    const db = redisDb(url);
    try {
      try {
        await probe.connect();
        await probe.ping();
      } catch (e) {
        throw new UnavailableError(`Redis at ${redactRedisUrl(url)}`, errorMessage(e) || 'no answer');
      }
      // ioredis reports a SELECT that fails on connect as an event only and goes on in database 0:
      // select it here, so a database the server does not have stops the run before any job is queued.
      if (db !== 0) {
        try {
          await probe.select(db);
        } catch (e) {
          const count = await probe.config('GET', 'databases').then((r) => Number((r as string[])[1]), () => NaN);
          throw new InputError('bad-flag', `Redis at ${redactRedisUrl(url)} has no database ${db} (${errorMessage(e)})`, {
            path: '--redis',
            expected: Number.isInteger(count) && count > 0 ? `a database index in [0, ${count - 1}]` : 'a database index the server has',
            actual: String(db),
          });
        }
      }
    } finally {
      probe.disconnect();
    }
    return c;
  }

  /** A new connection (BullMQ objects each want their own: blocking reads, event streams). */
  connection(): Redis {
    const r = new this.RedisClass(this.url, {
      maxRetriesPerRequest: null,
      // Reconnect every 0.2–2 s for as long as the server is away; the coordinator decides when to give up.
      retryStrategy: (times) => Math.min(200 * times, 2000),
    });
    r.on('error', (e: Error) => {
      const text = errorMessage(e);
      if (text !== this.lastError) this.onError(`Redis ${redactRedisUrl(this.url)}: ${text}`);
      this.lastError = text;
    });
    r.on('ready', () => {
      this.lastError = '';
    });
    this.opened.push(r);
    return r;
  }

  /** Close every connection opened here. */
  close(): void {
    for (const r of this.opened.splice(0)) r.disconnect();
  }
}
