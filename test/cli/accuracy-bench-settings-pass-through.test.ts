import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers/cli-process.ts';
import { runCli, tempDir } from '../helpers/cli.ts';

test('accuracy-bench passes --data and the training budget to the sources, and a resume must keep them', async () => {
  const out = join(tempDir(), 'bench');
  const data = join(ROOT, 'data/fashion-mnist-subset');
  const args = ['accuracy-bench', '--signals', 'flops', '--samples', '5', '--resamples', '10', '--format', 'json', '--out', out, '--data', data, '--train-epochs', '2', '--train-images', '100'];
  const r = await runCli(args);
  assert.equal(r.code, 0, r.err);
  const row = (JSON.parse(r.out) as { signal: string; settings: { accuracySettings: Record<string, unknown> } }[]).find((x) => x.signal === 'flops')!;
  assert.equal(row.settings.accuracySettings.data, data);
  assert.deepEqual(row.settings.accuracySettings.training, { epochs: 2, trainImages: 100 });
  const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { fingerprint: Record<string, unknown> };
  assert.deepEqual(config.fingerprint, { space: 'nasbench-macro', seed: 0, groundTruth: 'accuracy', data, training: { epochs: 2, trainImages: 100 } }, 'jobs and callbacks stay out of the fingerprint');
  // Same settings, other --jobs: resumed. Another budget: refused, naming what changed.
  assert.equal((await runCli([...args, '--resume', '--jobs', '1'])).code, 0);
  const changed = await runCli([...args.map((a) => (a === '2' ? '3' : a)), '--resume']);
  assert.equal(changed.code, 2);
  assert.match(changed.err, /settings changed/);
  assert.match(changed.err, /training \(was \{"epochs":2,"trainImages":100\}, now \{"epochs":3,"trainImages":100\}\)/);
});
