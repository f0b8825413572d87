import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.ts';
import { spawnCli } from '../helpers/cli-process.ts';
import { eventually } from '../helpers/worker-process.ts';

/**
 * A trainer whose accuracy is a known function of the genotype and of the epochs it is given
 * (HWNAS_EPOCHS), so every promotion can be checked; it appends each call to a file. With
 * TRAINER_SLEEP_MS it takes that long, so that a run can be killed in the middle.
 */
const TRAINER = `
import { appendFileSync, readFileSync } from 'node:fs';
const a = JSON.parse(readFileSync(process.env.HWNAS_ARCH_JSON, 'utf8'));
const epochs = Number(process.env.HWNAS_EPOCHS);
appendFileSync(process.argv[2], a.arch + '\\t' + epochs + '\\n');
const accuracy = 10 + 2 * a.genotype.reduce((s, v) => s + v, 0) + 2 * Math.log2(epochs) * (a.genotype[5] + 1);
setTimeout(() => console.log(JSON.stringify({ accuracy, epochs })), Number(process.env.TRAINER_SLEEP_MS ?? 0));
`;
const accuracyOf = (g: readonly number[], epochs: number) => 10 + 2 * g.reduce((s, v) => s + v, 0) + 2 * Math.log2(epochs) * (g[5]! + 1);

interface Rec { n: number; arch: string; genotype: number[]; outcome: { status: string; metrics: Record<string, number> } }
const readLines = <T>(file: string): T[] => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as T);

/**
 * NSGA-II's order of a population, written out plainly for the test (Deb et al. 2002): fronts by
 * pairwise domination (maximise accuracy, minimise latency), crowding distance inside each front,
 * then objective values, then arch string. Returns the archs, best first.
 */
function nsgaOrder(pool: readonly { arch: string; acc: number; lat: number }[]): string[] {
  const pts = pool.map((p) => [-p.acc, p.lat]);
  const dominates = (a: number[], b: number[]) => a.every((v, i) => v <= b[i]!) && a.some((v, i) => v < b[i]!);
  const rank = new Array<number>(pool.length).fill(-1);
  for (let f = 0, left = pool.length; left > 0; f++) {
    const front = pool.map((_, i) => i).filter((i) => rank[i] === -1 && pool.every((_, j) => j === i || rank[j] !== -1 || !dominates(pts[j]!, pts[i]!)));
    for (const i of front) rank[i] = f;
    left -= front.length;
  }
  const crowd = new Array<number>(pool.length).fill(0);
  for (const f of new Set(rank)) {
    const members = pool.map((_, i) => i).filter((i) => rank[i] === f);
    if (members.length <= 2) {
      for (const i of members) crowd[i] = Infinity;
      continue;
    }
    for (let m = 0; m < 2; m++) {
      const s = [...members].sort((a, b) => pts[a]![m]! - pts[b]![m]! || members.indexOf(a) - members.indexOf(b));
      const span = pts[s.at(-1)!]![m]! - pts[s[0]!]![m]!;
      crowd[s[0]!] = crowd[s.at(-1)!] = Infinity;
      if (span === 0) continue;
      for (let k = 1; k < s.length - 1; k++) crowd[s[k]!]! += (pts[s[k + 1]!]![m]! - pts[s[k - 1]!]![m]!) / span;
    }
  }
  return pool.map((_, i) => i).sort((a, b) => rank[a]! - rank[b]! || crowd[b]! - crowd[a]! || pts[a]![0]! - pts[b]![0]! || pts[a]![1]! - pts[b]![1]! || (pool[a]!.arch < pool[b]!.arch ? -1 : 1)).map((i) => pool[i]!.arch);
}

function setup() {
  const dir = tempDir('hwnas-mf-');
  writeFileSync(join(dir, 'trainer.mjs'), TRAINER);
  return dir;
}

const search = (dir: string, out: string, calls: string, extra: string[] = []) => ['search', '--space', 'nb201', '--device', 'fpga', '--strategy', 'random', '--budget', '20', '--seed', '5',
  '--accuracy', `command:'${process.execPath}' '${join(dir, 'trainer.mjs')}' '${calls}'`, '--fidelity', 'sh', '--min-epochs', '1', '--max-epochs', '9', '--eta', '3', '--out', out, ...extra];

/** Leaderboard text without the columns that hold wall times. */
function withoutTimes(csv: string): string {
  const rows = csv.trim().split('\n').map((l) => l.split(','));
  const keep = rows[0]!.map((c, i) => (['trainMs', 'totalTrainMs'].includes(c) ? -1 : i)).filter((i) => i >= 0);
  return rows.map((r) => keep.map((i) => r[i]).join(',')).join('\n');
}

