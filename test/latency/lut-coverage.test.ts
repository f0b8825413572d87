import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadDevice, type LutDevice } from '../../src/latency/device-profile.ts';
import { lutPredict } from '../../src/latency/lut-predictor.ts';
import { loadSpace } from '../../src/space/space-registry.ts';

// Every layer configuration of the LUT spaces has its keys: in proxyless-mobile each choice at each
// slot; in ofa-mbv3, per resolution, every (kernel, expand) in every stage at full depth (a stage's
// input shape depends only on the resolution).
test('pixel1-lut covers every proxyless-mobile layer', () => {
  const space = loadSpace('proxyless-mobile');
  const device = loadDevice('pixel1-lut') as LutDevice;
  const maxChoices = Math.max(...space.decisions.map((d) => d.choices.length));
  for (let c = 0; c < maxChoices; c++) {
    const g = space.decisions.map((d) => Math.min(c, d.choices.length - 1));
    assert.ok(lutPredict(device, space, g).latencyMs > 0);
  }
});

test('note10-lut and i7-8700k-lut cover every ofa-mbv3 layer', () => {
  const space = loadSpace('ofa-mbv3');
  for (const id of ['note10-lut', 'i7-8700k-lut']) {
    const device = loadDevice(id) as LutDevice;
    for (let r = 0; r < 5; r++) {
      for (let k = 0; k < 3; k++) {
        for (let e = 0; e < 3; e++) {
          const g = space.decisions.map((d) => (d.name === 'resolution' ? r : d.name.endsWith('.depth') ? 2 : d.name.endsWith('.kernel') ? k : e));
          assert.ok(lutPredict(device, space, g).latencyMs > 0, `${id} ${space.encode(g)}`);
        }
      }
    }
  }
});
