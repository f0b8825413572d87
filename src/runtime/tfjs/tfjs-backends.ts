import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type { Probe } from '../runtime.ts';
import { installWasmKernels } from './wasm-kernels.ts';

/**
 * The tfjs backends hwnas can run on, each loaded on first use. tfjs has one global engine with one
 * active backend: {@link useTfjsBackend} switches it (and waits for it to be ready); models hold
 * their variables on the backend that was active when they were built, so switch before building.
 */

/** tfjs backend names, as `tf.getBackend()` reports them. */
export type TfjsBackendName = 'cpu' | 'wasm' | 'webgpu' | 'tensorflow';

/** An optional package providing the `tensorflow` backend (libtensorflow, downloaded at its install). */
export type TfjsNodePackage = '@tensorflow/tfjs-node' | '@tensorflow/tfjs-node-gpu';

// The CPU backend greets Node.js users with a console banner on first use; tfjs prints warnings only
// outside production mode, and hwnas reports its own facts.
tf.env().set('PROD', true);

const loading = new Map<string, Promise<Probe>>();

async function importOptional(specifier: string): Promise<unknown> {
  // A computed specifier: optional packages are not dependencies, so the compiler must not resolve them.
  return import(specifier);
}

/** Reason text of a missing optional tfjs-node package. */
function notInstalled(pkg: TfjsNodePackage): string {
  return pkg === '@tensorflow/tfjs-node-gpu'
    ? `${pkg} is not installed (npm install ${pkg}; needs CUDA 11.2)`
    : `${pkg} is not installed (npm install ${pkg})`;
}

/** How long asking Dawn for an adapter may take before WebGPU is declared unavailable. */
const ADAPTER_PROBE_TIMEOUT_MS = 20_000;

/**
 * Ask Dawn for an adapter in a child Node.js process: Dawn writes its warnings ("Couldn't load
 * Vulkan…") straight to file descriptor 2, which this process cannot silence, and a driver may
 * hang. Resolves with why there is no adapter (Dawn's warning as the hint), or null.
 */
function probeAdapterInChild(): Promise<string | null> {
  let url: string;
  try {
    url = pathToFileURL(createRequire(import.meta.url).resolve('webgpu')).href;
  } catch (e) {
    return Promise.resolve(`the npm package webgpu (Dawn) is not installed: ${(e as Error).message.split('\n')[0]}`);
  }
  const script = `
    const say = (o) => process.stdout.write('\\n@@' + JSON.stringify(o) + '\\n');
    try {
      const { create } = await import(${JSON.stringify(url)});
      const adapter = await create([]).requestAdapter({ powerPreference: 'high-performance' });
      say({ ok: adapter !== null });
    } catch (e) {
      say({ ok: false, message: String(e && e.message || e).split('\\n')[0] });
    }
    process.exit(0);`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), ADAPTER_PROBE_TIMEOUT_MS);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve(`cannot start the WebGPU probe process: ${e.message}`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('@@'));
      const hint = /Couldn't load Vulkan[^\n]*|libvulkan[^\n]*/.exec(stderr)?.[0]?.trim();
      if (!line) {
        resolve(signal === 'SIGKILL' ? `asking Dawn for a WebGPU adapter did not finish within ${ADAPTER_PROBE_TIMEOUT_MS / 1000} s` : `the WebGPU probe process exited (${signal ?? `code ${code}`}) without a result${hint ? ` (${hint})` : ''}`);
        return;
      }
      const res = JSON.parse(line.slice(2)) as { ok: boolean; message?: string };
      if (res.ok) resolve(null);
      else if (res.message) resolve(`the npm package webgpu (Dawn) did not load: ${res.message}`);
      else resolve(`no WebGPU adapter (Dawn found no Vulkan, Metal or D3D GPU; on Linux it needs a GPU driver and the Vulkan loader libvulkan.so.1)${hint ? ` (${hint})` : ''}`);
    });
  });
}

/**
 * Give Node.js a `navigator.gpu` from Dawn (npm `webgpu`) and ask it for an adapter, first in a
 * child process (see {@link probeAdapterInChild}). Never falls back: no adapter is an unavailable
 * probe with the reason.
 */
