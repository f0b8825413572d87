import { stringify } from 'csv-stringify/sync';
import { InputError } from '../errors.ts';
import { builtinDeviceIds, loadDevice, type TableDevice } from '../latency/device-profile.ts';
import { HELP_REFERENCE, helpSources, helpTargets } from '../latency/help-reference.ts';
import { sameHardwareKeys } from '../latency/table-hardware.ts';
import { latencyTableOfSpace } from '../latency/table-prior.ts';
import { benchPredictors, PREDICTORS, type BenchTarget, type PredictorBenchRow, type PredictorName } from '../latency/predictor-bench.ts';
import { loadSpace } from '../space/space-registry.ts';
import type { LatencyTable } from '../tables/table-data.ts';
import type { Io } from '../util/io.ts';
import type { Command } from './command.ts';
import { choiceFlag, intFlag, listFlag, parseFlags } from './flags.ts';

const flags = {
  space: { type: 'string' },
  target: { type: 'string', multiple: true },
  samples: { type: 'string' },
  seeds: { type: 'string' },
  predictors: { type: 'string' },
  sources: { type: 'string' },
  format: { type: 'string' },
} as const;

const usage = `usage: hwnas predictor-bench [--space S] [--target D ...] [--samples 10,20,50,100] [--seeds K] [--predictors P,...]
                             [--sources all|help|K,...] [--format table|csv|json]

How well each latency predictor ranks and predicts every architecture of a table device when it
may measure only N of them. For each target, seed and N: N rows of the device's table are drawn
(seeded), each predictor is fitted on them only and judged on all other rows: Spearman's rho and
the share within +-10 % (means over the seeds). Predictors:
  transfer  the target described by its N samples only; the other devices of the table are prior
            knowledge, never the target nor its same-hardware siblings (titan_rtx_1/_32/_256)
  nnls      the layer-wise additive model (non-negative least squares) on the N samples
  flops     latency = a + b * FLOPs fitted on the N samples; rho is that of FLOPs itself
  params    the same with the parameter count
No table device has a per-op LUT, so there is no lut row (docs/latency-prediction.md).
Progress goes to stderr.

  --space S        nb201 (default; 15,625 cells) or fbnet-cifar100 (the table's 5,000 sampled archs)
  --target D       table device (id or table key), repeatable or a comma list; default: HELP's six
                   test devices for nb201 (titan_rtx_256, gold_6226, pixel2, raspi4, eyeriss, fpga),
                   every table device for fbnet-cifar100
  --samples LIST   sample counts N (default 10,20,50,100), each at least 3 and at most the table's rows minus 10
                   (the rows every predictor is judged on)
  --seeds K        seeds 0..K-1 (default 10)
  --predictors P   comma list of ${PREDICTORS.join(', ')} (default all)
  --sources S      the transfer predictor's prior knowledge: all (default: every other device of the
                   table), help (HELP's 13: its 9 meta-training devices 1080ti_1/_32/_256,
                   silver_4114, silver_4210r, samsung_a50, pixel3, essential_ph_1, samsung_s7 and its
                   4 validation devices titanx_1/_32/_256, gold_6240; batch 64 for fbnet-cifar100),
                   or a comma list of table keys. Compare with HELP like for like with help.
  --format F       table (default; with HELP's published rho where it has one), csv or json: an array
                   of { target, predictor, samples, spearman, within10 }
`;

/** Table devices of a table and space, by id. */
function tableDevices(table: LatencyTable, spaceId: string): TableDevice[] {
  return builtinDeviceIds()
    .map((id) => loadDevice(id))
    .filter((d): d is TableDevice => d.kind === 'table' && d.table === table.id && d.spaces.includes(spaceId));
}

