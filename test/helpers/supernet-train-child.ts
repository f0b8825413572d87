/**
 * Child process for the supernet kill -9 test: trains the tiny-chain supernet on a data folder into
 * a cache folder, checkpointing after every step, and prints one line per progress event
 * (`<kind> <step>`). With a third argument N it stops dead (blocks) right after the checkpoint of
 * step N, so the parent can kill it there. Last line: `done resumedAt=<step> cached=<bool>`.
 *
 *   node --import tsx test/helpers/supernet-train-child.ts DATA_DIR CACHE_DIR [PAUSE_AT_STEP]
 */
import { fileURLToPath } from 'node:url';
import { OneShotSupernet } from '../../src/accuracy/supernet/one-shot-supernet.ts';
import { loadSpace } from '../../src/space/space-registry.ts';

const [dataDir, cacheDir, pauseAt] = process.argv.slice(2) as [string, string, string?];
const space = loadSpace(fileURLToPath(new URL('../accuracy/fixtures/tiny-chain.json', import.meta.url)));
const net = await OneShotSupernet.open(space, {
  dataDir, cacheDir, epochs: 2, batchSize: 16, microBatchSize: 16, bnBatches: 1, testImages: 16, seed: 4, checkpointSteps: 1,
  onProgress: (p) => {
    process.stdout.write(`${p.kind} ${p.step}\n`);
    if (p.kind === 'checkpoint' && pauseAt !== undefined && p.step === Number(pauseAt)) {
      // Wait here to be killed (a minute at most).
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
    }
  },
});
process.stdout.write(`done resumedAt=${net.info.resumedAt} cached=${net.info.cached}\n`);
net.dispose();
