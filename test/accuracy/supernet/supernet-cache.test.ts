import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getAccuracySource } from '../../../src/accuracy/accuracy-registry.ts';
import { OneShotSupernet } from '../../../src/accuracy/supernet/one-shot-supernet.ts';
import type { SupernetOptions } from '../../../src/accuracy/supernet/supernet-settings.ts';
import type { SupernetAccuracySource } from '../../../src/accuracy/supernet/supernet-source.ts';
import { loadSpace } from '../../../src/space/space-registry.ts';
import { tinyCifarDir } from '../../helpers/tiny-cifar.ts';

const space = loadSpace(fileURLToPath(new URL('../fixtures/tiny-chain.json', import.meta.url)));

test('a trained supernet is cached under its settings hash: the same settings load it, a changed training setting trains another', async () => {
  const dataDir = tinyCifarDir(96, 40);
  const cacheDir = mkdtempSync(join(tmpdir(), 'hwnas-sn-cache-'));
  const base: SupernetOptions = { dataDir, cacheDir, epochs: 1, batchSize: 16, microBatchSize: 16, bnBatches: 2, testImages: 40, seed: 2 };
  const archs = ['000', '121', '212', '222'].map((a) => space.decode(a));
  const scores = async (o: SupernetOptions) => {
    const net = await OneShotSupernet.open(space, o);
    try {
      const s: number[] = [];
      for (const g of archs) s.push(await net.score(g));
      return { info: net.info, s };
    } finally {
      net.dispose();
    }
  };

  const a = await scores(base);
  assert.equal(a.info.cached, false);
  assert.equal(a.info.steps, 6);
  assert.ok(a.s.every((x) => x >= 0 && x <= 100));
  const meta = JSON.parse(readFileSync(join(a.info.dir, 'meta.json'), 'utf8')) as { key: string; settings: { learningRate: number }; steps: number };
  assert.equal(meta.key, a.info.key);
  assert.equal(meta.steps, 6);

  const b = await scores(base);
  assert.equal(b.info.cached, true, 'same settings: loaded');
  assert.equal(b.info.key, a.info.key);
  assert.deepEqual(b.s, a.s, 'the loaded supernet scores exactly as the trained one');

  const c = await scores({ ...base, testImages: 20, bnBatches: 1 });
  assert.equal(c.info.cached, true, 'scoring settings are not part of the key');

  const d = await scores({ ...base, sampling: 'fair' });
  assert.equal(d.info.cached, false, 'a changed training setting (FairNAS sampling) is a cache miss');
  assert.equal(d.info.steps, 6);
  assert.notDeepEqual(d.s, a.s);
  assert.notEqual(d.info.key, a.info.key);
  const e = await scores({ ...base, trainImages: 64 });
  assert.equal(e.info.cached, false, 'other training images: a miss');
  assert.equal(readdirSync(cacheDir).length, 3);

  // Through the registry: the source trains or loads in a worker thread; here it loads the first one.
  const src = (await getAccuracySource('supernet', space, { seed: 2, jobs: 1, dataDir, supernet: { ...base } } as never)) as SupernetAccuracySource;
  try {
    assert.equal(src.metric, 'logLikelihood', 'searched on the held-out log-likelihood by default');
    assert.deepEqual(src.metricNames, ['logLikelihood', 'accuracy']);
    const m = await src.metrics(space, archs[2]!);
    assert.deepEqual(Object.keys(m).sort(), ['accuracy', 'logLikelihood']);
    assert.equal(m['accuracy'], a.s[2]);
    assert.ok(m['logLikelihood']! < 0 && Number.isFinite(m['logLikelihood']), 'minus a cross-entropy');
    assert.equal(src.supernet?.cached, true);
    assert.equal(src.supernet?.key, a.info.key);
  } finally {
    await src.close?.();
  }
});
