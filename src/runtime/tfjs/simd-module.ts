import { assembleModule, forLoop, op, type WasmFunction } from './wasm-assembler.ts';

/**
 * hwnas's WebAssembly SIMD kernels for training on tfjs's wasm backend, in one module that imports
 * the backend's memory and works on tensors where the backend keeps them. All pointers are byte
 * offsets into that memory, tensors are float32, NHWC (a feature map is M = N·H·W rows of C
 * channels), accumulating outputs must be zeroed by the caller. Each loop runs over rows, then four
 * channels per f32x4 instruction, then the C mod 4 remaining channels one at a time; summation
 * orders are fixed, so results repeat exactly.
 *
 * Kernels:
 * - `dwFilterGrad(x, dy, out, n, h, w, c, oh, ow, k, s, p)`: ∂w[a,b,c] += Σ_{n,i,j} x[n, i·s+a−p, j·s+b−p, c]·dy[n,i,j,c]
 * - `colSum(x, out, m, c)`: out[c] += Σ_rows x[row, c]
 * - `center(x, mean, xc, sq, m, c)`: xc = x − mean; sq[c] += Σ_rows xc²
 * - `affine(x, a, b, y, m, c)`: y = x·a + b (a, b per channel)
 * - `backSums(dy, xc, s1, s2, m, c)`: s1[c] += Σ_rows dy; s2[c] += Σ_rows dy·xc
 * - `backDx(dy, xc, a, b, c0, dx, m, c)`: dx = dy·a + xc·b + c0 (per-channel a, b, c0)
 */

export interface SimdKernels {
  dwFilterGrad(x: number, dy: number, out: number, n: number, h: number, w: number, c: number, oh: number, ow: number, k: number, s: number, p: number): void;
  colSum(x: number, out: number, m: number, c: number): void;
  center(x: number, mean: number, xc: number, sq: number, m: number, c: number): void;
  affine(x: number, a: number, b: number, y: number, m: number, c: number): void;
  backSums(dy: number, xc: number, s1: number, s2: number, m: number, c: number): void;
  backDx(dy: number, xc: number, a: number, b: number, c0: number, dx: number, m: number, c: number): void;
}

const g = op.get;

function dwFilterGrad(): WasmFunction {
  // Parameters 0–11, then locals 12–24.
  const X = 0, DY = 1, OUT = 2, N = 3, H = 4, W = 5, C = 6, OH = 7, OW = 8, K = 9, S = 10, P = 11;
  const BN = 12, I = 13, J = 14, A = 15, B = 16, R = 17, Q = 18, DYPIX = 19, XPIX = 20, OPIX = 21, OFF = 22, ROW = 23, ROW4 = 24;
  const simd = forLoop(OFF, op.i32(0), g(ROW4), op.i32(16),
    g(OPIX), g(OFF), op.add,
    g(OPIX), g(OFF), op.add, op.v128Load,
    g(XPIX), g(OFF), op.add, op.v128Load,
    g(DYPIX), g(OFF), op.add, op.v128Load,
    op.f32x4Mul, op.f32x4Add, op.v128Store,
  );
  const tail = forLoop(OFF, g(ROW4), g(ROW), op.i32(4),
    g(OPIX), g(OFF), op.add,
    g(OPIX), g(OFF), op.add, op.f32Load,
    g(XPIX), g(OFF), op.add, op.f32Load,
    g(DYPIX), g(OFF), op.add, op.f32Load,
    op.f32Mul, op.f32Add, op.f32Store,
  );
  const tapB = forLoop(B, op.i32(0), g(K), op.i32(1),
    // q = j·s + b − p; outside [0, w) (the unsigned compare also catches q < 0): next tap.
    g(J), g(S), op.mul, g(B), op.add, g(P), op.sub, op.set(Q),
    g(Q), g(W), op.geU, op.brIf(0),
    // xPix = x + ((bn·h + r)·w + q)·row; oPix = out + (a·k + b)·row
    g(X), g(BN), g(H), op.mul, g(R), op.add, g(W), op.mul, g(Q), op.add, g(ROW), op.mul, op.add, op.set(XPIX),
    g(OUT), g(A), g(K), op.mul, g(B), op.add, g(ROW), op.mul, op.add, op.set(OPIX),
    simd, tail,
  );
  const tapA = forLoop(A, op.i32(0), g(K), op.i32(1),
    g(I), g(S), op.mul, g(A), op.add, g(P), op.sub, op.set(R),
    g(R), g(H), op.geU, op.brIf(0),
    tapB,
  );
  const column = forLoop(J, op.i32(0), g(OW), op.i32(1),
    // dyPix = dy + ((bn·oh + i)·ow + j)·row
    g(DY), g(BN), g(OH), op.mul, g(I), op.add, g(OW), op.mul, g(J), op.add, g(ROW), op.mul, op.add, op.set(DYPIX),
    tapA,
  );
  return {
    name: 'dwFilterGrad', params: 12, locals: 13,
    body: [
      // row = c·4 bytes per pixel; row4 = the part of it that whole f32x4 vectors cover.
      ...g(C), ...op.i32(4), ...op.mul, ...op.set(ROW),
      ...g(C), ...op.i32(-4), ...op.and, ...op.i32(4), ...op.mul, ...op.set(ROW4),
      ...forLoop(BN, op.i32(0), g(N), op.i32(1), forLoop(I, op.i32(0), g(OH), op.i32(1), column)),
    ],
  };
}

