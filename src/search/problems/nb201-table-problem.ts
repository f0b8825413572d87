import type { Point } from '../../pareto/dominance.ts';
import { hypervolume } from '../../pareto/hypervolume.ts';
import { nonDominatedSort } from '../../pareto/non-dominated-sort.ts';
import type { Decision, Genotype } from '../../space/search-space.ts';
import { getLatencyTable, NB201_SIZE, nb201Accuracy } from '../../tables/table-data.ts';

/** Validation-accuracy columns of the NAS-Bench-201 table a problem can search on. */
export const NB201_ACCURACY_METRICS = ['cifar10ValidAcc', 'cifar100ValidAcc', 'imagenet16ValidAcc'] as const;
export type Nb201AccuracyMetric = (typeof NB201_ACCURACY_METRICS)[number];

/** Reference point coordinate in every normalised objective. */
export const HV_REFERENCE = 1.1;

/**
 * A two-objective NAS-Bench-201 problem answered from tables: maximise a validation accuracy of the
 * NAS-Bench-201 table, minimise the published latency of one device of the `nb201` latency table.
 * Every one of the 15,625 cells is looked up once, so the exact Pareto front is known and a strategy
 * can be scored in microseconds per evaluation (for tuning strategies and comparing them with other
 * libraries; `hwnas compare` does the same through the real evaluator).
 *
 * **Normalisation (front range).** Objectives are minimisation values (accuracy negated); each is
 * mapped linearly so that the exact front's ideal point ↦ 0 and its nadir point ↦ 1 (per objective:
 * best and worst value over the front's points), the usual practice for HV ratios. The reference
 * point is {@link HV_REFERENCE} in each normalised objective; a point that does not strictly dominate
 * it adds nothing (hypervolume's clipping). The HV ratio of a set of evaluations is HV(its
 * non-dominated points) / HV(exact front), 1 when the whole front was found.
 */
export interface Nb201TableProblem {
  /** `<device>` for CIFAR-10, `<device>-cifar100`, `<device>-imagenet16`. */
  readonly id: string;
  readonly device: string;
  readonly accuracyMetric: Nb201AccuracyMetric;
  /** The nb201 decisions (6 edges × 5 ops, arch-string order). */
  readonly decisions: readonly Decision[];
  /** Minimisation values [−accuracy %, latencyMs] of a genotype. */
  values(g: Genotype): [number, number];
  /** Minimisation values of the exact front, sorted by the first objective. */
  readonly front: readonly Point[];
  /** Front-range bounds: ideal ↦ 0, nadir ↦ 1. */
  readonly ideal: readonly [number, number];
  readonly nadir: readonly [number, number];
  /** Hypervolume of the normalised exact front. */
  readonly frontHypervolume: number;
  /** HV ratio of a set of minimisation value vectors (any order, dominated points allowed). */
  hvRatio(points: readonly Point[]): number;
}

const OPS = ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'] as const;
const EDGES: readonly (readonly [number, number])[] = [[1, 0], [2, 0], [2, 1], [3, 0], [3, 1], [3, 2]];

/** The nb201 decisions, in the order of the `nb201` space (`spaces/nb201.json`). */
export const NB201_DECISIONS: readonly Decision[] = EDGES.map(([j, i]) => ({ name: `edge(${j},${i})`, choices: [...OPS] }));

/** Mixed-radix index of an nb201 genotype (first decision most significant). */
export function nb201GenotypeIndex(g: Genotype): number {
  let idx = 0;
  for (let i = 0; i < 6; i++) idx = idx * 5 + g[i]!;
  return idx;
}

/** Arch string of an nb201 genotype (`|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`). */
export function nb201ArchString(g: Genotype): string {
  const op = (k: number, src: number) => `${OPS[g[k]!]}~${src}`;
  return `|${op(0, 0)}|+|${op(1, 0)}|${op(2, 1)}|+|${op(3, 0)}|${op(4, 1)}|${op(5, 2)}|`;
}

