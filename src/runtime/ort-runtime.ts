import { spawn } from 'node:child_process';
import * as ort from 'onnxruntime-node';
import { UnavailableError } from '../errors.ts';
import { GraphBuilder } from '../graph/graph-builder.ts';
import type { ModelGraph } from '../graph/model-graph.ts';
import { ONNX_INPUT, ONNX_OUTPUT, toOnnx } from '../graph/onnx-export.ts';
import { Rng } from '../util/rng.ts';
import type { LoadOptions, Probe, Runnable, Runtime, RuntimeInfo } from './runtime.ts';

/** Seed of the fixed random input every ORT runnable feeds (standard normal values). */
export const INPUT_SEED = 1;
/** Seed of the exported weights. */
export const WEIGHT_SEED = 0;
/** How long the WebGPU probe may take before the runtime is declared unavailable. @defaultValue 20000 */
export const WEBGPU_PROBE_TIMEOUT_MS = 20_000;

/** `onnxruntime-node <version>`. */
export const ORT_VERSION = `onnxruntime-node ${ort.env.versions.node ?? ort.env.versions.common}`;

/** Time spent loading a model, split into IR → ONNX export and ORT session creation. */
export interface LoadTimings {
  exportMs: number;
  sessionMs: number;
}

/** A seeded standard-normal float32 tensor of `shape`. */
function seededInput(shape: readonly number[], rng: Rng): ort.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = rng.normal();
  return new ort.Tensor('float32', data, [...shape]);
}

/** A loaded ORT session fed with a fixed seeded input. */
export class OrtRunnable implements Runnable {
  private readonly feeds: Record<string, ort.Tensor>;
  private lastShape: readonly number[] | null = null;
  private lastValues: Float32Array | null = null;

  /** `input`: the `[C, H, W]` of an exported graph's one input, or the feeds of a model file. */
  constructor(private readonly session: ort.InferenceSession, input: readonly number[] | Record<string, ort.Tensor>, readonly loadTimings: LoadTimings, private readonly outputName = ONNX_OUTPUT) {
    this.feeds = Array.isArray(input) ? { [ONNX_INPUT]: seededInput([1, ...(input as readonly number[])], new Rng(INPUT_SEED)) } : (input as Record<string, ort.Tensor>);
  }

  async run(): Promise<void> {
    const out = await this.session.run(this.feeds);
    const y = out[this.outputName];
    if (!y) throw new Error(`ORT returned no "${this.outputName}" tensor`);
    this.lastShape = y.dims;
    this.lastValues = y.data as Float32Array;
  }

  outputShape(): readonly number[] {
    if (!this.lastShape) throw new Error('outputShape() before the first run()');
    return this.lastShape;
  }

