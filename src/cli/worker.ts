import type { Command } from './command.ts';
import { ACCURACY_DATA_FLAGS, ACCURACY_DATA_USAGE, parseAccuracyDataFlags } from './accuracy-flags.ts';
import { intFlag, numberFlag, parseFlags, requireFlag } from './flags.ts';

const usage = `usage: hwnas worker --redis URL --device D [--device D2 …] [--accuracy SOURCE] [--concurrency N]
                    [--accuracy-timeout S] [--space FILE …] [--lock-ms N]

Serve the queue of each named device (and the jobs of an accuracy source) for coordinators that run
\`hwnas search --redis URL\` (also compare, eval). Every device is probed before the worker connects:
an unavailable one exits 3 with "unavailable: <reason>". A measured device times one model at a time,
in a child process of the worker. The worker announces itself (host, runtime versions, device
profile content hashes, last seen): \`hwnas devices --redis URL\` lists it. Runs until Ctrl-C or
SIGTERM, finishing the jobs in hand.

  --redis URL        redis://[:password@]host[:port][/db], or rediss://… for TLS
  --device D         device id (devices/*.json) or profile path; repeatable
  --accuracy SOURCE  also serve jobs of this accuracy source (proxy-train, zero-cost:<proxy>,
                     command:<your trainer>: exactly the coordinator's --accuracy, run here;
                     see docs/your-trainer.md)
  --concurrency N    accuracy jobs (and table/LUT lookups) at once              [1]
  --accuracy-timeout S  seconds a command: trainer gets per job; then it is killed and
                     the candidate fails                                        [3600]
  --space FILE       a space file the coordinator uses besides the built-in ones; repeatable.
                     A job whose space or device file differs from this worker's is refused
                     (its error goes to the coordinator's journal), never measured
  --lock-ms N        job lock: a job of a worker that died goes to another one after about
                     this long (coordinators name a dead worker within 3 s)      [5000]

The accuracy source's data and training budget (give the coordinator's values: a job whose source
differs — other data, budget or seed — is refused, never computed differently):
${ACCURACY_DATA_USAGE}`;

/** The flags of `hwnas worker`. */
export const workerFlags = {
  redis: { type: 'string' }, device: { type: 'string', multiple: true }, accuracy: { type: 'string' },
  concurrency: { type: 'string' }, space: { type: 'string', multiple: true }, 'lock-ms': { type: 'string' },
  'accuracy-timeout': { type: 'string' },
  ...ACCURACY_DATA_FLAGS,
} as const;

export const workerCommand: Command = {
  name: 'worker',
  summary: 'serve device (and accuracy) jobs from a Redis queue for remote searches',
  usage,
  async run(argv, io) {
    const f = parseFlags(argv, workerFlags);
    const accuracyData = parseAccuracyDataFlags(f);
    const redis = requireFlag(f.redis, '--redis', 'a Redis URL, e.g. redis://127.0.0.1:6379');
    const { checkRedisUrl } = await import('../run/queue/redis-connection.ts');
    checkRedisUrl(redis);
    const { startQueueWorker } = await import('../run/queue/queue-worker.ts');
    const worker = await startQueueWorker({
      redis,
      devices: f.device ?? [],
      ...(f.space !== undefined && { spaces: f.space }),
      ...(f.accuracy !== undefined && { accuracy: f.accuracy }),
      ...accuracyData,
      concurrency: intFlag(f.concurrency, '--concurrency', 1, 1, 1024),
      ...(f['accuracy-timeout'] !== undefined && { accuracyTimeoutS: numberFlag(f['accuracy-timeout'], '--accuracy-timeout', 3600, Number.MIN_VALUE, 30 * 24 * 3600) }),
      lockMs: intFlag(f['lock-ms'], '--lock-ms', 5000, 500, 24 * 3600_000),
      onLog: (line) => io.err(`${line}\n`),
    });
    await new Promise<void>((resolve) => {
      const stop = (sig: string) => {
        io.err(`worker ${worker.id}: ${sig}, finishing the jobs in hand\n`);
        resolve();
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
    await worker.close();
    io.err(`worker ${worker.id}: stopped\n`);
    return 0;
  },
};
