/**
 * How well short CIFAR-10 training ranks NAS-Bench-Macro architectures, at full size or shrunk
 * (channels × `--width`, images resized to `--input` px), and at what CPU cost: an exploration
 * beside `hwnas accuracy-bench`, on the bench's own sample (the first `--archs` architectures that
 * `accuracy-bench --seed S` draws).
 *
 *   node --import tsx scripts/proxy-train-shrunk-fidelity.ts --archs 30 --width 0.25 --input 16 \
 *     --epochs 4 --train-images 4000 --test-images 1000 [--seed 0] [--data DIR] --out /tmp/pt.jsonl [--report]
 *
 * One JSON line per architecture is appended to `--out` as it finishes (an existing file is resumed:
 * architectures in it are skipped). `--report` prints Spearman's ρ and Kendall's τ-b against the
 * table of the proxy accuracy, of FLOPs (full size), and of their rank average, with the mean
 * CPU-seconds per architecture (process CPU, every thread). The proxy is never fitted to the table.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readImageSplit, DEFAULT_IMAGE_DATA_DIR } from '../src/accuracy/image-data.ts';
import { sampleImages } from '../src/accuracy/image-set.ts';
import { proxyTrain } from '../src/accuracy/proxy-train.ts';
import { countFlops } from '../src/graph/count.ts';
import { benchArchs } from '../src/run/accuracy-bench.ts';
import { rankAgreement, rankAverage } from '../src/run/accuracy-bench-stats.ts';
import { loadSpace } from '../src/space/space-registry.ts';
import { macroAccuracy } from '../src/tables/table-data.ts';
import { cpuSecondsNow } from '../src/util/cpu-time.ts';
import { Rng } from '../src/util/rng.ts';

const { values: f } = parseArgs({
  options: {
    archs: { type: 'string', default: '30' },
    width: { type: 'string', default: '1' },
    input: { type: 'string', default: '32' },
    epochs: { type: 'string', default: '1' },
    'train-images': { type: 'string', default: '2000' },
    'test-images': { type: 'string', default: '1000' },
    batch: { type: 'string', default: '64' },
    lr: { type: 'string', default: '0.001' },
    seed: { type: 'string', default: '0' },
    data: { type: 'string', default: DEFAULT_IMAGE_DATA_DIR },
    out: { type: 'string' },
    report: { type: 'boolean', default: false },
  },
});
if (!f.out) throw new Error('--out FILE.jsonl is required');
const seed = Number(f.seed);
const width = Number(f.width);
const input = Number(f.input);
const full = loadSpace('nasbench-macro');

/** The space with every channel count × width (at least 4) and the input resized to `input` px. */
function shrunkSpace() {
  const src = JSON.parse(readFileSync(new URL('../spaces/nasbench-macro.json', import.meta.url), 'utf8')) as Record<string, any>;
  const ch = (c: number): number => Math.max(4, Math.round(c * width));
  src.id = `nasbench-macro-w${Math.round(width * 1000)}-i${input}`;
  src.input = [3, input, input];
  src.stem = src.stem.map((l: Record<string, unknown>) => ({ ...l, channels: ch(l.channels as number) }));
  src.stages = src.stages.map((s: Record<string, unknown>) => ({ ...s, channels: ch(s.channels as number) }));
  src.head = src.head.map((l: Record<string, unknown>) => ({ ...l, channels: ch(l.channels as number) }));
  const dir = join(tmpdir(), 'hwnas-shrunk-spaces');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${src.id}.json`);
  writeFileSync(file, JSON.stringify(src));
  return loadSpace(file);
}

interface Row { arch: string; accuracy: number; cpuSeconds: number; trainMs: number; finalLoss: number }
const rows = new Map<string, Row>();
if (existsSync(f.out)) for (const l of readFileSync(f.out, 'utf8').split('\n')) if (l.trim()) { const r = JSON.parse(l) as Row; rows.set(r.arch, r); }
const archs = benchArchs(full, Number(f.archs), seed);

if (!f.report) {
  const space = shrunkSpace();
  const rng = new Rng(seed);
  const train = sampleImages(readImageSplit(f.data!, 'train'), Number(f['train-images']), rng.fork('explore/train'));
  const test = sampleImages(readImageSplit(f.data!, 'test'), Number(f['test-images']), rng.fork('explore/test'));
  console.error(`${space.id}: ${archs.length} archs, ${f.epochs} epoch(s) × ${train.count} images, ${test.count} test images, seed ${seed}`);
  for (const [k, a] of archs.entries()) {
    if (rows.has(a.arch)) continue;
    const graph = space.build(space.decode(a.arch));
    const c0 = cpuSecondsNow().total;
    const res = await proxyTrain(graph, { train, test }, { epochs: Number(f.epochs), batchSize: Number(f.batch), learningRate: Number(f.lr), seed });
    const row: Row = { arch: a.arch, accuracy: res.accuracy, cpuSeconds: cpuSecondsNow().total - c0, trainMs: Math.round(res.trainMs), finalLoss: res.finalLoss };
    appendFileSync(f.out, `${JSON.stringify(row)}\n`);
    rows.set(a.arch, row);
    console.error(`${k + 1}/${archs.length} ${a.arch} acc ${res.accuracy.toFixed(1)} % ${row.cpuSeconds.toFixed(1)} CPU-s`);
  }
}

const have = archs.filter((a) => rows.has(a.arch));
const table = macroAccuracy();
const truth = have.map((a) => table[a.arch]!.meanAcc);
const acc = have.map((a) => rows.get(a.arch)!.accuracy);
const flops = have.map((a) => countFlops(full.build(a.genotype)));
const show = (name: string, xs: number[]): void => {
  const r = rankAgreement([[xs, truth]], { seed });
  console.log(`${name.padEnd(22)} n=${r.n}  rho ${r.spearman.toFixed(3)} [${r.spearmanCi.map((v) => v.toFixed(2)).join(', ')}]  tau ${r.kendall.toFixed(3)}`);
};
show('proxy accuracy', acc);
show('FLOPs', flops);
show('rank avg(FLOPs, acc)', rankAverage([flops, acc]));
console.log(`mean CPU-s per arch ${(have.reduce((s, a) => s + rows.get(a.arch)!.cpuSeconds, 0) / have.length).toFixed(1)}`);
