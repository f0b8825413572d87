import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Journal } from '../../src/record/journal.ts';
import { runCli, tempDir } from '../helpers/cli.ts';
import { spawnCli } from '../helpers/cli-process.ts';

const journalLines = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
const archsOf = (file: string) => journalLines(file).map((l) => (JSON.parse(l) as { arch: string }).arch);

test('resuming with a larger budget reuses every journaled evaluation, whatever the replay asks first', async () => {
  const out = join(tempDir(), 'r');
  const base = ['search', '--space', 'nb201', '--device', 'fpga', '--seed', '5', '--out', out];
  assert.equal((await runCli([...base, '--budget', '40'])).code, 0);
  const first = archsOf(join(out, 'journal-fpga.jsonl'));
  const more = await runCli([...base, '--budget', '120', '--resume']);
  assert.equal(more.code, 0, more.err);
  assert.match(more.out, /40 from the journal/);
  const all = archsOf(join(out, 'journal-fpga.jsonl'));
  assert.equal(all.length, 120, 'the journal holds 120 distinct evaluations');
  assert.equal(new Set(all).size, 120, 'none twice');
  assert.deepEqual(all.slice(0, 40), first, 'the first 40 were reused, not measured again');
  const rows = readFileSync(join(out, 'leaderboard-fpga.csv'), 'utf8').trim().split('\n');
  assert.equal(rows.length, 121);
});

test('resumed journal lines are validated: bad ones are reported by line number and left out', async () => {
  const out = join(tempDir(), 'v');
  const args = ['search', '--space', 'nb201', '--device', 'fpga', '--budget', '20', '--seed', '2', '--out', out];
  assert.equal((await runCli(args)).code, 0);
  const file = join(out, 'journal-fpga.jsonl');
  const lines = journalLines(file);
  const edit = (i: number, f: (e: { outcome: { metrics: Record<string, unknown> } }) => void) => {
    const e = JSON.parse(lines[i]!) as { outcome: { metrics: Record<string, unknown> } };
    f(e);
    lines[i] = JSON.stringify(e);
  };
  edit(2, (e) => { e.outcome.metrics.latencyMs = -7.5; });
  edit(5, (e) => { e.outcome.metrics.accuracy = null; });
  edit(9, (e) => { e.outcome.metrics.flops = 'abc'; });
  lines[12] = '{"n": 13, "arch": ';
  writeFileSync(file, `${lines.join('\n')}\n`);
  const r = await runCli([...args, '--resume']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /journal-fpga\.jsonl line 3 skipped: latencyMs is -7\.5, below its minimum 0/);
  assert.match(r.err, /line 6 skipped: accuracy is null, expected a finite number/);
  assert.match(r.err, /line 10 skipped: flops is "abc", expected a finite number/);
  assert.match(r.err, /line 13 skipped: not valid JSON/);
  assert.match(r.out, /16 from the journal/);
  // The four were evaluated again; no negative latency reaches the leaderboard.
  const csv = readFileSync(join(out, 'leaderboard-fpga.csv'), 'utf8').trim().split('\n');
  const col = csv[0]!.split(',').indexOf('latencyMs');
  assert.equal(csv.length, 21);
  for (const row of csv.slice(1)) assert.ok(Number(row.split(',')[col]) > 0, row);
});

test('a torn last line is cut, so the next record starts on a line of its own', () => {
  const file = join(tempDir(), 'journal.jsonl');
  const rec = (n: number, arch: string) => ({ n, arch, genotype: [n], outcome: { status: 'ok' as const, metrics: { latencyMs: n } }, evalMs: 1 });
  writeFileSync(file, `${JSON.stringify(rec(1, 'a'))}\n${JSON.stringify(rec(2, 'b')).slice(0, 17)}`);
  const j = new Journal(file);
  assert.deepEqual(j.problems.map((p) => p.line), [2]);
  j.append(rec(2, 'b'));
  j.close();
  const again = new Journal(file);
  assert.deepEqual(again.problems, []);
  assert.deepEqual(again.replayed.map((e) => e.arch), ['a', 'b']);
});

test('one run per output folder: a second search into a folder in use is refused; a dead owner\'s lock is taken over', { timeout: 120_000 }, async () => {
  const dir = tempDir();
  const out = join(dir, 'run');
  const device = join(dir, 'slow-cpu.json');
  // Slow timing, so that the first run is still measuring when the second starts.
  writeFileSync(device, JSON.stringify({ id: 'slowcpu', kind: 'measured', runtime: 'ort-cpu', threads: 1, timing: { warmupRuns: 1, warmupMs: 0, iterations: 5, minTimeMs: 400 } }));
  const args = ['search', '--space', 'nasbench-macro', '--device', device, '--budget', '30', '--seed', '1', '--out', out];
  // Two searches started into one folder at the same time: one wins the lock, the other is refused.
  const a = spawnCli(args);
  const b = spawnCli(args);
  const errs = new Map([[a, ''], [b, '']]);
  for (const c of [a, b]) c.stderr!.on('data', (d: Buffer) => errs.set(c, errs.get(c)! + d.toString()));
  const exited = new Map<typeof a, number | null>();
  for (const c of [a, b]) c.on('close', (code) => exited.set(c, code));
  for (let t = 0; t < 1200 && exited.size === 0; t++) await sleep(100);
  assert.equal(exited.size, 1, 'exactly one of the two stopped');
  const [loser, code] = [...exited][0]!;
  const first = loser === a ? b : a;
  assert.equal(code, 2, errs.get(loser));
  assert.match(errs.get(loser)!, /output folder is in use by another run \(pid \d+ on |already holds a search run/);
  assert.equal(errs.get(loser)!.trim().split('\n').length, 1, 'one line');
  const journal = join(out, 'journal-slowcpu.jsonl');
  for (let t = 0; t < 600 && !(existsSync(journal) && journalLines(journal).length >= 2); t++) await sleep(100);
  assert.ok(existsSync(journal), `the first run measures: ${errs.get(first)}`);
  const again = await runCli([...args, '--resume']);
  assert.equal(again.code, 2, 'a run in use is not resumed either');
  assert.match(again.err, new RegExp(`output folder is in use by another run \\(pid ${first.pid} on `));
  first.kill('SIGKILL');
  await new Promise((r) => first.on('close', r));
  const before = archsOf(journal);
  assert.ok(before.length >= 2 && before.length < 30);
  // The owner died: --resume takes the lock over and finishes the run from the journal.
  const resumed = await runCli([...args, '--budget', String(before.length + 1), '--resume']);
  assert.equal(resumed.code, 0, resumed.err);
  assert.match(resumed.out, new RegExp(`${before.length} from the journal`));
  const after = archsOf(journal);
  assert.equal(after.length, before.length + 1);
  assert.equal(new Set(after).size, after.length, 'no record twice');
  assert.equal(existsSync(join(out, '.lock')), false, 'the lock is released at the end');
  appendFileSync(journal, ''); // the journal is still a plain file
});
