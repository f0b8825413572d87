import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import onnxProto from 'onnx-proto';
import type { Io } from '../../src/util/io.ts';
import { main } from '../../src/cli/main.ts';

function fakeIo(): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', isTty: false, out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}

test('hwnas export --archs-file writes 1.onnx, 2.onnx, ... in input order with archs.txt', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hwnas-export-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const archs = join(dir, 'archs.in');
  writeFileSync(archs, '# two nb201 cells\n|none~0|+|none~0|none~1|+|none~0|none~1|none~2|\n\n  |avg_pool_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|nor_conv_3x3~0|none~1|skip_connect~2|  \n');
  const out = join(dir, 'models');
  const io = fakeIo();
  const code = await main(['export', '--space', 'nb201', '--archs-file', archs, '--out', out], io);
  assert.equal(code, 0, io.stderr);
  assert.deepEqual(readdirSync(out).sort(), ['1.onnx', '2.onnx', 'archs.txt']);
  assert.equal(
    readFileSync(join(out, 'archs.txt'), 'utf8'),
    '1\t|none~0|+|none~0|none~1|+|none~0|none~1|none~2|\n2\t|avg_pool_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|nor_conv_3x3~0|none~1|skip_connect~2|\n',
  );
  const m = onnxProto.onnx.ModelProto.decode(readFileSync(join(out, '2.onnx')));
  assert.equal(m.graph?.name, 'nb201:|avg_pool_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|nor_conv_3x3~0|none~1|skip_connect~2|');
  assert.match(io.stdout, /wrote 2 ONNX models/);
});

test('hwnas export --random N --seed S is reproducible and honours --opset', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hwnas-export-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const run = async (sub: string, seed: string) => {
    const io = fakeIo();
    assert.equal(await main(['export', '--space', 'nasbench-macro', '--random', '3', '--seed', seed, '--opset', '14', '--out', join(dir, sub)], io), 0, io.stderr);
    return readFileSync(join(dir, sub, 'archs.txt'), 'utf8');
  };
  const a = await run('a', '5');
  assert.equal(await run('b', '5'), a);
  assert.notEqual(await run('c', '6'), a);
  assert.match(a, /^1\t[012]{8}\n2\t[012]{8}\n3\t[012]{8}\n$/);
  assert.deepEqual(readdirSync(join(dir, 'a')).sort(), ['1.onnx', '2.onnx', '3.onnx', 'archs.txt']);
  const m = onnxProto.onnx.ModelProto.decode(readFileSync(join(dir, 'a', '3.onnx')));
  assert.equal(Number(m.opsetImport[0]?.version), 14);
});
