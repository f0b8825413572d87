import { pathToFileURL } from 'node:url';
import { crowdingDistance } from '../src/pareto/crowding-distance.ts';
import { naiveNonDominatedSort } from '../src/pareto/naive-non-dominated-sort.ts';
import { survive } from '../src/search/nsga2/survival.ts';
import { Rng } from '../src/util/rng.ts';
import { median } from '../src/util/stats.ts';

export interface Nsga2SurvivalResult {
  bench: 'nsga2-survival';
  /** Points in R = P ∪ Q. */
  points: number;
  /** Survivors N. */
  survivors: number;
  objectives: number;
  /** Repetitions per case (a fresh random point set each). */
  runs: number;
  /** Cases: `random` (uniform points, many fronts) and `one-front` (all on a sphere, a late-run population). */
  cases: {
    name: string;
    fronts: number;
    /** Median ms of `survive` with the default pruning for 3 objectives (nearest-neighbour, Kukkonen & Deb 2006). */
    medianMs: number;
    /** Median ms of `survive` with Deb's one-shot crowding cut (ENS-BS sort + crowding + truncation). */
    oneShotMedianMs: number;
    /** Median ms of the one-shot survival with the naive Deb et al. 2002 O(MN²) sort, same points. */
    baselineMedianMs: number;
    speedup: number;
    /** Median ms with iterative crowding pruning (Kukkonen & Deb 2006). */
    iterativeMedianMs: number;
  }[];
  targetMs: number;
  meetsTarget: boolean;
}


/** The same survival as `survive(…, 'one-shot')`, but with the naive sort: the in-run baseline. */
function naiveSurvive(values: number[][], n: number): number[] {
  const fronts = naiveNonDominatedSort(values);
  const out: number[] = [];
  for (const f of fronts) {
    if (out.length >= n) break;
    const d = crowdingDistance(values, f);
    const order = f.map((_, k) => k);
    if (f.length > n - out.length) order.sort((a, b) => d[b]! - d[a]! || f[a]! - f[b]!);
    for (const k of order.slice(0, n - out.length)) out.push(f[k]!);
  }
  return out;
}

/**
 * NSGA-II environmental selection of N = 1,000 from 2N = 2,000 points with 3 objectives, median of
 * `runs` fresh point sets, against the naive O(MN²) sort in the same run. Target: < 15 ms.
 */
export async function nsga2SurvivalBench(opts: { runs?: number; seed?: number } = {}): Promise<Nsga2SurvivalResult> {
  const runs = opts.runs ?? 15;
  const n = 1000;
  const rng = new Rng(opts.seed ?? 1);
  const gens: Record<string, () => number[][]> = {
    random: () => Array.from({ length: 2 * n }, () => [rng.next(), rng.next(), rng.next()]),
    'one-front': () => Array.from({ length: 2 * n }, () => {
      const v = [Math.abs(rng.normal()), Math.abs(rng.normal()), Math.abs(rng.normal())];
      const r = Math.hypot(...v);
      return v.map((x) => x / r);
    }),
  };
  const cases: Nsga2SurvivalResult['cases'] = [];
  for (const [name, gen] of Object.entries(gens)) {
    const fast: number[] = [];
    const dflt: number[] = [];
    const slow: number[] = [];
    const iter: number[] = [];
    let fronts = 0;
    for (let w = 0; w < 5; w++) {
      const pts = gen(); // warm-up (JIT)
      survive(pts, undefined, n);
      survive(pts, undefined, n, 'one-shot');
      survive(pts, undefined, n, 'iterative');
    }
    for (let r = 0; r < runs; r++) {
      const pts = gen();
      let t = performance.now();
      survive(pts, undefined, n);
      dflt.push(performance.now() - t);
      t = performance.now();
      const s = survive(pts, undefined, n, 'one-shot');
      fast.push(performance.now() - t);
      fronts = s.rank[s.rank.length - 1]! + 1;
      t = performance.now();
      const b = naiveSurvive(pts, n);
      slow.push(performance.now() - t);
      const sa = s.selected.slice().sort((x, y) => x - y);
      const sb = b.slice().sort((x, y) => x - y);
      if (sa.length !== sb.length || sa.some((i, k) => i !== sb[k])) throw new Error('naive and fast survival chose different points');
      t = performance.now();
      survive(pts, undefined, n, 'iterative');
      iter.push(performance.now() - t);
    }
    cases.push({ name, fronts, medianMs: median(dflt), oneShotMedianMs: median(fast), baselineMedianMs: median(slow), speedup: median(slow) / median(fast), iterativeMedianMs: median(iter) });
  }
  const targetMs = 15;
  return { bench: 'nsga2-survival', points: 2 * n, survivors: n, objectives: 3, runs, cases, targetMs, meetsTarget: cases.every((c) => c.medianMs < targetMs) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await nsga2SurvivalBench(), null, 2));
}
