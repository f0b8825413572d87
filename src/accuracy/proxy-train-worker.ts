/**
 * Worker-thread entry of proxy training: trains one graph per task with {@link proxyTrain} on this
 * thread's own TensorFlow.js backend (see `proxyTrainSource`'s `jobs`). The images of a setting are
 * loaded once per worker; they depend only on the options' seed, sizes and data folder, so a result
 * is the same whichever worker computes it.
 */
import type { ModelGraph } from '../graph/model-graph.ts';
import { errorMessage } from '../errors.ts';
import { isWasmAbort, wasmHeapBytes } from '../runtime/tfjs/tfjs-backends.ts';
import { serveTasks } from '../util/worker-pool.ts';
import { loadProxyData, proxyTrain, type StepProgress, type ProxyData, type ProxyTrainOptions, type ProxyTrainResult } from './proxy-train.ts';

export interface ProxyTrainTask {
  graph: ModelGraph;
  opts: ProxyTrainOptions;
}

const dataByKey = new Map<string, ProxyData>();

serveTasks<ProxyTrainTask, ProxyTrainResult, StepProgress>(async ({ graph, opts }, report) => {
  const key = JSON.stringify([opts.seed, opts.trainSize, opts.testSize, opts.dataDir]);
  let data = dataByKey.get(key);
  if (!data) {
    data = loadProxyData(opts);
    dataByKey.clear();
    dataByKey.set(key, data);
  }
  try {
    // The start and the first step (training is under way), every epoch's end, and within an epoch
    // about once a second: enough for a progress line and an ETA.
    let last = 0;
    return await proxyTrain(graph, data, opts, (p) => {
      if (!(p.epoch === 1 && p.step <= 1) && p.step < p.steps && p.trainMs - last < 1000) return;
      last = p.trainMs;
      report(p);
    });
  } catch (e) {
    // An aborted wasm module is dead; the pool replaces this worker after a non-input error.
    if (!isWasmAbort(e)) throw e;
    throw new Error(`the tfjs wasm backend failed training ${graph.name} (${errorMessage(e)}, heap ${(wasmHeapBytes() / 1024 ** 3).toFixed(1)} GiB of at most 4); the worker was replaced`);
  }
});
