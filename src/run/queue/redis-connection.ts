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
    try {
      await probe.connect();
      await probe.ping();
    } catch (e) {
      throw new UnavailableError(`Redis at ${redactRedisUrl(url)}`, errorMessage(e) || 'no answer');
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
