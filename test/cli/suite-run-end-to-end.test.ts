import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { colorAt } from '../../src/report/palette.ts';
import { runCli, tempDir } from '../helpers/cli.ts';

const PROBLEMS = 'nb201-c10-fleet3,nb201-c10-pixel3-le10ms';
const args = (out: string, jobs: number, ...more: string[]) => [
  'suite', 'run', '--problems', PROBLEMS, '--strategies', 'random,nsga2', '--seeds', '2', '--budget', '40', '--checkpoints', '20',
  '--jobs', String(jobs), '--out', out, ...more,
];
const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');

test('suite run: contract CSV, summary, CD plot; same results with 1 and 2 jobs; resume reuses the journals', async () => {
  const root = tempDir();
  const one = join(root, 'one');
  const r1 = await runCli(args(one, 1));
  assert.equal(r1.code, 0, r1.err);
  const lines = read(one, 'suite-results.csv').trim().split('\n');
  assert.equal(lines[0], 'problem,strategy,seed,evaluations,hvRatio,igdPlus');
  // 2 problems × 2 strategies × 2 seeds × checkpoints 20 and 40.
  assert.equal(lines.length, 1 + 16);
  const rows = lines.slice(1).map((l) => l.split(','));
  assert.deepEqual([...new Set(rows.map((r) => r[0]))], PROBLEMS.split(','));
  assert.deepEqual([...new Set(rows.map((r) => r[3]))], ['20', '40']);
  for (const r of rows) {
    const hv = Number(r[4]);
    const igd = Number(r[5]);
    assert.ok(hv > 0 && hv <= 1 + 1e-12, `hvRatio ${hv}`);
    assert.ok(igd >= 0 && Number.isFinite(igd), `igdPlus ${igd}`);
  }
  // Per run the HV ratio never falls as evaluations grow.
  for (let i = 0; i < rows.length; i += 2) assert.ok(Number(rows[i + 1]![4]) >= Number(rows[i]![4]));
  for (const f of ['summary-problems.csv', 'summary-ranks.csv', 'summary-posthoc.csv', 'summary.json', 'summary.md', 'cd-plot.svg', 'config.json']) assert.ok(existsSync(join(one, f)), f);
  assert.ok(existsSync(join(one, 'runs', 'nb201-c10-fleet3', 'nsga2', 'seed-1.jsonl')));
  const summary = JSON.parse(read(one, 'summary.json')) as { friedman: { p: number } | null; perProblem: { medianHvRatio: number; runs: number }[]; criticalDifference: { cd: number } };
  assert.equal(summary.perProblem.length, 4);
  assert.ok(summary.perProblem.every((r) => r.runs === 2));
  assert.ok(summary.friedman && summary.friedman.p > 0 && summary.friedman.p <= 1);
  const svg = read(one, 'cd-plot.svg');
  assert.match(svg, /^<svg /);
  // Drawn by ECharts (server-side SVG): one data mark per strategy at its average rank.
  const marks = [...svg.matchAll(/<path [^>]*transform="matrix[^>]*fill="(#[0-9a-f]{6})" fill-opacity="([\d.]+)"[^>]*ecmeta_data_index="\d+" ecmeta_ssr_type="chart"/g)]
    .filter((m) => Number(m[2]) > 0).map((m) => m[1]);
  assert.deepEqual(marks.sort(), [colorAt(0), colorAt(1)].sort());
  assert.match(svg, /random \(\d\.\d\d\)/);
  assert.match(svg, /nsga2 \(\d\.\d\d\)/);
  assert.match(svg, new RegExp(`CD = ${summary.criticalDifference.cd.toFixed(2)}`));
  assert.match(r1.out, /Friedman χ²/);
  assert.match(read(one, 'summary.md'), /\| nb201-c10-fleet3 \|/);

  // Child processes (2 jobs) give byte-identical results (the plot is drawn from summary.json).
  const two = join(root, 'two');
  const r2 = await runCli(args(two, 2));
  assert.equal(r2.code, 0, r2.err);
  for (const f of ['suite-results.csv', 'summary.json', 'summary-problems.csv', 'summary-posthoc.csv', 'summary.md']) assert.equal(read(two, f), read(one, f), f);

  // An existing results folder is not overwritten without --resume, and nothing in it changes.
  const before = read(one, 'suite-results.csv');
  const again = await runCli(args(one, 1));
  assert.equal(again.code, 2);
  assert.match(again.err, /already holds a suite run/);
  assert.equal(read(one, 'suite-results.csv'), before);

  // Resume after losing a journal line and the results: the run re-evaluates only the lost record.
  const journal = join(one, 'runs', 'nb201-c10-pixel3-le10ms', 'random', 'seed-0.jsonl');
  const jl = read(one, 'runs/nb201-c10-pixel3-le10ms/random/seed-0.jsonl').trim().split('\n');
  assert.equal(jl.length, 40);
  writeFileSync(journal, `${jl.slice(0, -1).join('\n')}\n`);
  rmSync(join(one, 'suite-results.csv'));
  const r3 = await runCli(args(one, 2, '--resume'));
  assert.equal(r3.code, 0, r3.err);
  assert.match(r3.err, /nb201-c10-pixel3-le10ms random seed 0: 40 evaluated \(39 from the journal\)/);
  assert.match(r3.err, /nb201-c10-fleet3 nsga2 seed 1: 40 evaluated \(40 from the journal\)/);
  assert.equal(read(one, 'suite-results.csv'), before);
  assert.equal(read(one, 'summary.json'), read(two, 'summary.json'));
  assert.equal(read(one, 'runs/nb201-c10-pixel3-le10ms/random/seed-0.jsonl').trim().split('\n').length, 40);

  // Resume with other settings is refused, naming the setting.
  const changed = await runCli([...args(one, 1, '--resume').filter((a, i, all) => all[i - 1] !== '--budget' && a !== '--budget'), '--budget', '50']);
  assert.equal(changed.code, 2);
  assert.match(changed.err, /settings changed since the run: budget \(was 40, now 50\)/);
});

test('suite run: bad input is one line, exit 2, nothing written', async () => {
  const out = join(tempDir(), 'bad');
  const cases: [string[], RegExp][] = [
    [['--problems', 'nb201-c10-fpga,nope'], /--problems: unknown problem "nope" in suite hwnas-v1/],
    [['--strategies', 'random,annealing'], /--strategies/],
    [['--suite', 'hwnas-v9'], /--suite: unknown suite "hwnas-v9"/],
    [['--option', 'nsga2.pop=3', '--strategies', 'nsga2'], /unknown option "pop" for strategy nsga2/],
    [['--seeds', '0'], /--seeds/],
  ];
  for (const [more, msg] of cases) {
    const r = await runCli(['suite', 'run', '--budget', '10', '--out', out, ...more]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, msg);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.equal(existsSync(out), false);
  }
  const sub = await runCli(['suite', 'start']);
  assert.equal(sub.code, 2);
  assert.match(sub.err, /unknown subcommand "start"/);
});

test('suite list names every problem with its front size and hypervolume', async () => {
  const r = await runCli(['suite', 'list']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /hwnas-v1 1\.0\.0 \(released\): 18 problems/);
  assert.match(r.out, /nb201-c10-pixel3-le10ms +nb201 cifar10ValidAcc: accuracy × latencyMs@pixel3 s\.t\. latencyMs@pixel3<=10; front 44/);
});

test('suite verify: a suite whose numbers reproduce passes; a tampered hypervolume is reported, exit 1', async () => {
  const dir = tempDir();
  const full = JSON.parse(readFileSync(join(import.meta.dirname, '../../suites/hwnas-v1.json'), 'utf8')) as { id: string; problems: { id: string; frontHypervolume: number }[] };
  const one = { ...full, id: 'one', problems: full.problems.filter((p) => p.id === 'nb201-c10-fpga') };
  const good = join(dir, 'one.json');
  writeFileSync(good, JSON.stringify(one));
  const ok = await runCli(['suite', 'verify', '--suite', good]);
  assert.equal(ok.code, 0, ok.out + ok.err);
  assert.match(ok.out, /^ok {3}nb201-c10-fpga$/m);
  assert.match(ok.out, /one: all 1 problems reproduce exactly/);
  one.problems[0]!.frontHypervolume *= 1 + 1e-9;
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify(one));
  const r = await runCli(['suite', 'verify', '--suite', bad]);
  assert.equal(r.code, 1);
  assert.match(r.out, /DIFF nb201-c10-fpga\n {5}frontHypervolume: file [\d.]+, recomputed 0\.9806945180320457/);
});
