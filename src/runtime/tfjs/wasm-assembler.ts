/**
 * A minimal WebAssembly binary writer for hwnas's few hand-written kernels (see
 * `./depthwise-filter-grad.ts`): one module importing a memory, i32-parameter functions, i32 locals,
 * structured loops, scalar f32 and 128-bit SIMD f32x4 loads, stores and arithmetic. Encodings follow
 * the WebAssembly core specification 2.0, §5 (binary format) and the fixed-width SIMD opcodes.
 */

/** Unsigned LEB128 (spec §5.2.2). */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (spec §5.2.2) of a 32-bit integer. */
export function sleb(n: number): number[] {
  const out: number[] = [];
  n |= 0;
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (s: string): number[] => vec([...Buffer.from(s, 'utf8')].map((b) => [b]));
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

const I32 = 0x7f;

/** Instruction bytes. Local indices count the parameters first. */
export const op = {
  block: (...body: number[][]): number[] => [0x02, 0x40, ...body.flat(), 0x0b],
  loop: (...body: number[][]): number[] => [0x03, 0x40, ...body.flat(), 0x0b],
  br: (depth: number): number[] => [0x0c, ...uleb(depth)],
  brIf: (depth: number): number[] => [0x0d, ...uleb(depth)],
  get: (i: number): number[] => [0x20, ...uleb(i)],
  set: (i: number): number[] => [0x21, ...uleb(i)],
  i32: (v: number): number[] => [0x41, ...sleb(v)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  and: [0x71],
  geU: [0x4f],
  ltU: [0x49],
  /** f32.load, 4-byte aligned. */
  f32Load: [0x2a, 0x02, 0x00],
  f32Store: [0x38, 0x02, 0x00],
  f32Add: [0x92],
  f32Sub: [0x93],
  f32Mul: [0x94],
  /** v128.load / v128.store (alignment hint 4 bytes: addresses are float-aligned). */
  v128Load: [0xfd, ...uleb(0), 0x02, 0x00],
  v128Store: [0xfd, ...uleb(11), 0x02, 0x00],
  f32x4Add: [0xfd, ...uleb(228)],
  f32x4Sub: [0xfd, ...uleb(229)],
  f32x4Mul: [0xfd, ...uleb(230)],
};

/**
 * `for (local = from; local < to; local += step) body` with unsigned comparison; `body` runs inside
 * its own block, so `op.br(0)` there skips to the next iteration ("continue").
 */
export function forLoop(local: number, from: number[], to: number[], step: number[], ...body: number[][]): number[] {
  return [
    ...from, ...op.set(local),
    ...op.block(op.loop(
      op.get(local), to, op.geU, op.brIf(1),
      op.block(...body),
      op.get(local), step, op.add, op.set(local),
      op.br(0),
    )),
  ];
}

/** One exported function: `params` i32 parameters, `locals` extra i32 locals, its body. */
export interface WasmFunction {
  readonly name: string;
  readonly params: number;
  readonly locals: number;
  readonly body: number[];
}

/** A module importing `env.memory` (any size) and exporting `functions` (no results). */
export function assembleModule(functions: readonly WasmFunction[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vec(Array.from({ length: f.params }, () => [I32])), ...vec([])]);
  const imports = [[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)]];
  const code = functions.map((f) => {
    const body = [...vec(f.locals > 0 ? [[...uleb(f.locals), I32]] : []), ...f.body, 0x0b];
    return [...uleb(body.length), ...body];
  });
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(7, vec(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(code)),
  ]);
}
