import { availableParallelism } from 'node:os';
import { stringify } from 'csv-stringify/sync';
import { getAccuracySource } from '../accuracy/accuracy-registry.ts';
import type { TrainingProgress } from '../accuracy/accuracy-source.ts';
import { InputError } from '../errors.ts';
import { MAX_EVALUATIONS } from '../limits.ts';
import { createLatencyProvider } from '../latency/create-latency-provider.ts';
import { loadDevice } from '../latency/device-profile.ts';
import { Evaluator } from '../run/evaluator.ts';
import { Rng } from '../util/rng.ts';
import { allArchs, parseArch, randomArchs, readArchsFile, type ArchEntry } from '../space/arch-list.ts';
import { loadSpace } from '../space/space-registry.ts';
import { spaceSize, type SearchSpace } from '../space/search-space.ts';
import { countFlops } from '../graph/count.ts';
import { metricInfo } from '../record/metric-registry.ts';
import type { Outcome } from '../record/outcome.ts';
import { Progress } from '../util/progress.ts';
import { extraEvalMetric, extraEvalMetricIds } from '../run/eval-metrics.ts';
import type { Command } from './command.ts';
import { ACCURACY_DATA_FLAGS, ACCURACY_DATA_USAGE, parseAccuracyDataFlags } from './accuracy-flags.ts';
import { choiceFlag, intFlag, listFlag, parseFlags, requireFlag } from './flags.ts';
import { STRICT_TIMING_EXIT_CODE, strictTimingExit, timingWarnings } from './timing-warnings.ts';
import { timedRows, timingQuality } from '../latency/timing-quality.ts';

const usage = `usage: hwnas eval --space S (--arch A | --archs-file F | --all | --random N) [flags]

Print metrics of architectures, one row per architecture in input order.

  --space S          space id or path
  --arch A           one arch string (repeatable)
  --archs-file F     file with one arch string per line
  --all              every architecture of the space
  --random N         N uniformly sampled architectures (with --seed), N ≤ the space's size
                     and ≤ ${MAX_EVALUATIONS}
  --seed N           seed for --random and for proxy training and    [0]
                     zero-cost proxies (weights, images)
  --metrics L        params,flops,latency,accuracy and more         [params,flops]
  --device D         device for latency (id or path)                [ort-cpu]
  --accuracy A       accuracy source                                [table]
  --jobs N           candidates scored at once by a training        [cores: ${availableParallelism()}; 1 for command:]
                     accuracy source (proxy-train: one worker
                     thread each); the same results for any N
${ACCURACY_DATA_USAGE}
  --format F         csv or json                                    [csv]
  --strict-timing    exit ${STRICT_TIMING_EXIT_CODE} when measured latencies missed their timing tolerance
                     (a warning says how many; docs/latency-protocol.md)
  --redis URL        measure latency (and compute a computing accuracy source) on
                     \`hwnas worker\` processes through this Redis, all architectures at once

Columns: arch, then paramCount (params), flops, latencyMs (latency), accuracy, and a column named
after each other metric asked for. An accuracy source may report metrics beside accuracy: they follow
it as columns (proxy-train: trainMs, the wall time of the training loop in ms, trainImages, the
images it trained on, and trainImagesPerS; on nb201 and nasbench-macro a proxy source adds
tableAccuracy, the table's accuracy) and can be asked for by name (--metrics accuracy,trainMs).

Latency is measured one architecture at a time after all training has finished, never while
candidates train on the same cores.`;

/** Indices of `archs` by decreasing FLOPs (architectures whose graph does not build first: they fail at once). */
function byFlopsDescending(space: SearchSpace, archs: readonly ArchEntry[]): number[] {
  const flops = archs.map((a) => {
    try {
      return countFlops(space.build(a.genotype));
    } catch {
      return Infinity;
    }
  });
  return archs.map((_, i) => i).sort((a, b) => flops[b]! - flops[a]! || a - b);
}

