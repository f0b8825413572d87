import type { Io } from '../util/io.ts';
import { InputError } from '../errors.ts';
import type { LatencyProvider } from '../latency/latency-provider.ts';
import { chainFlopsTable } from '../search/dnas/flops-latency-table.ts';
import { runDnas, type DnasResult } from '../search/dnas/run-dnas.ts';
import type { Genotype, SearchSpace } from '../space/search-space.ts';
import type { Evaluator } from './evaluator.ts';
import type { Journal, JournalEntry } from '../record/journal.ts';

/** What `--strategy dnas` gives back for one device. */
export interface DnasSearchResult {
  record: JournalEntry;
  dnas: DnasResult;
  /** Unit of the per-layer latency table DNAS optimised (`ms` from a LUT device, else `MFLOPs`). */
  latencyUnit: string;
}

function numberOption(opts: Readonly<Record<string, number | string | boolean>>, key: string, dflt: number, min: number): number {
  const v = opts[key];
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) {
    throw new InputError('bad-flag', `bad dnas option ${key}`, { path: `--option ${key}`, expected: `a number ≥ ${min}`, actual: JSON.stringify(v) });
  }
  return v;
}

/**
 * Per-layer cost table for DNAS: from a LUT device, the exact additive cost of each choice of each
 * layer (difference of LUT predictions against the all-first-choice architecture, exact because a LUT
 * is a sum); otherwise per-layer FLOPs (the space's own count), since measuring L × C variants on a
 * live device would cost more than the search.
 */
async function latencyTable(space: SearchSpace, provider: LatencyProvider): Promise<{ table: number[][]; fixed: number; unit: string }> {
  if (provider.kind !== 'lut') return chainFlopsTable(space);
  const base: Genotype = space.decisions.map(() => 0);
  const at = async (g: Genotype) => (await provider.latency(space, g, space.build(g))).metrics.latencyMs!;
  const baseMs = await at(base);
  const table: number[][] = [];
  let fixed = baseMs;
  for (const [l, d] of space.decisions.entries()) {
    const row: number[] = [];
    for (let i = 0; i < d.choices.length; i++) {
      const g = base.slice();
      g[l] = i;
      row.push(i === 0 ? 0 : (await at(g)) - baseMs);
    }
    const lo = Math.min(...row);
    table.push(row.map((v) => v - lo)); // shift so every entry is ≥ 0; the shift goes to `fixed`
    fixed += lo;
  }
  // LUT prediction of g = fixed + Σ_l table[l][g_l], exactly (a LUT is additive over layers).
  return { table, fixed: Math.max(fixed, 1e-6), unit: 'ms' };
}

/**
 * `hwnas search --strategy dnas`: FBNet-style differentiable search (src/search/dnas) on a chain
 * space, trained on the vendored Fashion-MNIST subset; the derived architecture is then evaluated
 * like any candidate (accuracy source, device latency) and journaled. Options (`--option K=V`):
 * `beta` (latency exponent, FBNet eq. 2; default 0.6), `alpha` (0.2), `epochs` (6), `images` (1000),
 * `width` (width multiplier of the supernet, 0.25), `inputSize` (16), `temperature` (5), `steps`
 * (mini-batches per epoch; default all).
 */
export async function runDnasSearch(o: {
  space: SearchSpace;
  provider: LatencyProvider;
  evaluator: Evaluator;
  journal: Journal;
  seed: number;
  options: Readonly<Record<string, number | string | boolean>>;
  io?: Io;
}): Promise<DnasSearchResult> {
  if (o.space.family !== 'chain') {
    throw new InputError('incompatible', `dnas needs a chain-family space, "${o.space.id}" is ${o.space.family}`, { path: '--strategy', expected: 'a chain space such as nasbench-macro or fbnet-cifar100' });
  }
  const { table, fixed, unit } = await latencyTable(o.space, o.provider);
  o.io?.err(`dnas: training the supernet (latency model: per-layer ${unit}${o.provider.kind === 'lut' ? ` from ${o.provider.deviceId}` : ''})\n`);
  const dnas = await runDnas({
    space: o.space,
    latencyTable: table,
    fixedLatency: fixed,
    alpha: numberOption(o.options, 'alpha', 0.2, 0),
    beta: numberOption(o.options, 'beta', 0.6, 0),
    epochs: numberOption(o.options, 'epochs', 6, 1),
    images: numberOption(o.options, 'images', 1000, 64),
    ...(o.options.steps !== undefined && { stepsPerEpoch: numberOption(o.options, 'steps', 1, 1) }),
    temperature: numberOption(o.options, 'temperature', 5, 1e-3),
    shrink: { widthMultiplier: numberOption(o.options, 'width', 0.25, 0.01), inputSize: numberOption(o.options, 'inputSize', 16, 4) },
    seed: o.seed,
  });
  o.io?.err(`dnas: derived ${dnas.arch} in ${dnas.seconds.toFixed(0)} s (table latency ${dnas.latency.toPrecision(4)} ${unit}); evaluating it on ${o.provider.deviceId}\n`);
  const prior = o.journal.lookup(dnas.arch);
  let record: JournalEntry;
  if (prior) record = { ...prior, n: 1 };
  else {
    const t0 = performance.now();
    const outcome = await o.evaluator.evaluate(dnas.genotype);
    record = { n: 1, arch: dnas.arch, genotype: [...dnas.genotype], outcome, evalMs: Math.round(performance.now() - t0) };
    o.journal.append(record);
  }
  return { record, dnas, latencyUnit: unit };
}