function resolveTargets(values: readonly string[] | undefined, table: LatencyTable, spaceId: string): BenchTarget[] {
  const devices = tableDevices(table, spaceId);
  const byKey = (k: string): TableDevice | undefined => devices.find((d) => d.key === k);
  const names = (values ?? []).flatMap((v) => listFlag(v) ?? []);
  if (names.length === 0) {
    const help = helpTargets(spaceId);
    const chosen = spaceId === 'nb201' && help.length ? help.map((k) => byKey(k)!) : devices;
    return chosen.map((d) => ({ id: d.id, key: d.key }));
  }
  const out: BenchTarget[] = [];
  for (const n of names) {
    const d = devices.find((x) => x.id === n) ?? byKey(n);
    if (!d) {
      throw new InputError('unknown-id', `no table device "${n}" for space ${spaceId}`, { path: '--target', expected: `one of ${devices.map((x) => x.id).join(', ')}`, actual: JSON.stringify(n) });
    }
    if (!out.some((t) => t.id === d.id)) out.push({ id: d.id, key: d.key });
  }
  return out;
}

/** Rows a predictor is judged on at least: Spearman's ρ of fewer is undefined or meaningless. */
const MIN_TEST_ROWS = 10;

function sampleList(value: string | undefined, rows: number): number[] {
  const raw = (value ?? '10,20,50,100').split(',').map((s) => s.trim());
  if (raw.some((s) => s === '') && raw.length > 1) throw new InputError('bad-flag', 'an empty sample count in the list', { path: '--samples', expected: 'a comma list of integers, e.g. 10,20,50,100', actual: JSON.stringify(value) });
  const items = listFlag(value ?? '10,20,50,100') ?? [];
  if (items.length === 0) throw new InputError('bad-flag', 'no sample counts', { path: '--samples', expected: 'a comma list of integers, e.g. 10,20,50,100', actual: JSON.stringify(value) });
  // At most the table's rows minus those the predictor is judged on.
  const out = items.map((s) => intFlag(s, '--samples', 0, 3, rows - MIN_TEST_ROWS));
  return [...new Set(out)].sort((a, b) => a - b);
}

function predictorList(value: string | undefined): PredictorName[] {
  const items = listFlag(value) ?? [...PREDICTORS];
  if (items.length === 0) throw new InputError('bad-flag', 'no predictors', { path: '--predictors', expected: `a comma list of ${PREDICTORS.join(', ')}`, actual: JSON.stringify(value) });
  const out: PredictorName[] = [];
  for (const p of items) {
    if (p === 'lut') {
      throw new InputError('incompatible', 'no table device has a per-op LUT (LUTs exist for pixel1-lut, note10-lut, i7-8700k-lut and for profiled measured devices)', { path: '--predictors', expected: `some of ${PREDICTORS.join(', ')}`, actual: '"lut"' });
    }
    if (!(PREDICTORS as readonly string[]).includes(p)) throw new InputError('bad-flag', 'unknown predictor', { path: '--predictors', expected: `some of ${PREDICTORS.join(', ')}`, actual: JSON.stringify(p) });
    if (!out.includes(p as PredictorName)) out.push(p as PredictorName);
  }
  return out;
}

