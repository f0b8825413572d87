import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.ts';

// Regression: grad_norm then snip on several cells in one process used to abort the wasm backend
// ("Aborted()" / "memory access out of bounds") once the first cell's gradients had run.
test('hwnas eval computes grad_norm and snip for several nb201 cells in one process', async () => {
  const { code, out, err } = await runCli(['eval', '--space', 'nb201', '--random', '2', '--seed', '1', '--metrics', 'grad_norm,snip', '--format', 'json']);
  assert.equal(code, 0, err);
  const rows = JSON.parse(out) as Record<string, string | number>[];
  assert.equal(rows.length, 2);
  for (const r of rows) {
    assert.equal(r['error'], undefined, `no error: ${r['error']}`);
    for (const m of ['grad_norm', 'snip']) assert.ok(Number.isFinite(Number(r[m])) && Number(r[m]) > 0, `${m} = ${r[m]}`);
  }
});