function isRegisteredMetric(name: string): boolean {
  try {
    metricInfo(name, '--metrics');
    return true;
  } catch {
    return false;
  }
}

const BASE_COLUMNS: Record<string, string> = { params: 'paramCount', paramCount: 'paramCount', flops: 'flops', latency: 'latencyMs', latencyMs: 'latencyMs', accuracy: 'accuracy' };

export const evalCommand: Command = {
  name: 'eval',
  summary: 'metrics (params, FLOPs, latency, accuracy, proxies) of given architectures',
  usage,
  async run(argv, io) {
    const f = parseFlags(argv, {
      space: { type: 'string' }, arch: { type: 'string', multiple: true }, 'archs-file': { type: 'string' },
      all: { type: 'boolean' }, random: { type: 'string' }, seed: { type: 'string' }, metrics: { type: 'string' },
      device: { type: 'string' }, accuracy: { type: 'string' }, format: { type: 'string' }, jobs: { type: 'string' }, redis: { type: 'string' },
      'strict-timing': { type: 'boolean' },
      ...ACCURACY_DATA_FLAGS,
    });
    const accuracyData = parseAccuracyDataFlags(f);
    const space = loadSpace(requireFlag(f.space, '--space', 'a space id or path'));
    const format = choiceFlag(f.format, '--format', ['csv', 'json'] as const, 'csv');
    const seed = intFlag(f.seed, '--seed', 0, 0, 2 ** 32 - 1);
    // A command: trainer usually holds a whole GPU: one at a time unless asked.
    const jobs = intFlag(f.jobs, '--jobs', f.accuracy?.startsWith('command:') ? 1 : availableParallelism(), 1, 1024);
    const metrics = listFlag(f.metrics ?? 'params,flops') ?? [];
    if (metrics.length === 0) throw new InputError('bad-flag', 'no metrics given', { path: '--metrics' });
    // Names that are neither base columns nor extra metrics must be registered metrics that the
    // accuracy source reports (checked once it exists).
    const fromSource = metrics.filter((m) => !(m in BASE_COLUMNS) && !extraEvalMetricIds().includes(m));
    for (const m of fromSource) {
      if (!isRegisteredMetric(m)) {
        throw new InputError('bad-metric', `unknown metric "${m}"`, { path: '--metrics', expected: `some of ${[...Object.keys(BASE_COLUMNS), ...extraEvalMetricIds()].join(', ')}, or a metric the accuracy source reports (proxy-train: trainMs, trainImages, trainImagesPerS; tableAccuracy on nb201 and nasbench-macro)` });
      }
    }
    const sources = [f.arch !== undefined, f['archs-file'] !== undefined, f.all === true, f.random !== undefined].filter(Boolean).length;
    if (sources !== 1) throw new InputError('bad-flag', 'give exactly one of --arch, --archs-file, --all, --random', { path: '--arch' });
    let archs: ArchEntry[];
    if (f.arch) archs = f.arch.map((a) => parseArch(space, a));
    else if (f['archs-file'] !== undefined) archs = readArchsFile(space, f['archs-file']);
    else if (f.all) archs = allArchs(space, MAX_EVALUATIONS);
    else archs = randomArchs(space, intFlag(f.random, '--random', 1, 1, Math.min(spaceSize(space), MAX_EVALUATIONS)), new Rng(seed));
    if (archs.length > MAX_EVALUATIONS) {
      throw new InputError('bad-flag', 'too many architectures', { path: f.arch ? '--arch' : '--archs-file', expected: `at most ${MAX_EVALUATIONS}`, actual: String(archs.length) });
    }

    const wants = (m: string) => metrics.some((x) => BASE_COLUMNS[x] === m);
    const device = wants('latencyMs') ? loadDevice(f.device ?? 'ort-cpu') : undefined;
    // With --redis the architectures go to workers at once; their outcomes come back in input order.
    const backend = f.redis !== undefined ? await (await import('./redis-flag.ts')).openRedisBackend(f.redis, io, false) : undefined;
    // Training progress (epochs of the candidates in training) shows in the progress line's note.
    const training = new Map<string, string>();
    let progress: Progress | undefined;
    let done = 0;
    const onTrainingProgress = (p: TrainingProgress) => {
      training.set(p.arch, `epoch ${p.epoch}/${p.epochs} step ${p.step}/${p.steps}`);
      if (p.epoch === p.epochs && p.step === p.steps) training.delete(p.arch);
      progress?.update(done, [...training.entries()].map(([a, t]) => `${a.length > 24 ? `${a.slice(0, 23)}…` : a} ${t}`).join('; '));
    };
    const accuracy = wants('accuracy') || fromSource.length > 0 ? await getAccuracySource(f.accuracy ?? 'table', space, { seed, jobs, ...accuracyData, onTrainingProgress }) : undefined;
    let outcomes: Outcome[];
    let columns: string[];
    let latency: Awaited<ReturnType<typeof createLatencyProvider>> | undefined;
    try {
      for (const m of fromSource) {
        if (!accuracy!.metricNames.includes(m)) {
          throw new InputError('bad-metric', `accuracy source ${accuracy!.id} does not report metric "${m}"`, { path: '--metrics', expected: `one of ${accuracy!.metricNames.join(', ')}` });
        }
      }
      latency = device ? await (backend ? backend.latencyProvider(device, space) : createLatencyProvider(device, space)) : undefined;
      // A proxy accuracy source (zero-cost:synflow...) reports under its own metric name; the metrics
      // it shows alongside follow its column.
      const column = (m: string): string[] => (BASE_COLUMNS[m] === 'accuracy' && accuracy ? [accuracy.metric, ...(accuracy.alongside ?? [])] : [BASE_COLUMNS[m] ?? m]);
      columns = ['arch', ...new Set(metrics.flatMap(column))];
      // Up to `jobs` candidates train at once (the evaluator asks the source's concurrency), the ones
      // with the most FLOPs first so that no long training starts last and runs alone; latency is
      // measured after all training, ten architectures at a time in interleaved rounds.
      const order = (accuracy?.concurrency ?? 1) > 1 || backend ? byFlopsDescending(space, archs) : archs.map((_, i) => i);
      const batch = order.map((i) => archs[i]!);
      const pending = backend
        ? backend.evaluator({
            target: { id: device?.id ?? space.id, devices: device ? [device] : [], joint: false }, space, accuracy, providers: latency ? [latency] : [], counts: true, seed,
          })(batch.map((a) => ({ genotype: a.genotype, arch: a.arch })))
        : new Evaluator(space, { ...(accuracy && { accuracy }), ...(latency && { latency: [latency] }) }).evaluateBatch(batch);
      // Sources that train declare a concurrency: seconds to minutes per architecture, worth a progress line.
      progress = accuracy?.concurrency !== undefined ? new Progress(io, `eval: ${accuracy.id}`, archs.length) : undefined;
      const evaluated = await Promise.all(pending.map((p) => p.then((e) => {
        progress?.update(++done);
        return e;
      })));
      progress?.done();
      outcomes = new Array<Outcome>(archs.length);
      order.forEach((i, k) => (outcomes[i] = evaluated[k]!.outcome));
    } finally {
      await accuracy?.close?.();
      await backend?.close();
    }
    const rows: Record<string, string | number>[] = [];
    let failures = 0;
    for (const [i, a] of archs.entries()) {
      const outcome = outcomes[i]!;
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
        for (const m of metrics.filter((x) => extraEvalMetricIds().includes(x) && !(x in BASE_COLUMNS))) {
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
    const noisy = device?.kind === 'measured' ? timingWarnings(io, [timingQuality(device.id, device.timing.ciTolerancePct, timedRows(outcomes.flatMap((o) => (o.status === 'ok' ? [o] : []))))]) : 0;
    if (failures > 0) return 1;
    return f['strict-timing'] && noisy > 0 ? strictTimingExit(io) : 0;
  },
};
