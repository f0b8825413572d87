import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.ts';

// Fails every architecture whose first edge is `none` (exit 2, a message on stderr); trains the rest.
const TRAINER = `
import { readFileSync } from 'node:fs';
const a = JSON.parse(readFileSync(process.env.HWNAS_ARCH_JSON, 'utf8'));
if (a.choices[0].choice === 'none') { process.stderr.write('ValueError: this trainer refuses none on edge 0\\n'); process.exit(2); }
console.log(JSON.stringify({ accuracy: 40 + a.genotype.reduce((s, v) => s + v, 0), loss: 1.5 }));
`;

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as {
  arch: string; genotype: number[]; outcome: { status: string; error?: string; metrics?: Record<string, number> };
});

test('search --accuracy command: journals each candidate: metrics of a result, the reason of a failure', async () => {
  const dir = tempDir();
  const script = join(dir, 'trainer.mjs');
  writeFileSync(script, TRAINER);
  const out = join(dir, 'run');
  const r = await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--strategy', 'random', '--budget', '12', '--seed', '3',
    '--accuracy', `command:'${process.execPath}' '${script}'`, '--out', out]);
  assert.equal(r.code, 0, r.err);
  const journal = lines(join(out, 'journal-fpga.jsonl'));
  assert.equal(journal.length, 12);
  const failed = journal.filter((e) => e.outcome.status === 'failed');
  assert.ok(failed.length > 0 && failed.length < 12, `${failed.length} failed`);
  for (const e of journal) {
    if (e.genotype[0] === 0) {
      assert.equal(e.outcome.status, 'failed', e.arch);
      assert.match(e.outcome.error!, /^accuracy \(command:.*trainer\.mjs'\): exited with code 2; log .*trainer-logs\/.*\.log; stderr ends: ValueError: this trainer refuses none on edge 0$/);
    } else {
      assert.equal(e.outcome.status, 'ok', e.arch);
      assert.equal(e.outcome.metrics!.accuracy, 40 + e.genotype.reduce((s, v) => s + v, 0));
      assert.equal(e.outcome.metrics!.loss, 1.5);
      assert.ok(e.outcome.metrics!.trainMs! > 0);
      assert.ok(e.outcome.metrics!.latencyMs! > 0);
    }
  }
  const header = readFileSync(join(out, 'leaderboard-fpga.csv'), 'utf8').split('\n')[0]!.split(',');
  for (const c of ['accuracy', 'latencyMs', 'loss', 'trainMs']) assert.ok(header.includes(c), `leaderboard column ${c}`);
  assert.match(readFileSync(join(out, 'config.json'), 'utf8'), /"accuracyDescription": "your trainer, run once per candidate without a shell/);
});

test('search refuses a command: that a shell would be needed for, a program that is not there and fidelity flags that do not fit, writing nothing', async () => {
  const dir = tempDir();
  const cases: [string[], RegExp][] = [
    [['--accuracy', 'command:python3 train.py | tee log.txt'], /--accuracy.*run without a shell.*sh -c/],
    [['--accuracy', 'command:no-such-trainer-7f3a --epochs 3'], /program "no-such-trainer-7f3a" is not on PATH/],
    [['--accuracy', 'command:./missing/train.sh'], /program \.\/missing\/train\.sh does not exist or is not executable/],
    [['--min-epochs', '2'], /--min-epochs needs --fidelity/],
    [['--fidelity', 'sh'], /--fidelity.*multi-fidelity training needs an accuracy source that trains.*nb201 does not|table does not/],
    [['--fidelity', 'bohb', '--accuracy', 'proxy-train'], /--fidelity.*one of sh, hyperband/],
    [['--fidelity', 'sh', '--accuracy', 'proxy-train', '--max-epochs', '2'], /--max-epochs leaves no rung to promote to.*at least --min-epochs × --eta = 3/],
    [['--fidelity', 'sh', '--accuracy', 'proxy-train', '--objectives', 'latencyMs,paramCount'], /promotes on the objectives, which do not include accuracy/],
  ];
  for (const [flags, re] of cases) {
    const out = join(dir, `run-${cases.findIndex((c) => c[0] === flags)}`);
    const r = await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--budget', '4', '--out', out, ...flags]);
    assert.equal(r.code, 2, `${flags.join(' ')}: ${r.err}`);
    assert.match(r.err, re, flags.join(' '));
    assert.equal(existsSync(out), false, `${flags.join(' ')} wrote ${out}`);
  }
});
