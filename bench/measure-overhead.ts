import { pathToFileURL } from 'node:url';
import { loadDevice, type MeasuredDevice } from '../src/latency/device-profile.ts';
import { measureGraph } from '../src/latency/measure.ts';
import { getRuntime } from '../src/runtime/runtime-registry.ts';
import { Rng } from '../src/util/rng.ts';
import { loadSpace } from '../src/space/space-registry.ts';

export interface OverheadRow {
  arch: string;
  medianMs: number;
  samples: number;
  exportMs: number;
  sessionMs: number;
  warmupMs: number;
  timedMs: number;
  /** (export + session + warm-up) / timed runs. */
  overheadRatio: number;
}

export interface MeasureOverheadResult {
  bench: 'measure-overhead';
  device: string;
  timing: MeasuredDevice['timing'];
  threads: number;
  rows: OverheadRow[];
  /** Σ(export + session + warm-up) / Σ timed over all candidates. */
  overheadRatio: number;
  /** Largest per-candidate ratio. */
  worstRatio: number;
  target: number;
  meetsTarget: boolean;
  /** Mean wall time of one candidate (export → session → warm-up → timed → dispose). */
  meanCandidateMs: number;
}

/**
 * Per-candidate cost of a live measurement on a measured device (default `ort-cpu`): export +
 * session creation + warm-up, relative to the timed runs; target ≤ 1.5×. Archs are uniformly
 * random nasbench-macro ones, each measured in its own fresh session as a search does.
 */
export async function measureOverheadBench(opts: { device?: string; archs?: number; seed?: number } = {}): Promise<MeasureOverheadResult> {
  const dev = loadDevice(opts.device ?? 'ort-cpu');
  if (dev.kind !== 'measured') throw new Error(`${dev.id} is not a measured device`);
  const runtime = getRuntime(dev.runtime);
  if (!runtime) throw new Error(`no runtime ${dev.runtime}`);
  const space = loadSpace('nasbench-macro');
  const rng = new Rng(opts.seed ?? 2);
  const n = opts.archs ?? 10;
  // One untimed candidate first: JIT, the weight pool and ORT's one-time initialisation.
  await measureGraph(runtime, space.build(space.decode('00000000')), dev);
  const rows: OverheadRow[] = [];
  let wall = 0;
  for (let i = 0; i < n; i++) {
    const g = space.decisions.map((d) => rng.int(d.choices.length));
    const t = performance.now();
    const m = await measureGraph(runtime, space.build(g), dev);
    wall += performance.now() - t;
    const o = m.overhead;
    rows.push({
      arch: space.encode(g), medianMs: m.stats.medianMs, samples: m.stats.samples, ...o,
      overheadRatio: (o.exportMs + o.sessionMs + o.warmupMs) / o.timedMs,
    });
  }
  const sum = (k: keyof OverheadRow): number => rows.reduce((a, r) => a + (r[k] as number), 0);
  const overheadRatio = (sum('exportMs') + sum('sessionMs') + sum('warmupMs')) / sum('timedMs');
  return {
    bench: 'measure-overhead', device: dev.id, timing: dev.timing, threads: dev.threads, rows,
    overheadRatio, worstRatio: Math.max(...rows.map((r) => r.overheadRatio)), target: 1.5, meetsTarget: overheadRatio <= 1.5,
    meanCandidateMs: wall / n,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await measureOverheadBench(), null, 2));
}
