import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accuracySources, getAccuracySource } from '../../src/accuracy/accuracy-registry.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/errors.ts';
import { loadSpace } from '../../src/space/space-registry.ts';

test('table accuracy sources are registered', async () => {
  const ids = accuracySources.ids();
  for (const id of ['table', 'nb201', 'nasbench-macro']) assert.ok(ids.includes(id), id);
});

test('a table source for a space without that table is an incompatible InputError naming the spaces', async () => {
  const macro = loadSpace('nasbench-macro');
  await assert.rejects(() => getAccuracySource('nb201', macro), (e: unknown) => e instanceof InputError && e.code === 'incompatible' && e.message.includes('nasbench-macro'));
  const nb201 = loadSpace('nb201');
  await assert.rejects(() => getAccuracySource('nasbench-macro', nb201), (e: unknown) => e instanceof InputError && e.code === 'incompatible');
});

test('an unknown accuracy source is an unknown-id InputError listing the ids', async () => {
  await assert.rejects(() => getAccuracySource('no-such-source', loadSpace('nb201')), (e: unknown) => e instanceof InputError && e.code === 'unknown-id' && e.message.includes('table'));
});

test('source "table" for a space without a table is an incompatible InputError listing the spaces with tables', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'hwnas-')), 'tiny-chain.json');
  writeFileSync(file, JSON.stringify({
    id: 'tiny-chain', family: 'chain', input: [3, 8, 8], classes: 10,
    stem: [{ op: 'conv', channels: 8, kernel: 3 }], stages: [{ layers: 2, channels: 8, stride: 1 }],
    blocks: { skip: { op: 'identity' }, mb: { op: 'mbconv', expand: 2, kernel: 3 } }, choices: ['skip', 'mb'],
    head: [], encoding: { kind: 'digits' },
  }));
  const space = loadSpace(file);
  await assert.rejects(() => getAccuracySource('table', space), (e: unknown) =>
    e instanceof InputError && e.code === 'incompatible' && e.message.includes('"tiny-chain"') && e.message.includes('nb201') && e.message.includes('nasbench-macro'));
});
