import { assembleModule, forLoop, op, type WasmFunction } from './wasm-assembler.ts';

/**
 * hwnas's WebAssembly SIMD kernels for training on tfjs's wasm backend, in one module that imports
 * the backend's memory and works on tensors where the backend keeps them. All pointers are byte
 * offsets into that memory, tensors are float32, NHWC (a feature map is M = N·H·W rows of C
 * channels), accumulating outputs must be zeroed by the caller. Each loop runs over rows, then four
 * channels per f32x4 instruction, then the C mod 4 remaining channels one at a time; summation
 * orders are fixed, so results repeat exactly.
 *
 * Kernels (depthwise: multiplier 1, filter `[k,k,C]`, taps outside the input map count 0):
 * - `dwForward(y, x, w, n, h, w, c, oh, ow, k, s, p)`: y[n,i,j,c] += Σ_{a,b} x[n, i·s+a−p, j·s+b−p, c]·w[a,b,c]
 * - `dwInputGrad(dx, dy, w, …)`: dx[n, i·s+a−p, j·s+b−p, c] += dy[n,i,j,c]·w[a,b,c] (a scatter: no zero-interleaving for strides)
 * - `dwFilterGrad(dw, x, dy, …)`: dw[a,b,c] += Σ_{n,i,j} x[n, i·s+a−p, j·s+b−p, c]·dy[n,i,j,c]
 * - `colSum(x, out, m, c)`: out[c] += Σ_rows x[row, c]
 * - `center(x, mean, xc, sq, m, c)`: xc = x − mean; sq[c] += Σ_rows xc²
 * - `affine(x, a, b, y, m, c)`: y = x·a + b (a, b per channel)
 * - `backSums(dy, xc, s1, s2, m, c)`: s1[c] += Σ_rows dy; s2[c] += Σ_rows dy·xc
 * - `backDx(dy, xc, a, b, c0, dx, m, c)`: dx = dy·a + xc·b + c0 (per-channel a, b, c0)
 */

export interface SimdKernels {
  dwForward(y: number, x: number, w: number, n: number, h: number, wd: number, c: number, oh: number, ow: number, k: number, s: number, p: number): void;
  dwInputGrad(dx: number, dy: number, w: number, n: number, h: number, wd: number, c: number, oh: number, ow: number, k: number, s: number, p: number): void;
  dwFilterGrad(dw: number, x: number, dy: number, n: number, h: number, wd: number, c: number, oh: number, ow: number, k: number, s: number, p: number): void;
  colSum(x: number, out: number, m: number, c: number): void;
  center(x: number, mean: number, xc: number, sq: number, m: number, c: number): void;
  affine(x: number, a: number, b: number, y: number, m: number, c: number): void;
  backSums(dy: number, xc: number, s1: number, s2: number, m: number, c: number): void;
  backDx(dy: number, xc: number, a: number, b: number, c0: number, dx: number, m: number, c: number): void;
}

const g = op.get;

/** Which address a depthwise kernel's operand takes: an input-grid pixel, an output-grid pixel, or a tap. */
type DwRole = 'input' | 'output' | 'tap';

/**
 * A depthwise convolution loop, `acc[...] += one[...] · two[...]` for every output pixel (n, i, j),
 * every tap (a, b) whose input pixel (n, i·s+a−p, j·s+b−p) lies inside the map, and every channel.
 * Parameters: acc, one, two (pointers), n, h, w, c, oh, ow, k, s, p. With roles:
 * forward y(output) += x(input)·w(tap); ∂x(input) += ∂y(output)·w(tap); ∂w(tap) += x(input)·∂y(output).
 */
function depthwise(name: string, roles: readonly [DwRole, DwRole, DwRole]): WasmFunction {
  // Parameters 0–11, then locals 12–25.
  const ACC = 0, ONE = 1, TWO = 2, N = 3, H = 4, W = 5, C = 6, OH = 7, OW = 8, K = 9, S = 10, P = 11;
  const BN = 12, I = 13, J = 14, A = 15, B = 16, R = 17, Q = 18, OFF = 19, ROW = 20, ROW4 = 21;
  const PTR = [22, 23, 24]; // the three operands' pixel addresses
  const ptrOf = (slot: number, role: DwRole): number[] => {
    const base = g([ACC, ONE, TWO][slot]!);
    // input: ((bn·h + r)·w + q)·row; output: ((bn·oh + i)·ow + j)·row; tap: (a·k + b)·row
    const index = role === 'input'
      ? [...g(BN), ...g(H), ...op.mul, ...g(R), ...op.add, ...g(W), ...op.mul, ...g(Q), ...op.add]
      : role === 'output'
        ? [...g(BN), ...g(OH), ...op.mul, ...g(I), ...op.add, ...g(OW), ...op.mul, ...g(J), ...op.add]
        : [...g(A), ...g(K), ...op.mul, ...g(B), ...op.add];
    return [...base, ...index, ...g(ROW), ...op.mul, ...op.add, ...op.set(PTR[slot]!)];
  };
  // Output-pixel addresses are set once per pixel, the others once per tap.
  const perPixel = roles.flatMap((role, slot) => (role === 'output' ? ptrOf(slot, role) : []));
  const perTap = roles.flatMap((role, slot) => (role === 'output' ? [] : ptrOf(slot, role)));
  const at = (slot: number): number[] => [...g(PTR[slot]!), ...g(OFF), ...op.add];
  const simd = forLoop(OFF, op.i32(0), g(ROW4), op.i32(16),
    at(0), at(0), op.v128Load, at(1), op.v128Load, at(2), op.v128Load, op.f32x4Mul, op.f32x4Add, op.v128Store,
  );
  const tail = forLoop(OFF, g(ROW4), g(ROW), op.i32(4),
    at(0), at(0), op.f32Load, at(1), op.f32Load, at(2), op.f32Load, op.f32Mul, op.f32Add, op.f32Store,
  );
  const tapB = forLoop(B, op.i32(0), g(K), op.i32(1),
    // q = j·s + b − p; outside [0, w) (the unsigned compare also catches q < 0): next tap.
    g(J), g(S), op.mul, g(B), op.add, g(P), op.sub, op.set(Q),
    g(Q), g(W), op.geU, op.brIf(0),
    perTap, simd, tail,
  );
  const tapA = forLoop(A, op.i32(0), g(K), op.i32(1),
    g(I), g(S), op.mul, g(A), op.add, g(P), op.sub, op.set(R),
    g(R), g(H), op.geU, op.brIf(0),
    tapB,
  );
  const column = forLoop(J, op.i32(0), g(OW), op.i32(1), perPixel, tapA);
  return {
    name, params: 12, locals: 14,
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
    compiled ??= new WebAssembly.Module(assembleModule([
      depthwise('dwForward', ['output', 'input', 'tap']),
      depthwise('dwInputGrad', ['input', 'output', 'tap']),
      depthwise('dwFilterGrad', ['tap', 'input', 'output']),
      colSum, center, affine, backSums, backDx,
    ]));
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
