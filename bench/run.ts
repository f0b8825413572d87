/**
 * `npm run bench [-- name ...]`: speed of the parts that matter, each as a ratio against a baseline
 * measured in the same run (never an absolute time asserted in a test). Prints one JSON block per bench.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface BenchEntry {
  name: string;
  file: string;
  fn: string;
  what: string;
}

const benches: BenchEntry[] = [
  { name: 'nsga2-survival', file: './nsga2-survival.ts', fn: 'nsga2SurvivalBench', what: 'NSGA-II survival 2N=2,000 → N=1,000, 3 objectives, vs naive Deb sort (target < 15 ms)' },
  { name: 'strategy-overhead', file: './strategy-overhead.ts', fn: 'strategyOverheadBench', what: 'ask + tell per trial on nb201, population 100 (NSGA-II target ≤ 0.05 ms)' },
  { name: 'onnx-export', file: './onnx-export.ts', fn: 'onnxExportBench', what: 'ONNX exports per second vs ORT session creation' },
  { name: 'measure-overhead', file: './measure-overhead.ts', fn: 'measureOverheadBench', what: '(export + session + warm-up) / timed runs per candidate (target ≤ 1.5×)' },
  { name: 'lut-predict', file: './lut-predict.ts', fn: 'lutPredictBench', what: 'LUT predictions per second vs building the graph' },
  { name: 'hypervolume', file: './hypervolume.ts', fn: 'hypervolumeBench', what: 'exact hypervolume at benchmark-suite sizes, 2–6 objectives, vs a 100,000-sample Monte-Carlo estimate (target < 2 s each)' },
  { name: 'report', file: './report.ts', fn: 'reportBench', what: 'hwnas report of a 10,000-record journal: read + build + HTML (target < 2 s), HTML size, vs parsing and ranking the journal' },
  { name: 'queue', file: './queue.ts', fn: 'queueBench', what: 'BullMQ workers: round-trip overhead per job on a table device (target ≤ 5 ms), jobs/s with 1, 2, 4 workers on a LUT device, worker vs in-process latency (median ratio within 5 %)' },
  { name: 'profile-rss', file: './profile-rss.ts', fn: 'profileRssBench', what: 'RSS growth while measuring 1,000 models (target ≤ 100 MB)' },
  { name: 'latency-protocol', file: './latency-protocol.ts', fn: 'latencyProtocolBench', what: 'adaptive interleaved timing vs the old fixed-count timing on ort-cpu-1t: repeat Spearman of 100 nasbench-macro archs idle (goal ≥ 0.99) and with one core busy (≥ 0.97), median ciHalfWidthPct (≤ 2 %), hwnas profile of 200 fbnet models twice (≥ 0.98), wall time per candidate at equal precision (ratio ≤ 1)' },
  { name: 'training', file: './training.ts', fn: 'trainingBench', what: 'proxy training ms/image vs PyTorch CPU (1 thread, all cores; goal ≤ 2× with all cores) and archs/hour of a 20-candidate eval, --jobs 1 vs all cores (goal ≥ 1.8×)' },
];

const only = process.argv.slice(2);
let failed = 0;
for (const b of benches) {
  if (only.length > 0 && !only.includes(b.name)) continue;
  const path = fileURLToPath(new URL(b.file, import.meta.url));
  if (!existsSync(path)) {
    console.log(`## ${b.name}: not present (${b.file})\n`);
    continue;
  }
  console.log(`## ${b.name}: ${b.what}`);
  const t0 = performance.now();
  try {
    const mod = (await import(b.file)) as Record<string, (opts?: object) => Promise<unknown>>;
    const fn = mod[b.fn];
    if (typeof fn !== 'function') throw new Error(`${b.file} does not export ${b.fn}`);
    const result = await fn();
    console.log(JSON.stringify(result, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(4)) : v), 2));
  } catch (e) {
    failed++;
    console.log(`failed: ${(e as Error).stack ?? String(e)}`);
  }
  console.log(`(${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
}
process.exitCode = failed > 0 ? 1 : 0;
