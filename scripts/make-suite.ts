/**
 * Writes a benchmark suite file (suites/<id>.json) once: every problem's exact front enumerated from
 * the vendored tables, its bounds, reference point and exact hypervolume, and the sha256 of the
 * tables used. A released suite is immutable: this script refuses to overwrite a file whose content
 * would change (make a new suite id instead).
 *
 *   node --import tsx scripts/make-suite.ts [--check]
 *
 * `--check` recomputes and compares without writing (what `hwnas suite verify` does).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../src/util/atomic-write.ts';
import { DATA_DIR } from '../src/tables/table-data.ts';
import { solveProblems } from '../src/run/suite/exact-problem.ts';
import { formatSuiteJson, SUITES_DIR, type Suite, type SuiteProblemSpec } from '../src/run/suite/suite-file.ts';

const ID = 'hwnas-v1';
const VERSION = '1.0.0';

const devices: Record<string, string> = {
  '1080ti_1': 'an NVIDIA GeForce GTX 1080 Ti (desktop GPU, batch 1)',
  titan_rtx_256: 'an NVIDIA TITAN RTX (desktop GPU, batch 256)',
  gold_6226: 'an Intel Xeon Gold 6226 (server CPU)',
  pixel3: 'a Google Pixel 3 (phone)',
  samsung_a50: 'a Samsung Galaxy A50 (phone; published in whole milliseconds)',
  raspi4: 'a Raspberry Pi 4 (embedded ARM CPU)',
  eyeriss: 'Eyeriss (ASIC accelerator)',
  fpga: 'an FPGA accelerator',
};
const latencySource = 'latency published by HW-NAS-Bench / BRP-NAS (CIFAR-10 setting, as collected by HELP)';
const nb201 = (accuracyKey: string, dataset: string, id: string, objectives: string[], what: string, constraints?: SuiteProblemSpec['constraints']): SuiteProblemSpec => ({
  id,
  description: `NAS-Bench-201 (15,625 cells): ${dataset} validation accuracy × ${what}; ${latencySource}`,
  space: 'nb201',
  accuracyKey,
  objectives,
  ...(constraints && { constraints }),
});

const problems: SuiteProblemSpec[] = [
  ...Object.entries(devices).map(([d, name]) => nb201('cifar10ValidAcc', 'CIFAR-10', `nb201-c10-${d}`, ['accuracy', `latencyMs@${d}`], `latency on ${name}`)),
  nb201('cifar10ValidAcc', 'CIFAR-10', 'nb201-c10-fpga-params', ['accuracy', 'latencyMs@fpga', 'paramCount'], 'latency on an FPGA accelerator × parameter count'),
  nb201('cifar10ValidAcc', 'CIFAR-10', 'nb201-c10-pixel3-flops', ['accuracy', 'latencyMs@pixel3', 'flops'], 'latency on a Google Pixel 3 × FLOPs (multiply-accumulates)'),
  nb201('cifar10ValidAcc', 'CIFAR-10', 'nb201-c10-fleet3', ['accuracy', 'latencyMs@pixel3', 'latencyMs@raspi4', 'latencyMs@fpga'], 'latency on 3 devices at once (one model for the fleet: Pixel 3 phone, Raspberry Pi 4, FPGA)'),
  nb201('cifar10ValidAcc', 'CIFAR-10', 'nb201-c10-fleet5', ['accuracy', 'latencyMs@1080ti_1', 'latencyMs@gold_6226', 'latencyMs@pixel3', 'latencyMs@raspi4', 'latencyMs@eyeriss'], 'latency on 5 devices at once (one model for the fleet: GTX 1080 Ti GPU, Xeon Gold 6226 CPU, Pixel 3 phone, Raspberry Pi 4, Eyeriss ASIC)'),
  nb201('cifar10ValidAcc', 'CIFAR-10', 'nb201-c10-pixel3-le10ms', ['accuracy', 'latencyMs@pixel3'], 'latency on a Google Pixel 3, constrained to latency ≤ 10 ms (the space\'s median is 10.68 ms); exact front over the feasible cells only', [{ metric: 'latencyMs@pixel3', op: '<=', value: 10 }]),
  nb201('cifar100ValidAcc', 'CIFAR-100', 'nb201-c100-fpga', ['accuracy', 'latencyMs@fpga'], 'latency on an FPGA accelerator'),
  nb201('cifar100ValidAcc', 'CIFAR-100', 'nb201-c100-pixel3', ['accuracy', 'latencyMs@pixel3'], 'latency on a Google Pixel 3 (phone)'),
  nb201('imagenet16ValidAcc', 'ImageNet16-120', 'nb201-in16-fpga', ['accuracy', 'latencyMs@fpga'], 'latency on an FPGA accelerator'),
  nb201('imagenet16ValidAcc', 'ImageNet16-120', 'nb201-in16-pixel3', ['accuracy', 'latencyMs@pixel3'], 'latency on a Google Pixel 3 (phone)'),
  {
    id: 'macro-c10-params-flops',
    description: 'NAS-Bench-Macro (6,561 architectures): CIFAR-10 test accuracy (mean of three trainings) × parameter count × FLOPs (multiply-accumulates), counted from the built graphs',
    space: 'nasbench-macro',
    accuracyKey: 'meanAcc',
    objectives: ['accuracy', 'paramCount', 'flops'],
  },
];

/** sha256 of a table file, checked against the listing in data/README.md. */
function tableHash(rel: string): string {
  const sha = createHash('sha256').update(readFileSync(join(DATA_DIR, rel))).digest('hex');
  const listed = new RegExp(`([0-9a-f]{64})\\s+${rel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).exec(readFileSync(join(DATA_DIR, 'README.md'), 'utf8'))?.[1];
  if (listed !== sha) throw new Error(`${rel}: sha256 ${sha} differs from data/README.md (${listed ?? 'not listed'})`);
  return sha;
}

const check = process.argv.includes('--check');
const t0 = performance.now();
const solved = await solveProblems(problems);
const suite: Suite = {
  id: ID,
  version: VERSION,
  status: 'released',
  description: 'hwnas benchmark suite v1: hardware-aware multi-objective NAS problems on NAS-Bench-201 (27 devices available; 8 used here, from GPU to FPGA) and NAS-Bench-Macro, with fixed normalisation bounds, reference points and exact Pareto fronts enumerated from the published tables. Immutable once released: a change is a new suite id.',
  normalisation: "Objectives are minimised after normalisation with the problem's bounds [lo, hi] (the exact front's worst and best value of each objective): accuracy -> (hi - accuracy)/(hi - lo), any other objective v -> (v - lo)/(hi - lo); so the front's ideal point is 0 and its nadir point 1 in every objective. Hypervolume is measured in this space against referencePoint (1.1 in every objective); a run's HV ratio is its hypervolume over frontHypervolume. Constraints are met (feasible) or not; only feasible architectures count.",
  provenance: {
    generator: 'node --import tsx scripts/make-suite.ts',
    tables: Object.fromEntries(['nb201/accuracy.json.gz', 'nb201/latency.json.gz', 'macro/accuracy.json.gz'].map((t) => [t, tableHash(t)])),
    hypervolume: 'exact: 2 objectives by sort-and-sweep, 3 by a sweep over the third objective, 4 or more by WFG (While, Bradstreet & Barone 2012); src/pareto/hypervolume.ts',
  },
  problems: solved,
};
const text = formatSuiteJson(suite);
const file = join(SUITES_DIR, `${ID}.json`);
for (const p of solved) console.log(`${p.id.padEnd(26)} ${String(p.objectives.length)} objectives, front ${String(p.frontSize).padStart(4)}, feasible ${p.feasible}/${p.enumerated}, HV ${p.frontHypervolume}`);
console.log(`(${((performance.now() - t0) / 1000).toFixed(1)} s)`);
if (existsSync(file)) {
  const same = readFileSync(file, 'utf8') === text;
  console.log(same ? `${file}: unchanged` : `${file}: the recomputed suite DIFFERS from the released file`);
  if (!same) {
    console.error(`refusing to overwrite the released suite ${ID}; a changed suite needs a new id (e.g. hwnas-v2)`);
    process.exitCode = 1;
  }
} else if (check) {
  console.error(`${file} does not exist`);
  process.exitCode = 1;
} else {
  writeFileAtomic(file, text);
  console.log(`wrote ${file}`);
}
