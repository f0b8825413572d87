import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { runAccuracyBench, type AccuracyBenchRow } from '../run/accuracy-bench.ts';
import { loadSpace } from '../space/space-registry.ts';
import type { Io } from '../util/io.ts';
import { Progress } from '../util/progress.ts';
import type { TrainingProgress } from '../accuracy/training-budget.ts';
import { ACCURACY_DATA_FLAGS, ACCURACY_DATA_USAGE, parseAccuracyDataFlags } from './accuracy-flags.ts';
import type { Command } from './command.ts';
import { choiceFlag, intFlag, listFlag, parseFlags } from './flags.ts';

const flags = {
  space: { type: 'string' },
  signals: { type: 'string' },
  samples: { type: 'string' },
  seed: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'boolean' },
  jobs: { type: 'string' },
  resamples: { type: 'string' },
  ...ACCURACY_DATA_FLAGS,
} as const;

const usage = `usage: hwnas accuracy-bench [--space nasbench-macro|nb201] [--signals S,...] [--samples K] [--seed S]
                            [--out DIR [--resume]] [--jobs N] [--data DIR] [--train-epochs N]
                            [--train-images N] [--format table|json]

How well each accuracy signal ranks architectures, and at what CPU cost. K architectures of a space
with an accuracy table are drawn (seeded, uniform, distinct: a smaller K is a prefix of a larger
one); every signal scores all of them, one signal at a time, and each score is journaled in
DIR/scores.jsonl as it comes, so a stopped run continues with --resume. Per signal, against the
table: Spearman's rho, Kendall's tau-b and the top-10 % precision (of the top 10 % by the signal,
the share in the top 10 % by the table), each with a 95 % percentile bootstrap interval, and the
CPU-seconds per architecture (every thread of the process and ended child processes, e.g. those of
command:<cmd>), a source's one-off set-up (a supernet's training) spread over the K architectures.
The first row, ceiling, is one full training against another (NAS-Bench-Macro's three trainings).
hwnas report DIR draws fidelity against cost.

  --space S        nasbench-macro (default; ground truth: CIFAR-10 test accuracy, mean of three
                   trainings) or nb201 (CIFAR-10 test accuracy after 200 epochs)
  --signals LIST   comma list, scored in this order (default flops,params,synflow): any accuracy
                   source (proxy-train, zero-cost:<id>, command:<cmd>, supernet where registered);
                   flops, params, synflow, naswot, grad_norm, snip for zero-cost:<id>; combo:<a>+<b>
                   for the rank average of signals a and b over the sample (no ground truth used);
                   a command: signal cannot hold a comma (nor a + inside combo:)
  --samples K      architectures drawn                                 [200]
  --seed S         seed of the sample, the bootstrap and every signal  [0]
  --out DIR        results folder                [results/accuracy-bench-<space>-seed<S>]
  --resume         continue the run in --out (same space, seed, data and training budget)
  --jobs N         architectures scored at once by a training source   [cores: ${availableParallelism()};
                   (proxy-train, supernet, command:<cmd>)                1 with a command: signal]
  --resamples N    bootstrap resamples per interval                    [1000]
${ACCURACY_DATA_USAGE}
  --format F       table (default) or json: an array of rows { space, signal, samples, seed,
                   spearman, kendall, top10Precision, cpuSecondsPerArch, settings, spearmanCi,
                   kendallCi, top10PrecisionCi, scored, failed }

Writes DIR/config.json, DIR/scores.jsonl and DIR/accuracy-bench.json (the rows). Progress, with an
ETA per signal, goes to stderr.`;

const num = (v: number | null, digits = 3): string => (v === null ? '—' : v.toFixed(digits));
const ci = (v: [number, number] | null, digits = 3): string => (v === null ? '' : ` [${v[0].toFixed(digits)}, ${v[1].toFixed(digits)}]`);

function cpuText(r: AccuracyBenchRow): string {
  if (r.signal === 'ceiling') return 'full training';
  const v = r.cpuSecondsPerArch;
  if (v === null) return '—';
  return v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toPrecision(2);
}

/** The terminal table: one line per row, then notes on set-up costs and failures. */
export function accuracyBenchTable(rows: readonly AccuracyBenchRow[], head: string): string {
  const header = ['signal', 'archs', 'Spearman [95% CI]', 'Kendall [95% CI]', 'top-10% precision [95% CI]', 'CPU-s/arch'];
  const lines = rows.map((r) => [r.signal, String(r.scored), `${num(r.spearman)}${ci(r.spearmanCi)}`, `${num(r.kendall)}${ci(r.kendallCi)}`, `${num(r.top10Precision, 2)}${ci(r.top10PrecisionCi, 2)}`, cpuText(r)]);
  const w = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (l: string[]): string => l.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  const notes: string[] = [];
  for (const r of rows) {
    const setup = Number(r.settings.setupCpuSeconds ?? 0);
    if (r.signal !== 'ceiling' && setup >= 1) notes.push(`${r.signal}: CPU-s/arch includes ${setup.toFixed(0)} CPU-s of one-off set-up spread over ${r.samples} architectures (scoring alone ${num(r.settings.scoringCpuSecondsPerArch as number | null, 2)} CPU-s/arch)`);
    if (r.failed > 0) notes.push(`${r.signal}: failed on ${r.failed} of ${r.samples} architectures (left out; reasons in scores.jsonl)`);
  }
  const ceiling = rows.find((r) => r.signal === 'ceiling');
  if (ceiling) notes.push(`ceiling: ${String(ceiling.settings.definition)}`);
  return `${head}\n${[fmt(header), ...lines.map(fmt)].join('\n')}\n${notes.map((n) => `  ${n}\n`).join('')}`;
}