async function installWebGpu(): Promise<Probe> {
  const reason = await probeAdapterInChild();
  if (reason !== null) return { available: false, reason };
  let gpu: GPU;
  try {
    const { create, globals } = (await import('webgpu')) as { create: (flags: string[]) => GPU; globals: object };
    Object.assign(globalThis, globals);
    gpu = create([]);
  } catch (e) {
    return { available: false, reason: `the npm package webgpu (Dawn) did not load: ${(e as Error).message.split('\n')[0]}` };
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) {
    return { available: false, reason: 'no WebGPU adapter (Dawn found no Vulkan, Metal or D3D GPU; on Linux it needs a GPU driver and the Vulkan loader libvulkan.so.1)' };
  }
  // Node.js 20 has no `navigator`; later versions have one without `gpu`.
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav === undefined) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  else Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  await import('@tensorflow/tfjs-backend-webgpu');
  return initialises('webgpu');
}

async function load(name: TfjsBackendName, nodePackage: TfjsNodePackage): Promise<Probe> {
  switch (name) {
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      return { available: true };
    case 'wasm':
      await import('@tensorflow/tfjs-backend-wasm');
      installWasmKernels();
      return startWasm(() => initialises('wasm'));
    case 'webgpu':
      return installWebGpu();
    case 'tensorflow':
      try {
        await importOptional(nodePackage);
      } catch (e) {
        const code = (e as { code?: string }).code;
        const missing = (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && (e as Error).message.includes(`'${nodePackage}'`);
        if (missing) return { available: false, reason: notInstalled(nodePackage) };
        return { available: false, reason: `${nodePackage} failed to load: ${(e as Error).message.split('\n')[0]}` };
      }
      return initialises('tensorflow', nodePackage);
  }
}

/**
 * Whether a loaded backend initialises (wasm compiles its module, tfjs-node-gpu finds a CUDA
 * device); the previously active backend is restored.
 */
async function initialises(name: TfjsBackendName, nodePackage?: TfjsNodePackage): Promise<Probe> {
  const previous = tf.engine().backendName as string | null;
  try {
    if (!(await tf.setBackend(name))) return { available: false, reason: `tfjs backend ${name} failed to initialise` };
    if (nodePackage === '@tensorflow/tfjs-node-gpu') {
      // tfjs-node-gpu silently computes on the CPU when libtensorflow sees no CUDA device: refuse that.
      const gpu = (tf.backend() as { isUsingGpuDevice?: boolean }).isUsingGpuDevice;
      if (gpu !== true) return { available: false, reason: `${nodePackage} found no CUDA GPU (needs an NVIDIA GPU with CUDA 11.2 and cuDNN 8.1); it would run on the CPU` };
    }
    return { available: true };
  } finally {
    if (previous && previous !== name) await tf.setBackend(previous);
  }
}

/** Process listeners an Emscripten module adds at start (and never removes), per wasm instance. */
let wasmListeners: { event: 'uncaughtException' | 'unhandledRejection'; fn: (...a: unknown[]) => void }[] = [];

/**
 * Start a wasm backend instance inside `start`: its Emscripten module binds its error printer now,
 * so "Aborted()" (which the caller reports itself) is kept off stderr; the process listeners it adds
 * are noted so that {@link restartWasmBackend} can remove them (they would keep a dead 4 GiB heap alive).
 */
async function startWasm<T>(start: () => Promise<T>): Promise<T> {
  const events = ['uncaughtException', 'unhandledRejection'] as const;
  const listeners = (ev: (typeof events)[number]): Function[] => process.listeners(ev as 'uncaughtException');
  const before = new Map(events.map((ev) => [ev, new Set(listeners(ev))]));
  const warn = console.warn;
  console.warn = (...args: unknown[]): void => {
    if (typeof args[0] === 'string' && args[0].startsWith('Aborted(')) return;
    warn.apply(console, args);
  };
  try {
    return await start();
  } finally {
    console.warn = warn;
    for (const ev of events) {
      for (const fn of listeners(ev)) if (!before.get(ev)!.has(fn)) wasmListeners.push({ event: ev, fn: fn as (...a: unknown[]) => void });
    }
  }
}

/**
 * Whether `e` says the wasm backend aborted. An aborted Emscripten module is dead: it threw a
 * `WebAssembly.RuntimeError` ("Aborted()", typically its heap reached the 4 GiB of 32-bit wasm), and
 * every later call fails ("memory access out of bounds"). Only {@link restartWasmBackend} helps.
 */
export function isWasmAbort(e: unknown): boolean {
  return e instanceof WebAssembly.RuntimeError;
}

/** Bytes of the wasm backend's heap now (0 when it is not started). */
export function wasmHeapBytes(): number {
  const b = (tf.engine().registry as Record<string, { wasm?: { HEAPU8?: Uint8Array } | null }>)['wasm'];
  return b?.wasm?.HEAPU8?.length ?? 0;
}

/**
 * Replace the wasm backend by a fresh instance (a new module, a new empty heap) after it aborted,
 * so that one network that did not fit cannot fail every later one. Tensors of the old instance are
 * gone; the backend that was active stays active.
 */
export async function restartWasmBackend(): Promise<void> {
  const engine = tf.engine() as unknown as { registry: Record<string, { dispose(): void }>; backendName: string | null };
  const factory = tf.findBackendFactory('wasm');
  if (!factory) return;
  const previous = engine.backendName;
  const dead = engine.registry['wasm'];
  // Disposing calls into the dead module, which throws again.
  if (dead) dead.dispose = () => {};
  tf.removeBackend('wasm');
  for (const { event, fn } of wasmListeners) process.removeListener(event as 'uncaughtException', fn);
  wasmListeners = [];
  tf.registerBackend('wasm', factory, 2);
  await startWasm(async () => {
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs backend wasm failed to restart');
  });
  // Starting it made it active; give the active backend back.
  if (previous !== null && previous !== 'wasm') await tf.setBackend(previous);
}

/**
 * Load a backend's package once and report whether it can run here. For `tensorflow` the provider
 * package is `nodePackage` (both tfjs-node and tfjs-node-gpu register the `tensorflow` backend; only
 * one of them can be loaded in a process).
 */
export function probeTfjsBackend(name: TfjsBackendName, nodePackage: TfjsNodePackage = '@tensorflow/tfjs-node'): Promise<Probe> {
  const key = name === 'tensorflow' ? `${name}:${nodePackage}` : name;
  let p = loading.get(key);
  if (!p) {
    p = load(name, nodePackage).catch((e: unknown): Probe => ({ available: false, reason: `tfjs backend ${name} failed to load: ${(e as Error).message.split('\n')[0]}` }));
    loading.set(key, p);
  }
  return p;
}

/**
 * Make `name` the active tfjs backend and wait until it is ready. Throws with the probe's reason when
 * it is unavailable (callers probe first and report it as an outcome).
 */
export async function useTfjsBackend(name: TfjsBackendName, nodePackage?: TfjsNodePackage): Promise<void> {
  const probe = await probeTfjsBackend(name, nodePackage);
  if (!probe.available) throw new Error(`tfjs backend ${name} unavailable: ${probe.reason}`);
  if (tf.getBackend() === name) return;
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tfjs backend ${name} failed to initialise`);
  await tf.ready();
}

/** Backends training and the zero-cost proxies run on (they need gradients). */
export type TrainingBackend = 'wasm' | 'cpu';

/**
 * Make the training backend active (on every call: another module, such as the tfjs runtime, may
 * have switched it) and register tfjs's gradients: `wasm` (XNNPACK, SIMD; ≈ 15× faster than `cpu`
 * for a 3×3 convolution here) unless `HWNAS_TF_BACKEND=cpu`. The wasm backend has no
 * `Conv2DBackpropFilter` kernel, so every convolution goes through `conv-grads.ts`, whose gradients
 * use only forward kernels. Throws if the backend cannot start (no silent fallback).
 */
export async function useTrainingBackend(): Promise<TrainingBackend> {
  await import('./tfjs-gradients.ts');
  const want = trainingBackendName();
  await useTfjsBackend(want);
  return want;
}

/** The backend {@link useTrainingBackend} makes active: `wasm` unless `HWNAS_TF_BACKEND=cpu`. */
export function trainingBackendName(): TrainingBackend {
  return process.env['HWNAS_TF_BACKEND'] === 'cpu' ? 'cpu' : 'wasm';
}

/**
 * Bytes of the largest tensor the wasm backend handles: its kernels fail ("memory access out of
 * bounds") on a tensor of 2 GiB or more, and a 32-bit heap holds 4 GiB in all.
 */
export const WASM_MAX_TENSOR_BYTES = 2 ** 31 - 1;

/** The most memory a 32-bit wasm module can address. */
export const WASM_HEAP_LIMIT_BYTES = 4 * 1024 ** 3;

/** Version of tfjs-core in use. */
export const TFJS_VERSION = tf.version_core;

const require = createRequire(import.meta.url);

/** `<package> <version>` of an installed package, or `<package> (not installed)`. */
export function packageVersion(pkg: string): string {
  try {
    return `${pkg} ${(require(`${pkg}/package.json`) as { version: string }).version}`;
  } catch {
    return `${pkg} (not installed)`;
  }
}