test('successive halving: the top 1/eta of each rung on (accuracy, latency) so far is trained eta times longer; records keep every rung', { timeout: 300_000 }, async () => {
  const dir = setup();
  const out = join(dir, 'run');
  const calls = join(dir, 'calls.txt');
  const r = await runCli(search(dir, out, calls));
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /rung 0 \(1 epoch\): 10 trained, 3 promoted to 3 epochs/);
  const journal = readLines<Rec>(join(out, 'journal-fpga.jsonl')).sort((a, b) => a.n - b.n);
  assert.equal(journal.length, 20);
  const rungs = [1, 3, 9];
  for (const e of journal) {
    const m = e.outcome.metrics;
    assert.ok(rungs.includes(m.fidelityEpochs!), `${e.arch}: fidelityEpochs ${m.fidelityEpochs}`);
    assert.equal(m.rung, rungs.indexOf(m.fidelityEpochs!));
    assert.equal(m.accuracy, accuracyOf(e.genotype, m.fidelityEpochs!), 'the record holds the highest rung');
    for (const ep of rungs) {
      const v = m[`accuracyAt${ep}Epochs`];
      if (ep <= m.fidelityEpochs!) assert.equal(v, accuracyOf(e.genotype, ep), `${e.arch} at ${ep} epochs`);
      else assert.equal(v, undefined);
    }
    assert.ok(m.latencyMs! > 0 && m.paramCount! > 0);
  }
  // Every promotion, replayed by hand: batches of 10 in evaluation order; at each rung the pool is
  // every record that reached it in this batch or before; the top ⌊pool/3⌋ go on.
  let promotions = 0;
  for (const [k, ep] of [[0, 1], [1, 3]] as const) {
    for (const batch of [1, 2]) {
      const pool = journal.filter((e) => e.n <= 10 * batch && e.outcome.metrics.fidelityEpochs! >= ep)
        .map((e) => ({ arch: e.arch, acc: e.outcome.metrics[`accuracyAt${ep}Epochs`]!, lat: e.outcome.metrics.latencyMs! }));
      const top = new Set(nsgaOrder(pool).slice(0, Math.floor(pool.length / 3)));
      for (const e of journal.filter((x) => x.n > 10 * (batch - 1) && x.n <= 10 * batch && x.outcome.metrics.fidelityEpochs! >= ep)) {
        assert.equal(e.outcome.metrics.fidelityEpochs! > ep, top.has(e.arch), `rung ${k}, batch ${batch}: ${e.arch}`);
        if (top.has(e.arch)) promotions++;
      }
    }
  }
  assert.ok(promotions >= 4, `${promotions} promotions`);
  // Each rung trained once, and journaled in rungs-fpga.jsonl.
  const trained = readFileSync(calls, 'utf8').trim().split('\n');
  assert.equal(new Set(trained).size, trained.length);
  assert.equal(trained.length, journal.reduce((s, e) => s + e.outcome.metrics.rung! + 1, 0));
  assert.equal(readLines(join(out, 'rungs-fpga.jsonl')).length, trained.length);
  assert.match(readFileSync(join(out, 'leaderboard-fpga.csv'), 'utf8').split('\n')[0]!, /accuracyAt1Epochs,accuracyAt3Epochs,accuracyAt9Epochs,.*fidelityEpochs.*rung/);

  // Killed with SIGKILL in the middle and resumed: no finished rung is trained again, and the
  // leaderboard is the uninterrupted one.
  const out2 = join(dir, 'killed');
  const calls2 = join(dir, 'calls-killed.txt');
  const child = spawnCli(search(dir, out2, calls2), { env: { TRAINER_SLEEP_MS: '150' } });
  child.stdout!.resume();
  child.stderr!.resume();
  const rungFile = join(out2, 'rungs-fpga.jsonl');
  await eventually(() => (existsSync(rungFile) && readLines(rungFile).length >= 12 ? true : undefined), 240_000, 'twelve rungs journaled');
  assert.equal(child.exitCode, null, 'the run was still going when killed');
  child.kill('SIGKILL');
  await new Promise((res) => child.once('exit', res));
  const finished = new Set(readLines<{ arch: string; epochs: number }>(rungFile).map((x) => `${x.arch}\t${x.epochs}`));
  const resumed = await runCli([...search(dir, out2, calls2), '--resume']);
  assert.equal(resumed.code, 0, resumed.err);
  const calls2Lines = readFileSync(calls2, 'utf8').trim().split('\n');
  for (const f of finished) assert.equal(calls2Lines.filter((l) => l === f).length, 1, `${f} trained again after the resume`);
  assert.equal(withoutTimes(readFileSync(join(out2, 'leaderboard-fpga.csv'), 'utf8')), withoutTimes(readFileSync(join(out, 'leaderboard-fpga.csv'), 'utf8')));
});

test('hyperband: candidates start in brackets at different rungs and promote within them', { timeout: 300_000 }, async () => {
  const dir = setup();
  const out = join(dir, 'run');
  const args = search(dir, out, join(dir, 'calls.txt'));
  args[args.indexOf('sh')] = 'hyperband';
  const r = await runCli(args);
  assert.equal(r.code, 0, r.err);
  const journal = readLines<Rec>(join(out, 'journal-fpga.jsonl'));
  const rungs = [1, 3, 9];
  const brackets = new Set<number>();
  for (const e of journal) {
    const m = e.outcome.metrics;
    const s = m.bracket!;
    brackets.add(s);
    const first = rungs[2 - s]!; // bracket s starts at rung s_max − s
    const reached = rungs.filter((ep) => m[`accuracyAt${ep}Epochs`] !== undefined);
    assert.equal(reached[0], first, `${e.arch} in bracket ${s} starts at ${first} epochs`);
    assert.deepEqual(reached, rungs.slice(2 - s, rungs.indexOf(m.fidelityEpochs!) + 1));
  }
  assert.ok(brackets.size >= 2, `brackets used: ${[...brackets].join(', ')}`);
});
