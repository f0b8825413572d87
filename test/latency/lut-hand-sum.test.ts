import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../../src/errors.ts';
import { loadDevice, type LutDevice } from '../../src/latency/device-profile.ts';
import { dataPath } from '../../src/tables/table-data.ts';
import { lutPredict } from '../../src/latency/lut-predictor.ts';
import { loadSpace } from '../../src/space/space-registry.ts';

const raw = (id: string): Record<string, { mean: number }> => JSON.parse(gunzipSync(readFileSync(dataPath(`luts/${id}.json.gz`))).toString('utf8'));

test('pixel1-lut prediction of a fixed proxyless-mobile arch is the hand sum of its keys', () => {
  const space = loadSpace('proxyless-mobile');
  const device = loadDevice('pixel1-lut') as LutDevice;
  // Stage 24: mb6_k5, skip, mb3_k3, skip; 40: mb3_k7 x4; 80: mb6_k3, skip x3; 96: mb3_k5 x4;
  // 192: mb6_k7, mb6_k7, skip, skip; 320: mb6_k3.
  const arch = 'mb6_k5-skip-mb3_k3-skip-mb3_k7-mb3_k7-mb3_k7-mb3_k7-mb6_k3-skip-skip-skip-mb3_k5-mb3_k5-mb3_k5-mb3_k5-mb6_k7-mb6_k7-skip-skip-mb6_k3';
  const ec = (i: string, o: string, e: number, k: number, s: number, id: number): string => `expanded_conv-input:${i}-output:${o}-expand:${e}-kernel:${k}-stride:${s}-idskip:${id}`;
  const keys = [
    'Conv-input:224x224x3-output:112x112x32',
    ec('112x112x32', '112x112x16', 1, 3, 1, 0),
    ec('112x112x16', '56x56x24', 6, 5, 2, 0),
    ec('56x56x24', '56x56x24', 3, 3, 1, 1),
    ec('56x56x24', '28x28x40', 3, 7, 2, 0),
    ec('28x28x40', '28x28x40', 3, 7, 1, 1), ec('28x28x40', '28x28x40', 3, 7, 1, 1), ec('28x28x40', '28x28x40', 3, 7, 1, 1),
    ec('28x28x40', '14x14x80', 6, 3, 2, 0),
    ec('14x14x80', '14x14x96', 3, 5, 1, 0),
    ec('14x14x96', '14x14x96', 3, 5, 1, 1), ec('14x14x96', '14x14x96', 3, 5, 1, 1), ec('14x14x96', '14x14x96', 3, 5, 1, 1),
    ec('14x14x96', '7x7x192', 6, 7, 2, 0),
    ec('7x7x192', '7x7x192', 6, 7, 1, 1),
    ec('7x7x192', '7x7x320', 6, 3, 1, 0),
    'Conv_1-input:7x7x320-output:7x7x1280',
    'Logits-input:7x7x1280-output:1000',
  ];
  const lut = raw('proxylessnas_mobile_trim');
  const expected = keys.reduce((s, k) => s + lut[k]!.mean, 0);
  const p = lutPredict(device, space, space.decode(arch));
  assert.deepEqual(p.terms.map((t) => t.key), keys);
  assert.ok(Math.abs(p.latencyMs - expected) < 1e-9, `${p.latencyMs} vs ${expected}`);
});

test('note10-lut picks the LUT of the model resolution', () => {
  const space = loadSpace('ofa-mbv3');
  const device = loadDevice('note10-lut') as LutDevice;
  const arch = 'r160:k3e3.k3e3-k3e3.k3e3-k3e3.k3e3-k3e3.k3e3-k3e3.k3e3';
  const p = lutPredict(device, space, space.decode(arch));
  assert.equal(p.lut, 'ofa_note10_160_lookup_table');
  assert.equal(p.terms[0]!.key, 'Conv-input:160x160x3-output:80x80x24');
  assert.equal(p.terms.at(-1)!.key, 'Logits-input:1x1x1536-output:1000');
  const lut = raw('ofa_note10_160_lookup_table');
  assert.ok(Math.abs(p.latencyMs - p.terms.reduce((s, t) => s + lut[t.key]!.mean, 0)) < 1e-9);
  assert.ok(p.terms.some((t) => t.key === 'expanded_conv-input:10x10x96-output:10x10x136-expand:288-kernel:3-stride:1-idskip:0-se:1-hs:1'));
});

test('a LUT device refuses other spaces and a missing key names the key', () => {
  const device = loadDevice('pixel1-lut') as LutDevice;
  const mnas = loadSpace('mnasnet');
  assert.throws(() => lutPredict(device, mnas, mnas.decisions.map(() => 0)), (e: unknown) => e instanceof InputError && e.code === 'incompatible');
  const fake: LutDevice = { ...device, id: 'fake', spaces: ['ofa-mbv3'] };
  const ofa = loadSpace('ofa-mbv3');
  assert.throws(() => lutPredict(fake, ofa, ofa.decisions.map(() => 0)), (e: unknown) => e instanceof InputError && /no entry for key "Conv-input:160x160x3-output:80x80x24"/.test(e.message));
});