  /** Output values of the last run (for checks; not part of {@link Runnable}). */
  outputValues(): Float32Array {
    if (!this.lastValues) throw new Error('outputValues() before the first run()');
    return this.lastValues;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

/** A small conv net used to probe whether a provider can create and run a session. */
function probeGraph(): ModelGraph {
  const b = new GraphBuilder('probe', [3, 16, 16]);
  let x = b.act(b.batchnorm(b.conv(b.input, 8, { kernel: 3 })), 'relu');
  x = b.linear(b.flatten(b.globalAvgPool(x)), 4);
  return b.build(x);
}

/** ORT error text without its source-file prefix (`/onnxruntime_src/...cc:136 fn() ...`). */
function ortMessage(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const line = msg.split('\n').find((l) => l.trim() !== '') ?? msg;
  const short = /(Failed to [^\n]*|\[ONNXRuntimeError\][^\n]*)$/.exec(line)?.[1] ?? line;
  return short.trim().slice(0, 300);
}

abstract class OrtRuntime implements Runtime {
  abstract readonly id: string;
  protected abstract readonly provider: string;
  protected abstract sessionOptions(opts: LoadOptions): ort.InferenceSession.SessionOptions;
  abstract probe(): Promise<Probe>;

  info(opts: LoadOptions = {}): RuntimeInfo {
    return { runtime: this.id, version: ORT_VERSION, provider: this.provider, threads: opts.threads ?? 0 };
  }

  async load(graph: ModelGraph, opts: LoadOptions = {}): Promise<Runnable> {
    const t0 = performance.now();
    const bytes = toOnnx(graph, { seed: WEIGHT_SEED });
    const t1 = performance.now();
    const session = await this.createSession(bytes, opts);
    const t2 = performance.now();
    return new OrtRunnable(session, graph.input, { exportMs: t1 - t0, sessionMs: t2 - t1 });
  }

  async loadModelFile(bytes: Uint8Array, opts: LoadOptions = {}): Promise<Runnable> {
    const t0 = performance.now();
    let session: ort.InferenceSession;
    try {
      session = await this.createSession(bytes, opts);
    } catch (e) {
      if (e instanceof UnavailableError) throw e;
      throw new Error(ortMessage(e));
    }
    const sessionMs = performance.now() - t0;
    try {
      const output = session.outputNames[0];
      if (output === undefined) throw new Error('the model has no outputs');
      return new OrtRunnable(session, modelFeeds(session), { exportMs: 0, sessionMs }, output);
    } catch (e) {
      await session.release();
      throw e;
    }
  }

  protected async createSession(bytes: Uint8Array, opts: LoadOptions): Promise<ort.InferenceSession> {
    return ort.InferenceSession.create(bytes, this.sessionOptions(opts));
  }
}

/**
 * A fixed seeded input for every input of a model file: float32 inputs standard normal, integer
 * and bool inputs zeros (indices, masks), symbolic or unknown dimensions 1 (batch 1).
 */
function modelFeeds(session: ort.InferenceSession): Record<string, ort.Tensor> {
  const rng = new Rng(INPUT_SEED);
  const feeds: Record<string, ort.Tensor> = {};
  for (const m of session.inputMetadata) {
    if (!m.isTensor) throw new Error(`input "${m.name}" is not a tensor (sequences and maps cannot be fed)`);
    const shape = m.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
    const size = shape.reduce((a, b) => a * b, 1);
    switch (m.type) {
      case 'float32': feeds[m.name] = seededInput(shape, rng); break;
      case 'int64': feeds[m.name] = new ort.Tensor('int64', new BigInt64Array(size), shape); break;
      case 'int32': feeds[m.name] = new ort.Tensor('int32', new Int32Array(size), shape); break;
      case 'uint8': feeds[m.name] = new ort.Tensor('uint8', new Uint8Array(size), shape); break;
      case 'bool': feeds[m.name] = new ort.Tensor('bool', new Uint8Array(size), shape); break;
      default: throw new Error(`input "${m.name}" has type ${m.type}; hwnas feeds float32, int64, int32, uint8 and bool inputs`);
    }
  }
  return feeds;
}

/** ORT on the CPU execution provider, all graph optimisations. */
class OrtCpuRuntime extends OrtRuntime {
  readonly id = 'ort-cpu';
  protected readonly provider = 'cpu';

  protected sessionOptions(opts: LoadOptions): ort.InferenceSession.SessionOptions {
    // intraOpNumThreads 0 lets ORT use one thread per physical core.
    return { executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: opts.threads ?? 0, executionMode: 'sequential' };
  }

  async probe(): Promise<Probe> {
    try {
      const r = await this.load(probeGraph(), { threads: 1 });
      await r.run();
      await r.dispose();
      return { available: true };
    } catch (e) {
      return { available: false, reason: ortMessage(e) };
    }
  }
}

/** Session options of the WebGPU runtime: WebGPU only; a node ORT would put on the CPU is an error. */
function webgpuOptions(): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: ['webgpu'],
    graphOptimizationLevel: 'all',
    // session.disable_cpu_ep_fallback: fail session creation instead of silently running nodes on CPU.
    extra: { session: { disable_cpu_ep_fallback: '1' } },
  };
}

