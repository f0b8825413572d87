import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getRuntime, runtimes } from '../../src/runtime/runtime-registry.ts';

test('the runtime registry holds ort-cpu and ort-webgpu; registering an id twice is refused', () => {
  const ids = runtimes.ids();
  for (const id of ['ort-cpu', 'ort-webgpu', 'tfjs-cpu', 'tfjs-wasm', 'tfjs-webgpu']) {
    assert.ok(ids.includes(id));
    assert.equal(getRuntime(id)?.id, id);
  }
  assert.equal(getRuntime('ort-cpu')?.info({ threads: 1 }).provider, 'cpu');
  assert.throws(() => runtimes.register('ort-cpu', runtimes.find('ort-cpu')!), /registered already/);
  assert.throws(() => runtimes.get('nope'), /unknown runtime "nope".*one of .*ort-cpu/);
});