/**
 * A kernel over M rows of C channels. Parameters: the pointers (`rows` of them advance by one row
 * per row, the others are per-channel vectors), then m, then c. `elem(vector, at)` emits the work
 * at one offset: `at(i)` pushes the address of pointer parameter i at the current offset.
 */
function rowwise(name: string, pointers: number, rows: readonly number[], elem: (vector: boolean, at: (i: number) => number[]) => number[]): WasmFunction {
  const M = pointers, C = pointers + 1;
  // Locals: the row counter, the offset, row bytes, row bytes covered by vectors, one row pointer per row tensor.
  const ROWI = pointers + 2, OFF = ROWI + 1, ROW = OFF + 1, ROW4 = ROW + 1;
  const rowPtr = new Map(rows.map((p, k) => [p, ROW4 + 1 + k]));
  const at = (i: number): number[] => [...g(rowPtr.get(i) ?? i), ...g(OFF), ...op.add];
  return {
    name, params: pointers + 2, locals: 4 + rows.length,
    body: [
      ...g(C), ...op.i32(4), ...op.mul, ...op.set(ROW),
      ...g(C), ...op.i32(-4), ...op.and, ...op.i32(4), ...op.mul, ...op.set(ROW4),
      ...forLoop(ROWI, op.i32(0), g(M), op.i32(1),
        rows.flatMap((p) => [...g(p), ...g(ROWI), ...g(ROW), ...op.mul, ...op.add, ...op.set(rowPtr.get(p)!)]),
        forLoop(OFF, op.i32(0), g(ROW4), op.i32(16), elem(true, at)),
        forLoop(OFF, g(ROW4), g(ROW), op.i32(4), elem(false, at)),
      ),
    ],
  };
}

const load = (v: boolean): number[] => (v ? op.v128Load : op.f32Load);
const store = (v: boolean): number[] => (v ? op.v128Store : op.f32Store);
const add = (v: boolean): number[] => (v ? op.f32x4Add : op.f32Add);
const sub = (v: boolean): number[] => (v ? op.f32x4Sub : op.f32Sub);
const mul = (v: boolean): number[] => (v ? op.f32x4Mul : op.f32Mul);

/** out += row (0 x, 1 out). */
const colSum = rowwise('colSum', 2, [0], (v, at) => [...at(1), ...at(1), ...load(v), ...at(0), ...load(v), ...add(v), ...store(v)]);

/** xc = x − mean; sq += xc² (0 x, 1 mean, 2 xc, 3 sq). */
const center = rowwise('center', 4, [0, 2], (v, at) => [
  ...at(2), ...at(0), ...load(v), ...at(1), ...load(v), ...sub(v), ...store(v),
  ...at(3), ...at(3), ...load(v), ...at(2), ...load(v), ...at(2), ...load(v), ...mul(v), ...add(v), ...store(v),
]);

/** y = x·a + b (0 x, 1 a, 2 b, 3 y). */
const affine = rowwise('affine', 4, [0, 3], (v, at) => [
  ...at(3), ...at(0), ...load(v), ...at(1), ...load(v), ...mul(v), ...at(2), ...load(v), ...add(v), ...store(v),
]);

/** s1 += dy; s2 += dy·xc (0 dy, 1 xc, 2 s1, 3 s2). */
const backSums = rowwise('backSums', 4, [0, 1], (v, at) => [
  ...at(2), ...at(2), ...load(v), ...at(0), ...load(v), ...add(v), ...store(v),
  ...at(3), ...at(3), ...load(v), ...at(0), ...load(v), ...at(1), ...load(v), ...mul(v), ...add(v), ...store(v),
]);

/** dx = dy·a + xc·b + c0 (0 dy, 1 xc, 2 a, 3 b, 4 c0, 5 dx). */
const backDx = rowwise('backDx', 6, [0, 1, 5], (v, at) => [
  ...at(5), ...at(0), ...load(v), ...at(2), ...load(v), ...mul(v), ...at(1), ...load(v), ...at(3), ...load(v), ...mul(v), ...add(v),
  ...at(4), ...load(v), ...add(v), ...store(v),
]);

let compiled: WebAssembly.Module | undefined;
const instances = new WeakMap<WebAssembly.Memory, SimdKernels>();

/** The kernels working on `memory` (compiled once, instantiated once per memory). */
export function simdKernels(memory: WebAssembly.Memory): SimdKernels {
  let k = instances.get(memory);
  if (!k) {
    compiled ??= new WebAssembly.Module(assembleModule([dwFilterGrad(), colSum, center, affine, backSums, backDx]));
    k = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as SimdKernels;
    instances.set(memory, k);
  }
  return k;
}

/** What hwnas's kernels use of tfjs-backend-wasm (internal, stable across tfjs 4.x). */
export interface WasmBackendInternals {
  wasm: { asm: { memory: WebAssembly.Memory } };
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: 'float32'): { dataId: object; shape: number[]; dtype: 'float32' };
  typedArrayFromHeap(t: { dataId: object; shape: number[]; dtype: string }): Float32Array;
  disposeData(dataId: object): boolean;
}