async function run(argv: readonly string[], io: Io): Promise<number> {
  const f = parseFlags(argv, flags);
  const space = loadSpace(f.space ?? 'nasbench-macro');
  const signals = listFlag(f.signals ?? 'flops,params,synflow') ?? [];
  if (signals.length === 0) throw new InputError('bad-flag', 'no signals', { path: '--signals', expected: 'a comma list of signals, e.g. flops,params,synflow', actual: JSON.stringify(f.signals) });
  const samples = intFlag(f.samples, '--samples', 200, 3, 1_000_000);
  const seed = intFlag(f.seed, '--seed', 0, 0, 2 ** 32 - 1);
  // A command: trainer usually holds a whole GPU: one at a time unless asked.
  const jobs = intFlag(f.jobs, '--jobs', signals.some((x) => x.startsWith('command:')) ? 1 : availableParallelism(), 1, 1024);
  const resamples = intFlag(f.resamples, '--resamples', 1000, 10, 100_000);
  const format = choiceFlag(f.format, '--format', ['table', 'json'] as const, 'table');
  const accuracyData = parseAccuracyDataFlags(f);
  if (f.out !== undefined && f.out.trim() === '') throw new InputError('bad-flag', 'empty output folder', { path: '--out', expected: 'a folder path' });
  const out = f.out ?? join('results', `accuracy-bench-${space.id}-seed${seed}`);
  let progress: Progress | undefined;
  let done = 0;
  // Epochs of the architectures in training show in the progress line's note.
  const training = new Map<string, string>();
  const onTrainingProgress = (p: TrainingProgress): void => {
    training.set(p.arch, `epoch ${p.epoch}/${p.epochs} step ${p.step}/${p.steps}`);
    if (p.epoch === p.epochs && p.step === p.steps) training.delete(p.arch);
    progress?.update(done, [...training.entries()].map(([a, t]) => `${a.length > 24 ? `${a.slice(0, 23)}…` : a} ${t}`).join('; '));
  };
  const res = await runAccuracyBench({
    space, signals, samples, seed, settings: { seed, jobs, ...accuracyData, onTrainingProgress }, out, resume: f.resume === true, resamples,
    onEvent: (e) => {
      if (e.type === 'start') {
        io.err(`accuracy-bench: ${space.id}, ${e.archs} architectures (seed ${seed}), signals ${signals.join(', ')}; journal ${join(out, 'scores.jsonl')}${e.resumed ? ' (resumed)' : ` (continue with --out ${out} --resume)`}\n`);
        for (const p of e.journalProblems) io.err(`accuracy-bench: scores.jsonl line ${p.line} left out: ${p.reason}\n`);
        if (e.tornBytes > 0) io.err(`accuracy-bench: scores.jsonl ended in a torn line (${e.tornBytes} bytes), cut off\n`);
      } else if (e.type === 'signal') {
        if (e.todo === 0) io.err(`accuracy-bench: ${e.signal}: all ${e.total} architectures in the journal\n`);
        else {
          if (e.todo < e.total) io.err(`accuracy-bench: ${e.signal}: ${e.total - e.todo} of ${e.total} architectures in the journal, ${e.todo} to score\n`);
          progress = new Progress(io, `accuracy-bench: ${e.signal}`, e.todo);
          done = 0;
          training.clear();
        }
      } else if (e.type === 'setup') {
        if (e.cpuSeconds >= 1) io.err(`accuracy-bench: ${e.signal}: set up in ${e.cpuSeconds.toFixed(1)} CPU-s (${(e.wallMs / 1000).toFixed(1)} s)\n`);
      } else if (e.type === 'scored') {
        done = e.done;
        progress?.update(e.done, e.failed ? `(${e.arch} failed)` : '');
      } else if (e.type === 'signal-done') {
        progress?.done();
        progress = undefined;
      }
    },
  });
  if (format === 'json') io.out(`${JSON.stringify(res.rows, null, 1)}\n`);
  else io.out(accuracyBenchTable(res.rows, `${space.id}: ${samples} architectures (seed ${seed}) against the ${res.groundTruth}; 95 % bootstrap intervals (${resamples} resamples)`));
  io.err(`accuracy-bench: rows in ${join(out, 'accuracy-bench.json')}; hwnas report ${out} draws fidelity against cost\n`);
  return 0;
}

/** `hwnas accuracy-bench`. */
export const accuracyBenchCommand: Command = {
  name: 'accuracy-bench',
  summary: 'how well each accuracy signal ranks architectures against a table, and its CPU cost per architecture',
  usage,
  run,
};