/**
 * Creates a WebGPU session on the probe model in a child Node.js process, so that a driver that
 * hangs or aborts cannot take this process down; resolves with why it failed, or null.
 */
function probeWebgpuInChild(bytes: Uint8Array, timeoutMs: number): Promise<string | null> {
  const script = `
    import { createRequire } from 'node:module';
    const ort = createRequire(${JSON.stringify(import.meta.url)})('onnxruntime-node');
    const chunks = [];
    for await (const c of process.stdin) chunks.push(c);
    const bytes = new Uint8Array(Buffer.concat(chunks));
    const say = (o) => process.stdout.write('\\n@@' + JSON.stringify(o) + '\\n');
    try {
      const s = await ort.InferenceSession.create(bytes, ${JSON.stringify(webgpuOptions())});
      const x = new ort.Tensor('float32', new Float32Array(3 * 16 * 16), [1, 3, 16, 16]);
      await s.run({ ${JSON.stringify(ONNX_INPUT)}: x });
      await s.release();
      say({ ok: true });
    } catch (e) {
      say({ ok: false, message: String(e && e.message || e) });
    }`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let settled = false;
    const finish = (reason: string | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(reason);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(`WebGPU session creation did not finish within ${timeoutMs / 1000} s`);
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => finish(`cannot start the probe process: ${e.message}`));
    child.on('close', (code, signal) => {
      const line = stdout.split('\n').find((l) => l.startsWith('@@'));
      const hint = /Couldn't load Vulkan[^\n]*|libvulkan[^\n]*/.exec(stderr)?.[0]?.replace(/:\s*$/, '');
      if (!line) return finish(`probe process exited (${signal ?? `code ${code}`}) without a result${hint ? ` (${hint})` : ''}`);
      const res = JSON.parse(line.slice(2)) as { ok: boolean; message?: string };
      if (res.ok) return finish(null);
      const reason = ortMessage(new Error(res.message ?? 'unknown error'));
      finish(hint ? `${reason} (${hint})` : reason);
    });
    // A probe that dies before reading its model: EPIPE here, and its 'close' above says why.
    child.stdin.on('error', () => {});
    child.stdin.end(Buffer.from(bytes));
  });
}

let webgpuProbe: Promise<Probe> | undefined;

/**
 * ORT on the WebGPU execution provider only: no CPU fallback. Where no adapter exists, or ORT would
 * place any node on the CPU, the runtime is unavailable (never silently measured on the CPU).
 */
class OrtWebgpuRuntime extends OrtRuntime {
  readonly id = 'ort-webgpu';
  protected readonly provider = 'webgpu';

  protected sessionOptions(): ort.InferenceSession.SessionOptions {
    return webgpuOptions();
  }

  probe(): Promise<Probe> {
    webgpuProbe ??= (async (): Promise<Probe> => {
      if (!ort.listSupportedBackends().some((b) => b.name === 'webgpu' && b.bundled)) {
        return { available: false, reason: `${ORT_VERSION} on ${process.platform}-${process.arch} has no bundled WebGPU execution provider` };
      }
      const reason = await probeWebgpuInChild(toOnnx(probeGraph()), WEBGPU_PROBE_TIMEOUT_MS);
      return reason === null ? { available: true } : { available: false, reason };
    })();
    return webgpuProbe;
  }

  protected override async createSession(bytes: Uint8Array, opts: LoadOptions): Promise<ort.InferenceSession> {
    const p = await this.probe();
    if (!p.available) throw new UnavailableError(this.id, p.reason);
    try {
      return await super.createSession(bytes, opts);
    } catch (e) {
      throw new UnavailableError(this.id, ortMessage(e));
    }
  }
}

/** The ORT runtimes, for the runtime registry. */
export const ortCpuRuntime = (): Runtime => new OrtCpuRuntime();
export const ortWebgpuRuntime = (): Runtime => new OrtWebgpuRuntime();
