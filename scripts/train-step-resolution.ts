/**
 * What training a 224-px space's candidate at its own resolution costs against the same network
 * built for CIFAR-10's 32-px input: one seeded random architecture of the space, trained for two
 * Adam steps of 32 images (micro-batches of 8) each way on the vendored CIFAR-10 subset (upsampled to
 * 224 px for the first). Prints MACs per image and the wall time of each step; the second step is
 * the steady cost (the first includes warm-up).
 *
 *   node --import tsx scripts/train-step-resolution.ts [space: fbnet|mnasnet|proxyless-mobile] [micro-batch: 8]
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProxyData, proxyTrain } from '../src/accuracy/proxy-train.ts';
import { countFlops } from '../src/graph/count.ts';
import { randomArchs } from '../src/space/arch-list.ts';
import { loadSpace } from '../src/space/space-registry.ts';
import { Rng } from '../src/util/rng.ts';

const id = process.argv[2] ?? 'fbnet';
const micro = Number(process.argv[3] ?? 8);
const space = loadSpace(id);
// The same space file with a 32×32 input: the same blocks, stem and head, built for CIFAR's size.
const def = JSON.parse(readFileSync(space.file, 'utf8')) as { id: string; input?: number[] };
if (!def.input) throw new Error(`space ${id} has no fixed input to change`);
def.id = `${id}-at32`;
def.input = [3, 32, 32];
const at32 = join(mkdtempSync(join(tmpdir(), 'hwnas-step-')), `${def.id}.json`);
writeFileSync(at32, JSON.stringify(def));
const opts = { trainSize: 64, testSize: 10, seed: 0, epochs: 1, batchSize: 32, microBatchSize: micro };
const data = loadProxyData(opts);
const arch = randomArchs(space, 1, new Rng(3))[0]!;
for (const sp of [loadSpace(at32), space]) {
  const g = sp.build(sp.decode(arch.arch));
  const steps: number[] = [];
  let last = 0;
  await proxyTrain(g, data, opts, (p) => {
    steps.push(p.trainMs - last);
    last = p.trainMs;
  });
  console.log(`${sp.id} input ${g.input.join('x')} MACs/image ${(countFlops(g) / 1e6).toFixed(0)}M: step ms ${steps.map((s) => Math.round(s)).join(', ')}`);
}
