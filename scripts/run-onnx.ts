// Run every N.onnx under the given folders in an onnxruntime-node CPU session on a seeded random
// input; check the output has the model's declared shape (or --expect, e.g. 1,10) and is finite.
// Usage: node --import tsx scripts/run-onnx.ts [--expect 1,10] DIR...
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { Rng } from '../src/util/rng.ts';

const args = process.argv.slice(2);
const ei = args.indexOf('--expect');
const expectFlag = ei >= 0 ? args.splice(ei, 2)[1]?.split(',').map(Number) : undefined;
const seen = new Set<string>();
let ok = 0;
let total = 0;
for (const dir of args) {
  const files = readdirSync(dir).filter((f) => /^\d+\.onnx$/.test(f)).sort((a, b) => parseInt(a) - parseInt(b));
  for (const f of files) {
    total++;
    const path = join(dir, f);
    try {
      const s = await ort.InferenceSession.create(readFileSync(path), { graphOptimizationLevel: 'all', intraOpNumThreads: 1 });
      const dims = s.inputMetadata[0] && 'shape' in s.inputMetadata[0] ? (s.inputMetadata[0].shape as number[]) : [1, 3, 32, 32];
      const rng = new Rng(total);
      const x = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => rng.normal());
      const y = (await s.run({ input: new ort.Tensor('float32', x, dims) })).output!;
      const meta = s.outputMetadata[0];
      const expected = expectFlag ?? (meta && 'shape' in meta ? (meta.shape as number[]) : []);
      await s.release();
      seen.add(`[${y.dims.join(',')}]`);
      const values = [...(y.data as Float32Array)];
      if (y.dims.join(',') !== expected.join(',')) console.log(`FAIL ${path}: output [${y.dims.join(',')}], expected [${expected.join(',')}]`);
      else if (!values.every(Number.isFinite)) console.log(`FAIL ${path}: non-finite output`);
      else ok++;
    } catch (e) {
      console.log(`FAIL ${path}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
}
console.log(`onnxruntime-node ${ort.env.versions.node}: ${ok}/${total} models run with the ${expectFlag ? `expected output [${expectFlag.join(',')}]` : 'declared output shape'} and finite values (output shapes seen: ${[...seen].join(' ')})`);
process.exitCode = total > 0 && ok === total ? 0 : 1;
