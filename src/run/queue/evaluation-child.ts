/**
 * The process a worker measures (or trains) in: forked by {@link EvaluationChild}, it hosts one
 * measured device or one accuracy source and answers evaluation requests over IPC. CPU-bound work
 * (ORT session creation, timing, TF.js) runs here, so the worker's own event loop stays free to
 * renew BullMQ job locks. When the worker dies (kill -9) the IPC channel closes and this process
 * exits at once, so no orphan keeps timing on the machine.
 */
import { getAccuracySource } from '../../accuracy/accuracy-registry.ts';
import type { AccuracySource } from '../../accuracy/accuracy-source.ts';
import { errorMessage } from '../../errors.ts';
import { createLatencyProvider } from '../../latency/create-latency-provider.ts';
import { loadDevice } from '../../latency/device-profile.ts';
import type { LatencyProvider } from '../../latency/latency-provider.ts';
import { loadSpace, spaceContentHash } from '../../space/space-registry.ts';
import type { ChildHost, ChildReply, ChildRequest } from './evaluation-child-protocol.ts';

let host: ChildHost | undefined;
const providers = new Map<string, Promise<LatencyProvider>>();
const sources = new Map<string, Promise<AccuracySource>>();

function send(reply: ChildReply): void {
  process.send?.(reply);
}

async function evaluate(r: ChildRequest): Promise<ChildReply> {
  const t0 = performance.now();
  const space = loadSpace(r.spaceFile);
  const hash = spaceContentHash(space);
  if (hash !== r.spaceHash) return { type: 'result', id: r.id, refused: `space file ${r.spaceFile} changed while the worker ran (content hash ${hash.slice(0, 12)}, the job's ${r.spaceHash.slice(0, 12)})` };
  if (space.encode(r.genotype) !== r.arch) return { type: 'result', id: r.id, refused: `arch ${r.arch} does not match its genotype in space ${space.id}` };
  const h = host!;
  try {
    if (h.kind === 'device') {
      let p = providers.get(hash);
      if (!p) providers.set(hash, (p = createLatencyProvider(loadDevice(h.file), space)));
      const result = await (await p).latency(space, r.genotype);
      return { type: 'result', id: r.id, ok: { metrics: result.metrics, info: result.info }, busyMs: performance.now() - t0 };
    }
    const key = `${hash}/${r.seed}`;
    let s = sources.get(key);
    if (!s) sources.set(key, (s = getAccuracySource(h.id, space, { seed: r.seed, jobs: h.jobs, ...(h.timeoutS !== undefined && { timeoutS: h.timeoutS }), ...(h.data !== undefined && { data: h.data }), ...(h.training !== undefined && { training: h.training }) })));
    const source = await s;
    if (source.description !== r.description) {
      return { type: 'result', id: r.id, refused: `accuracy source ${h.id} differs: this worker's is "${source.description}", the job's "${r.description}"` };
    }
    const metrics = await source.metrics(space, r.genotype, r.epochs !== undefined ? { epochs: r.epochs } : undefined);
    return { type: 'result', id: r.id, ok: { metrics, info: {} }, busyMs: performance.now() - t0 };
  } catch (e) {
    // A candidate that cannot be measured is an outcome (the coordinator names the device or source).
    return { type: 'result', id: r.id, failed: errorMessage(e), busyMs: performance.now() - t0 };
  }
}

process.on('message', (m: { type: string }) => {
  if (m.type === 'init') {
    host = (m as { type: 'init'; host: ChildHost }).host;
    send({ type: 'ready' });
    return;
  }
  if (m.type === 'eval') {
    const r = m as ChildRequest;
    evaluate(r).then(send, (e: unknown) => send({ type: 'result', id: r.id, refused: errorMessage(e) }));
  }
});
// The worker is gone (killed): stop at once instead of timing on as an orphan.
process.on('disconnect', () => process.exit(0));