function genotypeOfIndex(index: number): number[] {
  const g = new Array<number>(6);
  for (let i = 5; i >= 0; i--) {
    g[i] = index % 5;
    index = Math.floor(index / 5);
  }
  return g;
}

const cache = new Map<string, Nb201TableProblem>();

/**
 * The problem `accuracyMetric` × latency of `device` (a key of the `nb201` latency table, e.g.
 * `fpga`, `pixel3`). Built once per process.
 */
export function nb201TableProblem(device: string, accuracyMetric: Nb201AccuracyMetric = 'cifar10ValidAcc'): Nb201TableProblem {
  const id = accuracyMetric === 'cifar10ValidAcc' ? device : `${device}-${accuracyMetric.replace('ValidAcc', '')}`;
  const hit = cache.get(id);
  if (hit) return hit;
  const table = getLatencyTable('nb201');
  const latency = table?.column(device);
  if (!table || !latency) throw new Error(`nb201 latency table has no device "${device}" (devices: ${table?.keys().join(', ')})`);
  const acc = nb201Accuracy()[accuracyMetric];
  // Values by genotype index.
  const byIndex = new Float64Array(2 * NB201_SIZE);
  const all: Point[] = [];
  for (let i = 0; i < NB201_SIZE; i++) {
    const row = table.rowOf(nb201ArchString(genotypeOfIndex(i)));
    if (row === undefined) throw new Error(`nb201 table misses cell ${nb201ArchString(genotypeOfIndex(i))}`);
    byIndex[2 * i] = -acc[row]!;
    byIndex[2 * i + 1] = latency[row]!;
    all.push([byIndex[2 * i]!, byIndex[2 * i + 1]!]);
  }
  const frontIdx = nonDominatedSort(all)[0]!;
  const front = frontIdx.map((i) => all[i]!).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  const ideal: [number, number] = [Infinity, Infinity];
  const nadir: [number, number] = [-Infinity, -Infinity];
  for (const p of front) {
    for (let j = 0; j < 2; j++) {
      ideal[j] = Math.min(ideal[j]!, p[j]!);
      nadir[j] = Math.max(nadir[j]!, p[j]!);
    }
  }
  const ref = [HV_REFERENCE, HV_REFERENCE];
  const normalise = (p: Point): number[] => [(p[0]! - ideal[0]) / (nadir[0] - ideal[0]), (p[1]! - ideal[1]) / (nadir[1] - ideal[1])];
  const frontHypervolume = hypervolume(front.map(normalise), ref);
  const problem: Nb201TableProblem = {
    id,
    device,
    accuracyMetric,
    decisions: NB201_DECISIONS,
    values(g) {
      const i = nb201GenotypeIndex(g);
      return [byIndex[2 * i]!, byIndex[2 * i + 1]!];
    },
    front,
    ideal,
    nadir,
    frontHypervolume,
    hvRatio: (points) => hypervolume(points.map(normalise), ref) / frontHypervolume,
  };
  cache.set(id, problem);
  return problem;
}

/** Parse a problem id (`fpga`, `pixel3-cifar100`, `fpga-imagenet16`). */
export function nb201TableProblemById(id: string): Nb201TableProblem {
  const m = /^(.*?)(?:-(cifar100|imagenet16))?$/.exec(id)!;
  return nb201TableProblem(m[1]!, m[2] === undefined ? 'cifar10ValidAcc' : (`${m[2]}ValidAcc` as Nb201AccuracyMetric));
}

/**
 * The two-objective problems of the strategy comparison (docs/strategy-comparison.md): CIFAR-10 ×
 * eight devices (FPGA, ASIC, GPUs, server CPU, Raspberry Pi, phones), CIFAR-100 and ImageNet16-120 on
 * fpga and pixel3.
 */
export const SUITE_PROBLEM_IDS = [
  'fpga', 'eyeriss', '1080ti_1', 'pixel3', 'gold_6226', 'raspi4', 'samsung_a50', 'titan_rtx_256',
  'fpga-cifar100', 'fpga-imagenet16', 'pixel3-cifar100', 'pixel3-imagenet16',
] as const;
