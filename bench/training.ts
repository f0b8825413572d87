import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { PROXY_TRAIN_WORKER as WORKER, type ProxyTrainResult } from '../src/accuracy/proxy-train.ts';
import type { ProxyTrainTask } from '../src/accuracy/proxy-train-worker.ts';
import type { ModelGraph } from '../src/graph/model-graph.ts';
import { parseArch } from '../src/space/arch-list.ts';
import { loadSpace } from '../src/space/space-registry.ts';
import { WorkerPool } from '../src/util/worker-pool.ts';

/**
 * Proxy-training speed against PyTorch CPU on the same machine in the same run:
 *
 * 1. ms per training image (Adam, batch 64, 3×32×32 images, NAS-Bench-Macro `00000000`,
 *    `02012100`, `22222222`), hwnas (tfjs-wasm with hwnas's gradients) beside PyTorch, with one
 *    thread and with all cores. hwnas uses the cores as `--jobs` does: one worker thread per core,
 *    each training its own copy (per image = the slowest loop / images of all workers); PyTorch's
 *    all-cores figure is the better of one process with `torch.set_num_threads(cores)` and one
 *    single-threaded process per core training at once (threads alone collapse when other work
 *    shares the cores). Both time the training loop only, after a warm-up step. PyTorch comes from
 *    the first of `$HWNAS_TORCH_PYTHON`, `/usr/bin/python3`, `python3` that imports torch; without
 *    one the baseline is skipped with a note.
 * 2. Architectures per hour of `hwnas eval --accuracy proxy-train` on 20 random NAS-Bench-Macro
 *    architectures (1 epoch, 2,000 images each) with `--jobs 1` and with `--jobs <cores>`, in child
 *    processes, and whether both gave the same accuracies.
 */

const ROOT = new URL('../', import.meta.url);
/** The CLI from the sources, as the benches run (tsx). */
const HWNAS = ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL('src/cli/bin.ts', ROOT))];
const TORCH_SCRIPT = fileURLToPath(new URL('bench/torch-train.py', ROOT));

export interface PerImageRow {
  arch: string;
  /** hwnas, one worker thread: ms per training image. */
  hwnas1: number;
  /** hwnas, one worker per core, all training at once: wall ms per image over all workers. */
  hwnasAll: number;
  torch1?: number;
  /** PyTorch, one process with `torch.set_num_threads(cores)`. */
  torchThreads?: number;
  /** PyTorch, one single-threaded process per core training at once (like hwnas's workers). */
  torchProcesses?: number;
  /** The better of torchThreads and torchProcesses: PyTorch's best use of all cores. */
  torchAll?: number;
  /** hwnas1 / torch1. */
  ratio1?: number;
  /** hwnasAll / torchAll (the issue's goal: ≤ 2). */
  ratioAll?: number;
}

export interface EvalRun {
  jobs: number;
  wallS: number;
  archsPerHour: number;
}

export interface TrainingBenchResult {
  bench: 'training';
  cpu: string;
  cores: number;
  imagesPerRun: number;
  torch: string;
  perImage: PerImageRow[];
  eval: { space: string; candidates: number; runs: EvalRun[]; speedup: number; sameAccuracies: boolean } | { skipped: string };
}

export interface TrainingBenchOptions {
  archs?: string[];
  /** Training images per timed run (multiple of 64). @defaultValue 320 */
  images?: number;
  /** Candidates of the eval comparison (0 skips it). @defaultValue 20 */
  candidates?: number;
  /** Cores used by "all cores". @defaultValue os.availableParallelism() */
  cores?: number;
}

const log = (s: string): void => void process.stderr.write(`training bench: ${s}\n`);

