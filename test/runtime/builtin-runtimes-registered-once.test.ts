import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registerBuiltinRuntimes } from '../../src/runtime/builtin-runtimes.ts';
import { getRuntime, runtimeIds } from '../../src/runtime/runtime.ts';

test('registerBuiltinRuntimes() registers ort-cpu and ort-webgpu and is idempotent', () => {
  registerBuiltinRuntimes();
  const ids = runtimeIds();
  registerBuiltinRuntimes();
  assert.deepEqual(runtimeIds(), ids);
  for (const id of ['ort-cpu', 'ort-webgpu']) {
    assert.ok(ids.includes(id));
    assert.equal(getRuntime(id)?.id, id);
  }
  assert.equal(getRuntime('ort-cpu')?.info({ threads: 1 }).provider, 'cpu');
});
