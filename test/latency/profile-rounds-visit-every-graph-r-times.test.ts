import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadDevice, type MeasuredDevice } from '../../src/latency/device-profile.ts';
import { runCli, tempDir } from '../helpers/cli.ts';

const TINY = fileURLToPath(new URL('./fixtures/tiny-chain.json', import.meta.url));

test('hwnas profile --rounds 2 visits every layer and model twice per pass', async () => {
  const dir = tempDir('hwnas-profile-rounds-');
  try {
    const out = join(dir, 'lut.json');
    const { code, out: stdout, err } = await runCli(['profile', '--device', 'ort-cpu-1t', '--space', TINY, '--samples', '2', '--rounds', '2', '--statistic', 'min', '--out', out]);
    assert.equal(code, 0, err);
    assert.equal(JSON.parse(stdout).rounds, 2);
    assert.match(err, /profile: pass 1\/2 round 2\/2 model 2\/2/);
    assert.match(err, /profile: pass 2\/2 round 2\/2 model 2\/2/);
    const { iterations } = (loadDevice('ort-cpu-1t') as MeasuredDevice).timing;
    const file = JSON.parse(readFileSync(out, 'utf8'));
    assert.match(file.method, /over 2 round-robin visit/);
    for (const [key, e] of Object.entries(file.entries) as [string, { samples: number }][]) {
      assert.ok(e.samples >= 2 * iterations, `${key}: ${e.samples} timed runs, expected two visits of at least ${iterations}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hwnas profile --rounds 0 exits 2 naming the flag', async () => {
  const { code, err } = await runCli(['profile', '--device', 'ort-cpu-1t', '--space', TINY, '--rounds', '0']);
  assert.equal(code, 2);
  assert.match(err, /--rounds/);
});
