import { InputError } from '../errors.ts';
import type { Command } from './command.ts';
import { parseFlagsAndArgs } from './flags.ts';
import { STRICT_TIMING_EXIT_CODE, strictTimingExit, timingWarnings } from './timing-warnings.ts';

const usage = `usage: hwnas measure MODEL.onnx [MODEL.onnx ...] [--device D] [--out FILE.csv] [--strict-timing]

Time your own ONNX models (a MobileNet of yours, a model from a zoo) on a measured device with the
protocol of every hwnas latency (docs/latency-protocol.md): ten files per batch in interleaved
rounds, the reference network timed between rounds, each model timed until the 95% confidence
interval of its median is within the device's tolerance (timing.ciTolerancePct, default ±2%) or its
time cap. Inputs are fed with a fixed seeded tensor of each input's shape (symbolic dimensions as 1).

Writes CSV rows in the leaderboard format of hwnas search (rank, arch = the file as given,
latencyMs, p90Ms, iqrMs, cv, samples, ciHalfWidthPct, rounds, and the measurement facts: runtime,
threads, referenceMs, referenceDriftPct, loadAvg1Before, loadAvg1After, cpuStealPct, timingWarning),
ranked by latency, to stdout or --out.

  --device D       a measured device on ONNX Runtime: ort-cpu, ort-cpu-1t, ort-webgpu, or a path
                   to a device .json                                        [ort-cpu]
  --out FILE       write the CSV here (atomically) instead of stdout
  --strict-timing  exit ${STRICT_TIMING_EXIT_CODE} (after writing the rows) when a row missed its timing tolerance or the
                   reference network drifted more than the tolerance

Exit codes: 0 all timed; 1 a model could not be loaded or run (the others are written);
2 bad input (a missing or non-ONNX file, a bad flag); 3 the device is unavailable here;
${STRICT_TIMING_EXIT_CODE} timing not within tolerance under --strict-timing.`;

export const measureCommand: Command = {
  name: 'measure',
  summary: 'time your own ONNX files on a measured device; rows in the leaderboard CSV format',
  usage,
  async run(argv, io) {
    const { flags: f, positionals: files } = parseFlagsAndArgs(argv, { device: { type: 'string' }, out: { type: 'string' }, 'strict-timing': { type: 'boolean' } });
    if (files.length === 0) throw new InputError('bad-flag', 'no model files given', { path: 'MODEL.onnx', expected: 'one or more .onnx files (hwnas measure MODEL.onnx [...] --device D)', actual: 'nothing' });
    if (f.out !== undefined && f.out.trim() === '') throw new InputError('bad-flag', 'empty file name', { path: '--out', expected: 'a .csv file path' });
    const { measureFiles } = await import('../run/measure-files.ts');
    const { leaderboardCsv } = await import('../record/leaderboard.ts');
    const res = await measureFiles(files, f.device ?? 'ort-cpu', { progress: (line) => io.err(`${line}\n`) });
    const csv = res.rows.length > 0 ? leaderboardCsv(res.rows) : '';
    if (f.out !== undefined) {
      const { writeFileAtomic } = await import('../util/atomic-write.ts');
      writeFileAtomic(f.out, csv);
      io.err(`measure: ${res.rows.length} rows written to ${f.out}\n`);
    } else io.out(csv);
    for (const fail of res.failures) io.err(`measure: failed: ${fail}\n`);
    const b = res.loadBefore.loadAvg[0];
    const a = res.loadAfter.loadAvg[0];
    io.err(`measure: ${res.rows.length} of ${files.length} timed on ${res.device}; median 95% CI ±${res.timing ? res.timing.medianCiHalfWidthPct.toFixed(2) : '—'}%; load average ${b.toFixed(2)} before, ${a.toFixed(2)} after\n`);
    const noisy = timingWarnings(io, [res.timing]);
    if (res.failures.length > 0) return 1;
    return f['strict-timing'] && noisy > 0 ? strictTimingExit(io) : 0;
  },
};
