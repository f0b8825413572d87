/**
 * Where a proxy-training step's time goes on a tfjs backend: CPU time of forward + backward of one
 * micro-batch (fastest of several), and per-kernel wall time summed by kernel name (tf.profile).
 * Usage: node --import tsx scripts/profile-train-step.ts [arch=02012100] [micro=32] [backend=wasm] [space=nasbench-macro]
 */
import * as tf from '@tensorflow/tfjs-core';
import '../src/runtime/tfjs/tfjs-gradients.ts';
import { useTfjsBackend, type TfjsBackendName } from '../src/runtime/tfjs/tfjs-backends.ts';
import { buildTfjsModel } from '../src/runtime/tfjs/tfjs-model.ts';
import { loadSpace } from '../src/space/space-registry.ts';
import { parseArch } from '../src/space/arch-list.ts';

const [arch = '02012100', microArg = '32', backend = 'wasm', spaceId = 'nasbench-macro'] = process.argv.slice(2);
const micro = Number(microArg);
await useTfjsBackend(backend as TfjsBackendName);
const space = loadSpace(spaceId);
const graph = space.build(parseArch(space, arch).genotype);
const model = buildTfjsModel(graph, { seed: 0 });
const vars = model.trainableVariables();
const [c, h, w] = graph.input as [number, number, number];
const x = tf.randomNormal([micro, h, w, c]) as tf.Tensor4D;
const labels = tf.oneHot(tf.tensor1d(Array.from({ length: micro }, (_, i) => i % 10), 'int32'), 10);
const step = () => {
  const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(labels, tf.slice(model.forward(x, { training: true }), [0, 0], [micro, 10])) as tf.Scalar, vars);
  value.dataSync();
  value.dispose();
  for (const g of Object.values(grads)) g.dispose();
};
const fwd = () => tf.tidy(() => model.forward(x, { training: true }).dataSync());
const cpuMs = (f: () => void, reps = 4): number => {
  f();
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = process.cpuUsage();
    f();
    const d = process.cpuUsage(t0);
    best = Math.min(best, (d.user + d.system) / 1000);
  }
  return best;
};
const stepMs = cpuMs(step);
const fwdMs = cpuMs(fwd);
const info = await tf.profile(() => step());
const by = new Map<string, { ms: number; n: number }>();
// tf.profile lists each tf.customGrad forward pass as an "unnamed scope" whose time includes the
// kernels inside it, which are listed too: leave the scopes out of the sums.
const kernels = info.kernels.filter((k) => k.name !== 'unnamed scope');
for (const k of kernels) {
  const e = by.get(k.name) ?? { ms: 0, n: 0 };
  e.ms += Number(k.kernelTimeMs);
  e.n++;
  by.set(k.name, e);
}
const total = [...by.values()].reduce((a, b) => a + b.ms, 0);
console.log(`${spaceId} ${arch} ${backend} micro-batch ${micro}: step ${stepMs.toFixed(0)} ms CPU (${(stepMs / micro).toFixed(1)} ms/image), forward (training mode) ${fwdMs.toFixed(0)} ms; profiled step: kernels ${total.toFixed(0)} ms wall`);
for (const [name, e] of [...by.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20)) {
  console.log(`${name.padEnd(28)} ${e.ms.toFixed(1).padStart(8)} ms ${(100 * e.ms / total).toFixed(1).padStart(5)} %  ×${e.n}`);
}
if (process.argv.includes('--shapes')) {
  const rows = kernels.map((k) => ({ name: k.name, ms: Number(k.kernelTimeMs), shapes: k.inputShapes.map((s) => `[${s}]`).join(' ') }));
  for (const r of rows.sort((a, b) => b.ms - a.ms).slice(0, 40)) console.log(`${r.ms.toFixed(1).padStart(7)} ${r.name} ${r.shapes}`);
}
