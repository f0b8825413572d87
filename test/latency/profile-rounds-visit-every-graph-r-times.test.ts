import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadDevice, type MeasuredDevice } from '../../src/latency/device-profile.ts';
import { runCli, tempDir } from '../helpers/cli.ts';

const TINY = fileURLToPath(new URL('./fixtures/tiny-chain.json', import.meta.url));

test('hwnas profile --rounds 9 times every layer and model in at least 9 interleaved rounds', async () => {
  const dir = tempDir('hwnas-profile-rounds-');
  try {
    const out = join(dir, 'lut.json');
    const { code, out: stdout, err } = await runCli(['profile', '--device', 'ort-cpu-1t', '--space', TINY, '--samples', '2', '--rounds', '9', '--statistic', 'min', '--out', out]);
    assert.equal(code, 0, err);
    assert.equal(JSON.parse(stdout).rounds, 9);
    assert.match(err, /profile: pass 1\/2 model 2\/2/);
    assert.match(err, /profile: pass 2\/2 model 2\/2/);
    const { iterations } = (loadDevice('ort-cpu-1t') as MeasuredDevice).timing;
    const file = JSON.parse(readFileSync(out, 'utf8'));
    assert.match(file.method, /interleaved rounds \(at least 9,/);
    // Each of at least 9 rounds times ceil(iterations / 9) runs at least.
    for (const [key, e] of Object.entries(file.entries) as [string, { samples: number }][]) {
      assert.ok(e.samples >= 9 * Math.ceil(iterations / 9), `${key}: ${e.samples} timed runs, expected 9 rounds of at least ${Math.ceil(iterations / 9)}`);
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
