import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Io } from '../../src/util/io.ts';
import { profileCommand } from '../../src/cli/profile.ts';
import { InputError } from '../../src/errors.ts';
import { loadLut } from '../../src/latency/lut-file.ts';

const TINY = fileURLToPath(new URL('./fixtures/tiny-chain.json', import.meta.url));

function capture(): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', isTty: false, out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}

test('hwnas profile on a tiny space with --samples 3 runs end to end on ort-cpu-1t', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hwnas-profile-'));
  try {
    const out = join(dir, 'lut.json');
    const io = capture();
    const code = await profileCommand.run(['--device', 'ort-cpu-1t', '--space', TINY, '--samples', '3', '--out', out], io);
    assert.equal(code, 0);
    const r = JSON.parse(io.stdout);
    assert.equal(r.space, 'tiny-chain');
    assert.equal(r.samples, 3);
    assert.equal(r.layerConfigs, 3); // stem, mb2_k3 (the skip adds no node), head
    for (const k of ['within5', 'within10', 'mape', 'spearman']) {
      assert.equal(typeof r.lut[k], 'number');
      assert.equal(r[k], r.calibrated[k], `top-level ${k} is the calibrated LUT's`);
    }
    for (const k of ['flopsSpearman', 'paramsSpearman', 'repeatSpearman', 'medianCv']) assert.ok(k in r);
    assert.equal(typeof r.fitted.within10, 'number');
    assert.equal(r.models.length, 3);
    for (const m of r.models) assert.ok(m.measuredMs > 0 && Number.isFinite(m.lutMs) && Number.isFinite(m.fittedMs));
    assert.equal(r.statistic, 'min', 'default statistic');
    assert.equal(r.rounds, 6, 'default rounds: the device\'s minRounds');
    assert.match(io.stderr, /profile: pass 2\/2 model 3\/3/);
    assert.equal(r.timing.device, 'ort-cpu-1t');
    assert.ok(r.timing.measured > 3 + 2 * 3, 'timing quality over layers, pass-throughs and both passes');
    assert.ok(r.timing.medianCiHalfWidthPct >= 0 && r.timing.loadBefore.loadAvg.length === 3);
    const file = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(file.format, 'hwnas-lut/1');
    assert.equal(file.statistic, 'min');
    assert.equal(file.rounds, 6);
    assert.equal(Object.keys(file.entries).length, 3);
    const csv = capture();
    assert.equal(await profileCommand.run(['--device', 'ort-cpu-1t', '--space', TINY, '--samples', '2', '--out', out, '--format', 'csv', '--statistic', 'median', '--rounds', '1'], csv), 0);
    assert.equal(csv.stdout.trim().split('\n')[0], 'arch,measuredMs,pass1Ms,pass2Ms,cv1,cv2,lutMs,fittedMs,flops,params');
    assert.equal(csv.stdout.trim().split('\n').length, 3);
    assert.throws(() => loadLut('no-such-lut'), InputError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hwnas profile refuses a device that is not measured', async () => {
  await assert.rejects(profileCommand.run(['--device', 'pixel1-lut', '--space', 'proxyless-mobile'], capture()), (e: unknown) => e instanceof InputError && /only measured devices/.test(e.message));
});
