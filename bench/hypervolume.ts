import { pathToFileURL } from 'node:url';
import { hypervolume, hypervolumeWfg } from '../src/pareto/hypervolume.ts';
import { problemTruth } from '../src/run/suite/problem-score.ts';
import { loadSuite } from '../src/run/suite/suite-file.ts';
import { Rng } from '../src/util/rng.ts';
import { median } from '../src/util/stats.ts';

export interface HypervolumeCase {
  /** Where the points come from: a hwnas-v1 exact front, or points on a sphere (a concave front, WFG's hard case). */
  source: string;
  objectives: number;
  points: number;
  /** Median ms of the exact hypervolume. */
  exactMs: number;
  /** Median ms of WFG without its dimension reduction (hwnas before the suite), or null where it takes too long. */
  unslicedWfgMs: number | null;
  /** unslicedWfgMs / exactMs. */
  speedup: number | null;
  /** Median ms of a Monte-Carlo estimate with 100,000 samples of the same set (the in-run baseline). */
  monteCarloMs: number;
  /** exactMs / monteCarloMs. */
  ratio: number;
  /** |Monte-Carlo − exact| / exact (a sanity check of both). */
  monteCarloRelError: number;
}

export interface HypervolumeResult {
  bench: 'hypervolume';
  runs: number;
  cases: HypervolumeCase[];
  /** 3 objectives: the sweep's speed-up over WFG on the largest 3-objective case. */
  sweepVsWfg3d: number;
  /** Slowest exact hypervolume of a suite-sized set (ms) and the target (a suite run scores thousands). */
  slowestMs: number;
  targetMs: number;
  meetsTarget: boolean;
}


/** WFG as hwnas had it before the suite: limit sets recursed in all d objectives (no dimension reduction). */
function unslicedWfg(points: number[][], ref: readonly number[]): number {
  const d = ref.length;
  if (points.length === 0) return 0;
  if (d === 2) return hypervolume(points, ref);
  const pts = nds(points).sort((a, b) => b[d - 1]! - a[d - 1]!);
  let volume = 0;
  for (let k = 0; k < pts.length; k++) {
    const p = pts[k]!;
    let incl = 1;
    for (let j = 0; j < d; j++) incl *= ref[j]! - p[j]!;
    const limited = pts.slice(k + 1).map((q) => q.map((v, j) => Math.max(p[j]!, v)));
    volume += incl - unslicedWfg(limited, ref);
  }
  return volume;
}

function nds(pts: number[][]): number[][] {
  return pts.filter((p, i) => !pts.some((q, k) => k !== i && q.every((v, j) => v <= p[j]!) && (q.some((v, j) => v < p[j]!) || k < i)));
}

function monteCarlo(points: readonly number[][], ref: readonly number[], samples: number, rng: Rng): number {
  const d = ref.length;
  const lo = ref.map((_, j) => Math.min(...points.map((p) => p[j]!)));
  let box = 1;
  for (let j = 0; j < d; j++) box *= ref[j]! - lo[j]!;
  const x = new Array<number>(d);
  let hit = 0;
  for (let s = 0; s < samples; s++) {
    for (let j = 0; j < d; j++) x[j] = lo[j]! + rng.next() * (ref[j]! - lo[j]!);
    for (const p of points) {
      let dominated = true;
      for (let j = 0; j < d; j++) if (p[j]! > x[j]!) { dominated = false; break; }
      if (dominated) { hit++; break; }
    }
  }
  return (box * hit) / samples;
}

/** n mutually non-dominated points on the positive unit sphere in d objectives. */
function sphere(n: number, d: number, rng: Rng): number[][] {
  return Array.from({ length: n }, () => {
    const v = Array.from({ length: d }, () => Math.abs(rng.normal()) + 1e-9);
    const r = Math.hypot(...v);
    return v.map((x) => x / r);
  });
}

/**
 * Exact hypervolume (src/pareto/hypervolume.ts) at benchmark-suite sizes, 2–6 objectives: the exact
 * fronts of hwnas-v1 (normalised, reference 1.1) and concave fronts of 100 and 400 points (a run's
 * non-dominated set is at most its budget, 300). Baselines in the same run: WFG without its
 * dimension reduction (as hwnas had it before the suite) and a 100,000-sample Monte-Carlo estimate of
 * the same set. Target: every exact HV under 2 s.
 */
export async function hypervolumeBench(opts: { runs?: number } = {}): Promise<HypervolumeResult> {
  const runs = opts.runs ?? 5;
  const rng = new Rng(5);
  const sets: { source: string; points: number[][]; ref: number[] }[] = [];
  const suite = loadSuite('hwnas-v1');
  for (const id of ['nb201-c10-pixel3', 'macro-c10-params-flops', 'nb201-c10-fleet3', 'nb201-c10-fleet5']) {
    const t = problemTruth(suite.problems.find((p) => p.id === id)!);
    sets.push({ source: `hwnas-v1 ${id}`, points: t.normalizedFront.map((p) => [...p]), ref: [...t.reference] });
  }
  for (let d = 2; d <= 6; d++) for (const n of [100, 400]) sets.push({ source: 'sphere', points: sphere(n, d, rng), ref: new Array<number>(d).fill(1.1) });
  sets.sort((a, b) => a.ref.length - b.ref.length || a.points.length - b.points.length);
  const cases: HypervolumeCase[] = [];
  for (const s of sets) {
    hypervolume(s.points, s.ref); // warm-up (JIT)
    const exact: number[] = [];
    let hv = 0;
    for (let r = 0; r < runs; r++) {
      const t = performance.now();
      hv = hypervolume(s.points, s.ref);
      exact.push(performance.now() - t);
    }
    let unsliced: number | null = null;
    // The old recursion is exponential in practice: time it only where it ends in seconds.
    if (s.ref.length <= 4 || s.points.length <= 100) {
      const u: number[] = [];
      for (let r = 0; r < Math.min(runs, 3); r++) {
        const t = performance.now();
        const v = unslicedWfg(s.points, s.ref);
        u.push(performance.now() - t);
        if (Math.abs(v - hv) > 1e-12 * hv) throw new Error(`${s.source} d=${s.ref.length}: WFG ${hv} and unsliced WFG ${v} differ`);
      }
      unsliced = median(u);
    }
    const mc: number[] = [];
    let est = 0;
    for (let r = 0; r < 3; r++) {
      const t = performance.now();
      est = monteCarlo(s.points, s.ref, 100_000, rng);
      mc.push(performance.now() - t);
    }
    cases.push({ source: s.source, objectives: s.ref.length, points: s.points.length, exactMs: median(exact), unslicedWfgMs: unsliced, speedup: unsliced === null ? null : unsliced / median(exact), monteCarloMs: median(mc), ratio: median(exact) / median(mc), monteCarloRelError: Math.abs(est - hv) / hv });
  }
  const big3 = sets.filter((s) => s.ref.length === 3).sort((a, b) => b.points.length - a.points.length)[0]!;
  const sweep: number[] = [];
  const wfg: number[] = [];
  for (let r = 0; r < runs; r++) {
    let t = performance.now();
    hypervolume(big3.points, big3.ref);
    sweep.push(performance.now() - t);
    t = performance.now();
    hypervolumeWfg(big3.points, big3.ref);
    wfg.push(performance.now() - t);
  }
  const slowestMs = Math.max(...cases.map((c) => c.exactMs));
  const targetMs = 2000;
  return { bench: 'hypervolume', runs, cases, sweepVsWfg3d: median(wfg) / median(sweep), slowestMs, targetMs, meetsTarget: slowestMs < targetMs };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await hypervolumeBench(), null, 2));
}
