import type { QueueBackend, QueueStatus } from '../run/queue/queue-backend.ts';
import type { Io } from '../util/io.ts';

/** One line of queue progress: jobs waiting/active per queue, the workers serving it, and the dead ones holding jobs. */
export function formatQueueStatus(s: QueueStatus): string {
  const parts = s.queues.map((q) => {
    const idle = q.workers === 0 && q.waiting + q.active + q.delayed > 0;
    const dead = q.activeOnDeadWorkers > 0 ? ` (${q.activeOnDeadWorkers} on a dead worker ${q.deadWorkers.join(', ')}: back to the queue when its lock lapses)` : '';
    return `${q.queue} ${q.waiting} waiting, ${q.active} active${dead}${q.delayed ? `, ${q.delayed} to retry` : ''}, ${q.workers} worker${q.workers === 1 ? '' : 's'}${idle ? ' (none serves it: start `hwnas worker --redis URL --device ID`)' : ''}`;
  });
  return `queues: ${parts.join('; ') || 'none yet'}\n`;
}

/** The queue backend of `--redis URL` (BullMQ and ioredis are loaded only here). */
export async function openRedisBackend(url: string, io: Io, resume: boolean): Promise<QueueBackend> {
  const { QueueBackend } = await import('../run/queue/queue-backend.ts');
  return QueueBackend.open({ redis: url, resume, onNote: (t) => io.err(`${t}\n`), onStatus: (s) => io.err(formatQueueStatus(s)) });
}