/** The first Python that imports torch, with its torch version, or why none did. */
function findTorch(): { python: string; version: string } | { note: string } {
  const candidates = [process.env['HWNAS_TORCH_PYTHON'], '/usr/bin/python3', 'python3'].filter((p): p is string => !!p);
  const tried: string[] = [];
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return { python, version: r.stdout.trim() };
    tried.push(`${python}: ${r.error ? r.error.message : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`)}`);
  }
  return { note: `PyTorch baseline skipped: no Python with torch (${tried.join('; ')})` };
}

/**
 * PyTorch ms per image: `procs` processes with `threads` threads each, training at the same time
 * (released together after their warm-up): the slowest training loop over all their images.
 */
function torchMsPerImage(python: string, graph: ModelGraph, images: number, threads: number, procs = 1): Promise<number> {
  const runs = Array.from({ length: procs }, () => {
    const child = spawn(python, [TORCH_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const ready = new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.startsWith('ready\n')) resolve();
      });
    });
    child.stderr.on('data', (d: Buffer) => void (err += d.toString()));
    const done = new Promise<{ trainMs: number; images: number }>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => {
        if (code !== 0) return reject(new Error(`torch-train.py exited ${code}: ${err.trim().split('\n').pop()}`));
        resolve(JSON.parse(out.trim().split('\n').pop()!) as { trainMs: number; images: number });
      });
    });
    child.stdin.write(`${JSON.stringify({ graph, images, batch: 64, threads, seed: 0, lr: 1e-3, sync: true })}\n`);
    return { child, ready, done };
  });
  return (async () => {
    await Promise.all(runs.map((r) => r.ready));
    for (const r of runs) r.child.stdin.end('go\n');
    const res = await Promise.all(runs.map((r) => r.done));
    return Math.max(...res.map((r) => r.trainMs)) / res.reduce((a, r) => a + r.images, 0);
  })();
}

/**
 * hwnas ms per image with `workers` worker threads each training `graph` on `images` images at
 * once, after a warm-up task per worker: Σ images over the slowest worker's training loop.
 */
async function hwnasMsPerImage(graph: ModelGraph, images: number, workers: number): Promise<number> {
  const pool = new WorkerPool<ProxyTrainTask, ProxyTrainResult>({ size: workers, entry: WORKER, name: 'training bench' });
  try {
    const warm = { trainSize: 64, testSize: 10, seed: 0 };
    await Promise.all(Array.from({ length: workers }, () => pool.run({ graph, opts: warm })));
    const opts = { trainSize: images, testSize: 10, seed: 0 };
    const res = await Promise.all(Array.from({ length: workers }, (_, i) => pool.run({ graph, opts: { ...opts, seed: i } })));
    const slowestMs = Math.max(...res.map((r) => r.trainMs));
    return slowestMs / res.reduce((a, r) => a + r.trainImages, 0);
  } finally {
    await pool.close();
  }
}

function evalRun(jobs: number, candidates: number, seed: number): Promise<{ wallS: number; accuracies: number[] }> {
  const args = [...HWNAS, 'eval', '--space', 'nasbench-macro', '--random', String(candidates), '--seed', String(seed), '--metrics', 'accuracy', '--accuracy', 'proxy-train', '--jobs', String(jobs), '--format', 'json'];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => void (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      process.stderr.write(`  [jobs ${jobs}] ${d.toString()}`);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`hwnas eval --jobs ${jobs} exited ${code}: ${err.trim().split('\n').pop()}`));
      const rows = JSON.parse(out) as { accuracy: number }[];
      resolve({ wallS: (performance.now() - t0) / 1000, accuracies: rows.map((r) => r.accuracy) });
    });
  });
}

export async function trainingBench(opts: TrainingBenchOptions = {}): Promise<TrainingBenchResult> {
  const archs = opts.archs ?? ['00000000', '02012100', '22222222'];
  const images = opts.images ?? 320;
  const cores = opts.cores ?? availableParallelism();
  const candidates = opts.candidates ?? 20;
  const space = loadSpace('nasbench-macro');
  const torch = findTorch();
  const perImage: PerImageRow[] = [];
  for (const arch of archs) {
    const graph = space.build(parseArch(space, arch).genotype);
    const row: PerImageRow = { arch, hwnas1: NaN, hwnasAll: NaN };
    log(`${arch}: hwnas, 1 worker`);
    row.hwnas1 = await hwnasMsPerImage(graph, images, 1);
    log(`${arch}: hwnas, ${cores} workers`);
    row.hwnasAll = await hwnasMsPerImage(graph, images, cores);
    if ('python' in torch) {
      log(`${arch}: PyTorch, 1 thread`);
      row.torch1 = await torchMsPerImage(torch.python, graph, images, 1);
      log(`${arch}: PyTorch, ${cores} threads`);
      row.torchThreads = await torchMsPerImage(torch.python, graph, images, cores);
      log(`${arch}: PyTorch, ${cores} processes of 1 thread`);
      row.torchProcesses = await torchMsPerImage(torch.python, graph, images, 1, cores);
      row.torchAll = Math.min(row.torchThreads, row.torchProcesses);
      row.ratio1 = row.hwnas1 / row.torch1;
      row.ratioAll = row.hwnasAll / row.torchAll;
    }
    perImage.push(row);
  }
  let evalPart: TrainingBenchResult['eval'] = { skipped: 'candidates = 0' };
  if (candidates > 0) {
    const runs: EvalRun[] = [];
    const accuracies: number[][] = [];
    for (const jobs of [...new Set([1, cores])]) {
      log(`eval of ${candidates} random nasbench-macro architectures, --jobs ${jobs}`);
      const r = await evalRun(jobs, candidates, 1);
      runs.push({ jobs, wallS: r.wallS, archsPerHour: (3600 * candidates) / r.wallS });
      accuracies.push(r.accuracies);
    }
    evalPart = {
      space: 'nasbench-macro',
      candidates,
      runs,
      speedup: runs[0]!.wallS / runs[runs.length - 1]!.wallS,
      sameAccuracies: accuracies.every((a) => JSON.stringify(a) === JSON.stringify(accuracies[0])),
    };
  }
  return {
    bench: 'training',
    cpu: `${cpus()[0]?.model ?? 'unknown'} (${cores} cores used)`,
    cores,
    imagesPerRun: images,
    torch: 'python' in torch ? `PyTorch ${torch.version} (${torch.python})` : torch.note,
    perImage,
    eval: evalPart,
  };
}