/** `--sources`: undefined for all, HELP's 13 devices for `help`, or the listed table keys. */
function sourceList(value: string | undefined, table: LatencyTable, spaceId: string): { name: string; keys: string[] } | undefined {
  if (value === undefined || value === 'all') return undefined;
  if (value === 'help') {
    const keys = helpSources(spaceId);
    if (!keys) throw new InputError('incompatible', `HELP's source devices are known for nb201 and fbnet-cifar100, not ${spaceId}`, { path: '--sources', expected: 'all, or a comma list of table keys', actual: '"help"' });
    return { name: 'help', keys };
  }
  const keys = listFlag(value) ?? [];
  if (keys.length === 0) throw new InputError('bad-flag', 'no sources', { path: '--sources', expected: 'all, help, or a comma list of table keys', actual: JSON.stringify(value) });
  for (const k of keys) {
    if (!table.keys().includes(k)) throw new InputError('unknown-id', `no column "${k}" in the ${table.id} latency table`, { path: '--sources', expected: `all, help, or some of ${table.keys().join(', ')}`, actual: JSON.stringify(k) });
  }
  return { name: 'listed', keys: [...new Set(keys)] };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** Wide table: one line per target and N, ρ and ±10 % per predictor, HELP's ρ where published. */
function table(rows: readonly PredictorBenchRow[], spaceId: string, keyOf: Map<string, string>, predictors: readonly PredictorName[]): string {
  const ref = HELP_REFERENCE[spaceId] ?? {};
  const hasRef = rows.some((r) => ref[keyOf.get(r.target)!] !== undefined);
  const header = ['target', 'N', ...predictors.flatMap((p) => [`${p} rho`, '+-10%']), ...(hasRef ? ['HELP rho (N=10)'] : [])];
  const lines: string[][] = [];
  const groups = new Map<string, PredictorBenchRow[]>();
  for (const r of rows) {
    const k = `${r.target}\u0000${r.samples}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const cell = (g: PredictorBenchRow[], p: PredictorName): string[] => {
    const r = g.find((x) => x.predictor === p);
    return r ? [r.spearman.toFixed(3), pct(r.within10)] : ['', ''];
  };
  for (const g of groups.values()) {
    const h = ref[keyOf.get(g[0]!.target)!]?.help;
    lines.push([g[0]!.target, String(g[0]!.samples), ...predictors.flatMap((p) => cell(g, p)), ...(hasRef ? [h === undefined ? '' : h.toFixed(3)] : [])]);
  }
  const ns = [...new Set(rows.map((r) => r.samples))];
  const targets = new Set(rows.map((r) => r.target));
  if (targets.size > 1) {
    for (const n of ns) {
      const mean = (p: PredictorName): string[] => {
        const xs = rows.filter((r) => r.samples === n && r.predictor === p);
        return xs.length ? [(xs.reduce((s, r) => s + r.spearman, 0) / xs.length).toFixed(3), pct(xs.reduce((s, r) => s + r.within10, 0) / xs.length)] : ['', ''];
      };
      const helps = [...targets].map((t) => ref[keyOf.get(t)!]?.help);
      const helpMean = helps.every((h) => h !== undefined) ? (helps.reduce((s, h) => s + h!, 0) / helps.length).toFixed(3) : '';
      lines.push([`mean of ${targets.size}`, String(n), ...predictors.flatMap(mean), ...(hasRef ? [helpMean] : [])]);
    }
  }
  const w = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (l: string[]): string => l.map((c, i) => (i < 1 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  return `${[fmt(header), ...lines.map(fmt)].join('\n')}\n`;
}

async function run(argv: readonly string[], io: Io): Promise<number> {
  const f = parseFlags(argv, flags);
  const space = loadSpace(f.space ?? 'nb201');
  const latencyTable = latencyTableOfSpace(space);
  const rowCount = latencyTable.archStrings().length;
  const targets = resolveTargets(f.target, latencyTable, space.id);
  const samples = sampleList(f.samples, rowCount);
  const seeds = intFlag(f.seeds, '--seeds', 10, 1, 1000);
  const predictors = predictorList(f.predictors);
  const sources = sourceList(f.sources, latencyTable, space.id);
  const format = choiceFlag(f.format, '--format', ['table', 'csv', 'json'] as const, 'table');
  io.err(`predictor-bench: ${space.id}, ${targets.length} target(s), N = ${samples.join(', ')}, ${seeds} seed(s), judged on the other rows of ${rowCount}; transfer sources: ${sources ? `${sources.name} (${sources.keys.join(', ')})` : 'every other device of the table'}\n`);
  for (const t of targets) {
    const own = sources && sameHardwareKeys(t.key, latencyTable.keys()).filter((k) => sources.keys.includes(k));
    if (own && own.length > 0) io.err(`predictor-bench: ${t.id}: its own hardware (${own.join(', ')}) is left out of the sources\n`);
  }
  const rows = benchPredictors({ table: latencyTable, space, targets, samples, seeds, predictors, ...(sources && { sources: sources.keys }) }, (line) => io.err(`${line}\n`));
  if (format === 'json') io.out(`${JSON.stringify(rows, null, 1)}\n`);
  else if (format === 'csv') io.out(stringify(rows.map((r) => ({ ...r })), { header: true, columns: ['target', 'predictor', 'samples', 'spearman', 'within10'] }));
  else io.out(table(rows, space.id, new Map(targets.map((t) => [t.id, t.key])), predictors));
  return 0;
}

/** `hwnas predictor-bench`. */
export const predictorBenchCommand: Command = {
  name: 'predictor-bench',
  summary: 'latency predictors (transfer, NNLS, FLOPs, params) from N samples of a table device, against every other row',
  usage,
  run,
};
