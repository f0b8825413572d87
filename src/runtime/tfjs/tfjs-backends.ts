import { createRequire } from 'node:module';
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

/**
 * Give Node.js a `navigator.gpu` from Dawn (npm `webgpu`) and ask it for an adapter. Never falls
 * back: no adapter is an unavailable probe with the reason.
 */
async function installWebGpu(): Promise<Probe> {
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
      return initialises('wasm');
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
  const want: TrainingBackend = process.env['HWNAS_TF_BACKEND'] === 'cpu' ? 'cpu' : 'wasm';
  await useTfjsBackend(want);
  return want;
}

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
