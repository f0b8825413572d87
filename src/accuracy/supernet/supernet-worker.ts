/**
 * Worker-thread entry of the `supernet` accuracy source: opens (trains, resumes or loads) the
 * supernet of a task's space and options once per thread, then scores architectures with it.
 * Training progress goes to the main thread over a `BroadcastChannel` named by the task.
 */
import { BroadcastChannel } from 'node:worker_threads';
import { errorMessage } from '../../errors.ts';
import { isWasmAbort, wasmHeapBytes } from '../../runtime/tfjs/tfjs-backends.ts';
import { loadSpace, spaceContentHash } from '../../space/space-registry.ts';
import { serveTasks } from '../../util/worker-pool.ts';
import { OneShotSupernet, type SupernetInfo } from './one-shot-supernet.ts';
import type { SupernetOptions } from './supernet-settings.ts';

export interface SupernetTask {
  /** `open`: train or load, reply with the info; `score`: also score `arch`. */
  kind: 'open' | 'score';
  /** Space file and the content hash the main thread holds (an edited file is refused). */
  spaceFile: string;
  spaceHash: string;
  options: Omit<SupernetOptions, 'onProgress'>;
  /** BroadcastChannel for training progress. */
  channel: string;
  arch?: string;
}

export interface SupernetReply {
  info: SupernetInfo;
  /** Top-1 accuracy, %. */
  accuracy?: number;
  /** Mean held-out log-likelihood of the true class (−cross-entropy, nats). */
  logLikelihood?: number;
  /** Wall ms of scoring (batch-norm re-estimation and held-out evaluation). */
  scoreMs?: number;
}

let open: { key: string; net: Promise<OneShotSupernet> } | undefined;

serveTasks<SupernetTask, SupernetReply>(async (task) => {
  const space = loadSpace(task.spaceFile);
  if (spaceContentHash(space) !== task.spaceHash) throw new Error(`space file ${task.spaceFile} changed while the supernet source was in use`);
  const key = JSON.stringify([task.spaceFile, task.spaceHash, task.options]);
  if (open?.key !== key) {
    if (open) (await open.net.catch(() => undefined))?.dispose();
    const channel = new BroadcastChannel(task.channel);
    const net = OneShotSupernet.open(space, { ...task.options, onProgress: (p) => channel.postMessage(p) }).finally(() => channel.close());
    open = { key, net };
    net.catch(() => {
      if (open?.net === net) open = undefined;
    });
  }
  try {
    const net = await open.net;
    if (task.kind === 'open') return { info: net.info };
    const t0 = performance.now();
    const s = await net.scoreWithLoss(space.decode(task.arch!));
    return { info: net.info, accuracy: s.accuracy, logLikelihood: -s.loss, scoreMs: performance.now() - t0 };
  } catch (e) {
    if (!isWasmAbort(e)) throw e;
    throw new Error(`the tfjs wasm backend failed in the supernet (${errorMessage(e)}, heap ${(wasmHeapBytes() / 1024 ** 3).toFixed(1)} GiB of at most 4); the worker was replaced`);
  }
});
