import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../helpers/cli.ts';

function deviceFile(dir: string, name: string, def: Record<string, unknown>): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ id: name, kind: 'measured', runtime: 'ort-cpu', ...def }));
  return file;
}

test('a device asking for 100,000 threads or timing of 10^12 ms is refused at its JSON path with the limit', async () => {
  const dir = tempDir();
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ threads: 100000 }, /at \/threads: does not match the schema; expected must be <= 1024, got 100000/],
    [{ timing: { minTimeMs: 1e12 } }, /at \/timing\/minTimeMs: .*<= 60000, got 1000000000000/],
    [{ timing: { warmupMs: 1e9 } }, /at \/timing\/warmupMs: .*<= 60000/],
    [{ timing: { iterations: 1e9 } }, /at \/timing\/iterations: .*<= 100000/],
    [{ timing: { warmupRuns: 1e7 } }, /at \/timing\/warmupRuns: .*<= 100000/],
  ];
  for (const [i, [def, re]] of cases.entries()) {
    const file = deviceFile(dir, `d${i}`, def);
    const r = await runCli(['eval', '--space', 'nasbench-macro', '--arch', '00000000', '--metrics', 'latency', '--device', file]);
    assert.equal(r.code, 2, r.err);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.ok(r.err.includes(file), r.err);
    assert.match(r.err, re);
  }
});

test('an unknown runtime is reported with the device file, its JSON path, the runtimes and the value', async () => {
  const dir = tempDir();
  const file = deviceFile(dir, 'typo', { runtime: 'ort-cpux' });
  const r = await runCli(['eval', '--space', 'nasbench-macro', '--arch', '00000000', '--metrics', 'latency', '--device', file]);
  assert.equal(r.code, 2);
  assert.equal(r.err, `hwnas eval: ${file} at /runtime: device "typo" names an unknown runtime; expected one of ort-cpu, ort-webgpu, tfjs-cpu, tfjs-node, tfjs-node-gpu, tfjs-wasm, tfjs-webgpu, got "ort-cpux"\n`);
});
