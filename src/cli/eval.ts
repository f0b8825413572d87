import { stringify } from 'csv-stringify/sync';
import { getAccuracySource } from '../accuracy/accuracy-registry.ts';
import { InputError } from '../errors.ts';
import { createLatencyProvider } from '../latency/create-latency-provider.ts';
import { loadDevice } from '../latency/device-profile.ts';
import { Evaluator } from '../run/evaluator.ts';
import { Rng } from '../util/rng.ts';
import { allArchs, parseArch, randomArchs, readArchsFile, type ArchEntry } from '../space/arch-list.ts';
import { loadSpace } from '../space/space-registry.ts';
import { extraEvalMetric, extraEvalMetricIds } from '../run/eval-metrics.ts';
import type { Command } from './command.ts';
import { choiceFlag, intFlag, listFlag, parseFlags, requireFlag } from './flags.ts';

const usage = `usage: hwnas eval --space S (--arch A | --archs-file F | --all | --random N) [flags]

Print metrics of architectures, one row per architecture in input order.

  --space S          space id or path
  --arch A           one arch string (repeatable)
  --archs-file F     file with one arch string per line
  --all              every architecture of the space
  --random N         N uniformly sampled architectures (with --seed)
  --seed N           seed for --random                              [0]
  --metrics L        params,flops,latency,accuracy and more         [params,flops]
  --device D         device for latency (id or path)                [ort-cpu]
  --accuracy A       accuracy source                                [table]
  --format F         csv or json                                    [csv]

Columns: arch, then paramCount (params), flops, latencyMs (latency), accuracy, and a column named
after each other metric asked for.`;

const BASE_COLUMNS: Record<string, string> = { params: 'paramCount', paramCount: 'paramCount', flops: 'flops', latency: 'latencyMs', latencyMs: 'latencyMs', accuracy: 'accuracy' };

export const evalCommand: Command = {
  name: 'eval',
  summary: 'metrics (params, FLOPs, latency, accuracy, proxies) of given architectures',
  usage,
  async run(argv, io) {
    const f = parseFlags(argv, {
      space: { type: 'string' }, arch: { type: 'string', multiple: true }, 'archs-file': { type: 'string' },
      all: { type: 'boolean' }, random: { type: 'string' }, seed: { type: 'string' }, metrics: { type: 'string' },
      device: { type: 'string' }, accuracy: { type: 'string' }, format: { type: 'string' },
    });
    const space = loadSpace(requireFlag(f.space, '--space', 'a space id or path'));
    const format = choiceFlag(f.format, '--format', ['csv', 'json'] as const, 'csv');
    const metrics = listFlag(f.metrics ?? 'params,flops') ?? [];
    if (metrics.length === 0) throw new InputError('bad-flag', 'no metrics given', { path: '--metrics' });
    for (const m of metrics) {
      if (!(m in BASE_COLUMNS) && !extraEvalMetricIds().includes(m)) {
        throw new InputError('bad-metric', `unknown metric "${m}"`, { path: '--metrics', expected: `some of ${[...Object.keys(BASE_COLUMNS), ...extraEvalMetricIds()].join(', ')}` });
      }
    }
    const sources = [f.arch !== undefined, f['archs-file'] !== undefined, f.all === true, f.random !== undefined].filter(Boolean).length;
    if (sources !== 1) throw new InputError('bad-flag', 'give exactly one of --arch, --archs-file, --all, --random', { path: '--arch' });
    let archs: ArchEntry[];
    if (f.arch) archs = f.arch.map((a) => parseArch(space, a));
    else if (f['archs-file'] !== undefined) archs = readArchsFile(space, f['archs-file']);
    else if (f.all) archs = allArchs(space);
    else archs = randomArchs(space, intFlag(f.random, '--random', 1, 1), new Rng(intFlag(f.seed, '--seed', 0, 0, 2 ** 32 - 1)));

    const wants = (m: string) => metrics.some((x) => BASE_COLUMNS[x] === m);
    const latency = wants('latencyMs') ? await createLatencyProvider(loadDevice(f.device ?? 'ort-cpu'), space) : undefined;
    const accuracy = wants('accuracy') ? await getAccuracySource(f.accuracy ?? 'table', space) : undefined;
    const evaluator = new Evaluator(space, { ...(accuracy && { accuracy }), ...(latency && { latency: [latency] }) });
    // A proxy accuracy source (zero-cost:synflow...) reports under its own metric name.
    const column = (m: string) => (BASE_COLUMNS[m] === 'accuracy' && accuracy ? accuracy.metric : (BASE_COLUMNS[m] ?? m));
    const columns = ['arch', ...new Set(metrics.map(column))];
    const rows: Record<string, string | number>[] = [];
    let failures = 0;
    for (const a of archs) {
      const outcome = await evaluator.evaluate(a.genotype);
      const row: Record<string, string | number> = { arch: a.arch };
      if (outcome.status === 'failed') {
        failures++;
        row.error = outcome.error;
      } else {
        for (const c of columns.slice(1)) {
          const v = outcome.metrics[c];
          if (v !== undefined) row[c] = v;
        }
        const errors: string[] = [];
        for (const m of metrics.filter((x) => !(x in BASE_COLUMNS))) {
          try {
            const v = await extraEvalMetric(m, space, a.genotype);
            if (!Number.isFinite(v)) throw new Error(`value is ${v}`);
            row[m] = v;
          } catch (e) {
            errors.push(`${m}: ${(e as Error).message}`);
          }
        }
        if (errors.length > 0) {
          failures++;
          row.error = errors.join('; ');
        }
      }
      rows.push(row);
    }
    await latency?.close?.();
    if (failures > 0) columns.push('error');
    if (format === 'json') io.out(`${JSON.stringify(rows, null, 1)}\n`);
    else io.out(stringify(rows.map((r) => columns.map((c) => r[c] ?? '')), { header: true, columns }));
    if (failures > 0) io.err(`hwnas eval: ${failures} of ${archs.length} architectures failed (see the error column)\n`);
    return failures > 0 ? 1 : 0;
  },
};
