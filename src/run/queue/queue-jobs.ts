import { outcomeProblem, type MetricFilter } from '../../record/outcome.ts';
import type { Genotype } from '../../space/search-space.ts';
import { MAX_FIDELITY_EPOCHS } from '../../limits.ts';
import { contentHash } from '../../util/content-hash.ts';

/** Prefix of every Redis key hwnas writes (BullMQ's `prefix`, worker announcements). */
export const KEY_PREFIX = 'hwnas';

/** A space or device file named by id and the SHA-256 of its content (`contentHash`). */
export interface ContentRef {
  readonly id: string;
  readonly contentHash: string;
}

/** Latency of one architecture on one device: served by the workers of `device-<id>`. */
export interface LatencyJob {
  readonly kind: 'latency';
  readonly space: ContentRef;
  readonly device: ContentRef;
  readonly arch: string;
  readonly genotype: Genotype;
  readonly seed: number;
}

/** Accuracy of one architecture from a computing source (proxy training, zero-cost): `accuracy-<id>`. */
export interface AccuracyJob {
  readonly kind: 'accuracy';
  readonly space: ContentRef;
  /** The source's id and description: a worker whose source describes other settings refuses the job. */
  readonly accuracy: { readonly id: string; readonly description: string };
  readonly arch: string;
  readonly genotype: Genotype;
  readonly seed: number;
  /** Training epochs of a multi-fidelity rung; absent: the source's own setting. */
  readonly epochs?: number;
}

/** What a job carries: enough to rebuild the candidate exactly (space content hash + arch), never ONNX bytes. */
export type EvaluationJob = LatencyJob | AccuracyJob;

/** A candidate's outcome on one job: a failed candidate is a value, as in-process. */
export type JobOutcome =
  | { readonly status: 'ok'; readonly metrics: Record<string, number>; readonly info: Record<string, string | number> }
  | { readonly status: 'failed'; readonly error: string };

/** What a worker returns for a job (BullMQ's return value). */
export interface JobResult {
  readonly outcome: JobOutcome;
  /** `host/pid` of the worker. */
  readonly worker: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Time the worker spent on the job, in ms. */
  readonly busyMs: number;
}

/** The BullMQ queue of a device: one queue per device id. */
export function deviceQueueName(deviceId: string): string {
  return `device-${deviceId}`;
}

/** The BullMQ queue of a computing accuracy source (BullMQ names may not hold `:`). */
export function accuracyQueueName(sourceId: string): string {
  return `accuracy-${sourceId.replaceAll(':', '.')}`;
}

/** The queue a job goes to. */
export function queueOf(job: EvaluationJob): string {
  return job.kind === 'latency' ? deviceQueueName(job.device.id) : accuracyQueueName(job.accuracy.id);
}

/**
 * Deterministic job id: a hash of (space content, arch, device profile content, what is measured,
 * seed). Adding a job whose id exists is a no-op in BullMQ, so a job asked twice (a resumed
 * coordinator, two targets sharing an accuracy job) is computed once.
 */
export function jobId(job: EvaluationJob): string {
  return contentHash({
    space: job.space.contentHash,
    arch: job.arch,
    device: job.kind === 'latency' ? job.device.contentHash : null,
    what: job.kind === 'latency' ? 'latency' : `accuracy:${job.accuracy.id}:${job.accuracy.description}`,
    seed: job.seed,
    // Only rungs of a multi-fidelity run say their epochs: every other job keeps the id it always had.
    ...(job.kind === 'accuracy' && job.epochs !== undefined && { epochs: job.epochs }),
  });
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Why a job's data is not an {@link EvaluationJob} (a worker refuses malformed jobs), or undefined. */
export function evaluationJobProblem(x: unknown): string | undefined {
  if (!isRecord(x)) return 'job data is not an object';
  const ref = (r: unknown) => isRecord(r) && typeof r.id === 'string' && typeof r.contentHash === 'string';
  if (x.kind !== 'latency' && x.kind !== 'accuracy') return `job kind is ${JSON.stringify(x.kind)}`;
  if (!ref(x.space)) return 'job has no space reference';
  if (typeof x.arch !== 'string' || !Array.isArray(x.genotype) || !x.genotype.every((v) => Number.isSafeInteger(v) && v >= 0)) return 'job has no arch and genotype';
  if (!Number.isSafeInteger(x.seed)) return 'job has no seed';
  if (x.kind === 'latency' && !ref(x.device)) return 'latency job has no device reference';
  if (x.kind === 'accuracy' && !(isRecord(x.accuracy) && typeof x.accuracy.id === 'string' && typeof x.accuracy.description === 'string')) return 'accuracy job has no source';
  if (x.kind === 'accuracy' && x.epochs !== undefined && !(Number.isSafeInteger(x.epochs) && (x.epochs as number) >= 1 && (x.epochs as number) <= MAX_FIDELITY_EPOCHS)) return `accuracy job epochs is ${JSON.stringify(x.epochs)}, expected an integer in [1, ${MAX_FIDELITY_EPOCHS}]`;
  return undefined;
}

/**
 * Why a worker's return value is not a {@link JobResult}, or undefined. Its outcome goes through the
 * check a journal line gets at resume ({@link outcomeProblem}), with `allowed` the metrics the job's
 * kind may set; its busy time through the journal's `evalMs` rule.
 */
export function jobResultProblem(x: unknown, allowed?: MetricFilter): string | undefined {
  if (!isRecord(x)) return 'result is not an object';
  if (typeof x.worker !== 'string' || typeof x.startedAt !== 'string' || typeof x.finishedAt !== 'string') return 'result has no worker or times';
  if (typeof x.busyMs !== 'number' || !Number.isFinite(x.busyMs) || x.busyMs < 0) return `busyMs is ${JSON.stringify(x.busyMs)}, expected a duration ≥ 0`;
  return outcomeProblem(x.outcome, allowed);
}
