/**
 * Does averaging a zero-cost proxy over several initialisations (and image batches) rank better than
 * one? Scores the first `--archs` architectures that `hwnas accuracy-bench --seed S` draws on
 * nasbench-macro with the proxy at each of `--seeds` and batch size `--batch`, and prints Spearman's
 * ρ against the table for each seed alone and for the mean score over the seeds, with the mean
 * CPU-seconds per architecture per seed.
 *
 *   node --import tsx scripts/zero-cost-seeds-fidelity.ts --metric naswot --archs 40 --seeds 0,1,2 --batch 64 \
 *     --out /tmp/naswot-seeds.jsonl [--report]
 *
 * One JSON line per architecture × seed is appended to `--out` as it finishes (resumable). No
 * ground truth is used to combine the seeds.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { zeroCostMetric } from '../src/accuracy/zero-cost/zero-cost-metric.ts';
import { benchArchs } from '../src/run/accuracy-bench.ts';
import { rankAgreement } from '../src/run/accuracy-bench-stats.ts';
import { loadSpace } from '../src/space/space-registry.ts';
import { macroAccuracy } from '../src/tables/table-data.ts';
import { cpuSecondsNow } from '../src/util/cpu-time.ts';

const { values: f } = parseArgs({
  options: {
    metric: { type: 'string', default: 'naswot' },
    archs: { type: 'string', default: '40' },
    seeds: { type: 'string', default: '0,1,2' },
    batch: { type: 'string', default: '64' },
    'sample-seed': { type: 'string', default: '0' },
    out: { type: 'string' },
    report: { type: 'boolean', default: false },
  },
});
if (!f.out) throw new Error('--out FILE.jsonl is required');
const space = loadSpace('nasbench-macro');
const seeds = f.seeds!.split(',').map(Number);
const batch = Number(f.batch);
const archs = benchArchs(space, Number(f.archs), Number(f['sample-seed']));

interface Row { arch: string; seed: number; batch: number; score: number; cpuSeconds: number }
const rows = new Map<string, Row>();
const key = (arch: string, seed: number): string => `${arch} ${seed} ${batch}`;
if (existsSync(f.out)) {
  for (const l of readFileSync(f.out, 'utf8').split('\n')) {
    if (!l.trim()) continue;
    const r = JSON.parse(l) as Row;
    if (r.batch === batch) rows.set(key(r.arch, r.seed), r);
  }
}

if (!f.report) {
  for (const [k, a] of archs.entries()) {
    for (const seed of seeds) {
      if (rows.has(key(a.arch, seed))) continue;
      const c0 = cpuSecondsNow().total;
      const score = await zeroCostMetric(f.metric!, space, a.genotype, { n: batch, seed });
      const row: Row = { arch: a.arch, seed, batch, score, cpuSeconds: cpuSecondsNow().total - c0 };
      appendFileSync(f.out, `${JSON.stringify(row)}\n`);
      rows.set(key(a.arch, seed), row);
    }
    console.error(`${k + 1}/${archs.length} ${a.arch}`);
  }
}

const have = archs.filter((a) => seeds.every((s) => rows.has(key(a.arch, s))));
const table = macroAccuracy();
const truth = have.map((a) => table[a.arch]!.meanAcc);
const line = (name: string, xs: number[]): void => {
  const r = rankAgreement([[xs, truth]], { seed: 0 });
  console.log(`${name.padEnd(26)} n=${r.n}  rho ${r.spearman.toFixed(3)} [${r.spearmanCi.map((v) => v.toFixed(2)).join(', ')}]  tau ${r.kendall.toFixed(3)}`);
};
for (const s of seeds) line(`${f.metric} B=${batch} seed ${s}`, have.map((a) => rows.get(key(a.arch, s))!.score));
line(`mean over ${seeds.length} seeds`, have.map((a) => seeds.reduce((t, s) => t + rows.get(key(a.arch, s))!.score, 0) / seeds.length));
const cpu = have.reduce((t, a) => t + seeds.reduce((u, s) => u + rows.get(key(a.arch, s))!.cpuSeconds, 0), 0) / (have.length * seeds.length);
console.log(`mean CPU-s per architecture and seed ${cpu.toFixed(2)}`);
