import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commands } from '../../src/cli/commands.ts';
import { parseFlags, type FlagSpec } from '../../src/cli/flags.ts';
import { searchFlags } from '../../src/cli/search.ts';
import { suiteRunFlags } from '../../src/cli/suite.ts';
import { workerFlags } from '../../src/cli/worker.ts';
import { cliArgv, ROOT } from '../helpers/cli-process.ts';
import { tempDir } from '../helpers/cli.ts';

/**
 * Every command line of the README's ```sh blocks, pasted into bash as a user would: each one must
 * get through the shell (a `<=` outside quotes is a redirection and nothing runs) and through the
 * real flag parser of its command; the cheap ones are run for real, unchanged, one after the other
 * in one folder (so `hwnas report results/x` reads what an earlier line wrote).
 */

/** Lines too long to run here: checked through bash and the flag parser only. */
const NOT_RUN: readonly { match: RegExp; reason: string }[] = [
  { match: /^npm ci && npx hwnas search$/, reason: 'installs the packages first; these tests run in an installed checkout' },
  { match: /^npm test$/, reason: 'the test suite itself' },
  { match: /--strategy dnas/, reason: 'measures 17 architectures, then trains a supernet for minutes' },
  { match: /--remeasure-front/, reason: 're-measures the front on this CPU with 3x the timed runs (minutes)' },
  { match: /--budget 1000 /, reason: '1,000 evaluations with the default strategy' },
  { match: /^npx hwnas suite run /, reason: '5 strategies x 10 seeds x 18 problems: hours' },
  { match: /redis:\/\/:PASSWORD@queue-host/, reason: 'a placeholder Redis host' },
];

/** Lines that serve until Ctrl-C: started, awaited until they print where they serve, stopped with SIGINT. */
const SERVES = [/^npx hwnas dashboard /];

/** Flags of the commands that only NOT_RUN lines use (the others are run, which parses their flags). */
const FLAGS: Readonly<Record<string, FlagSpec>> = { search: searchFlags, 'suite run': suiteRunFlags, worker: workerFlags };

/** Command lines of the ```sh blocks: continuations joined, comments and blank lines left out. */
function readmeLines(): string[] {
  const md = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const lines: string[] = [];
  for (const block of md.matchAll(/^```sh\n([\s\S]*?)^```/gm)) {
    const text = block[1]!.replace(/\\\n\s*/g, ' ');
    for (const l of text.split('\n')) if (l.trim() !== '' && !l.trim().startsWith('#')) lines.push(l.trim());
  }
  return lines;
}

function bash(line: string, cwd: string, prelude: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `${prelude}\n${line}`], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

const lines = readmeLines();

test('the README has command lines, and every one is run or named in NOT_RUN or SERVES', () => {
  assert.ok(lines.length >= 15, lines.join('\n'));
  assert.ok(lines.some((l) => l.includes("--constraint 'latencyMs<=5'")), 'the constrained example is there, quoted');
  for (const n of NOT_RUN) assert.ok(lines.some((l) => n.match.test(l)), `NOT_RUN entry ${n.match} matches no README line: remove it`);
});

test('every README command line gets through bash and the real flag parser of its command', async () => {
  const dir = tempDir('hwnas-readme-parse-');
  const calls = join(dir, 'calls');
  // npx and npm record their arguments (one record per call) instead of running.
  const prelude = `npx() { printf '%s\\0' "$@" >> ${JSON.stringify(calls)}; printf '\\1' >> ${JSON.stringify(calls)}; }\nnpm() { :; }`;
  for (const line of lines) {
    writeFileSync(calls, '');
    const r = await bash(line, dir, prelude);
    assert.equal(r.code, 0, `bash cannot run the README line as pasted:\n  ${line}\n${r.err}`);
    assert.equal(r.err, '', `bash complained about:\n  ${line}\n${r.err}`);
    const records = readFileSync(calls, 'utf8').split('\u0001').filter((x) => x !== '').map((x) => x.split('\u0000').slice(0, -1));
    if (line === 'npm test') continue;
    assert.ok(records.length > 0 && records.every((a) => a[0] === 'hwnas'), `${line}: runs npx hwnas`);
    for (const [, name, ...rest] of records) {
      const cmd = commands.find((c) => c.name === name);
      assert.ok(cmd, `${line}: unknown command ${name}`);
      const key = name === 'suite' ? `suite ${rest[0]}` : name!;
      const args = name === 'suite' ? rest.slice(1) : rest;
      const spec = FLAGS[key];
      if (NOT_RUN.some((n) => n.match.test(line))) assert.ok(spec, `${line}: add the flags of "${key}" to FLAGS`);
      if (spec) assert.doesNotThrow(() => parseFlags(args, spec), `${line}: flags`);
    }
  }
});

test('the cheap README command lines run as pasted', { timeout: 600_000 }, async () => {
  const dir = tempDir('hwnas-readme-run-');
  const [node, base] = cliArgv([]);
  const cli = join(dir, 'hwnas-cli');
  writeFileSync(cli, `#!/bin/sh\nexec ${[node, ...base].map((a) => JSON.stringify(a)).join(' ')} "$@"\n`);
  chmodSync(cli, 0o755);
  const prelude = `npx() { if [ "$1" = hwnas ]; then shift; exec ${JSON.stringify(cli)} "$@"; fi; echo "npx $1 is not hwnas" >&2; return 97; }`;
  let ran = 0;
  for (const line of lines) {
    if (NOT_RUN.some((n) => n.match.test(line))) continue;
    if (SERVES.some((re) => re.test(line))) {
      const child = spawn('bash', ['-c', `${prelude}\n${line}`], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const closed = new Promise<number | null>((r) => child.on('close', (c) => r(c)));
      await new Promise<void>((resolve, reject) => {
        const t = setInterval(() => {
          if (/http:\/\/127\.0\.0\.1:\d+/.test(out)) {
            clearInterval(t);
            resolve();
          } else if (child.exitCode !== null) {
            clearInterval(t);
            reject(new Error(`${line} exited ${child.exitCode}:\n${err}`));
          }
        }, 100);
      });
      child.kill('SIGINT');
      assert.equal(await closed, 0, `${line}\n${err}`);
      ran++;
      continue;
    }
    const r = await bash(line, dir, prelude);
    assert.equal(r.code, 0, `README line failed:\n  ${line}\n${r.err}`);
    assert.doesNotMatch(r.err, /internal error/, line);
    ran++;
  }
  assert.ok(ran >= 6, `${ran} lines run`);
  // What the run lines wrote, where the README says.
  assert.ok(existsSync(join(dir, 'results', 'nb201-two-devices', 'leaderboard-pixel3.csv')));
  assert.ok(existsSync(join(dir, 'results', 'nb201-two-devices', 'report.html')));
  assert.ok(existsSync(join(dir, 'results', 'truth', 'truth-nb201-fpga-latencyMs-le-5.csv')));
  assert.equal(readFileSync(join(dir, 'macro.csv'), 'utf8').trim().split('\n').length, 1 + 6561);
  assert.ok(existsSync(join(dir, 'onnx', '200.onnx')));
});

test('constraint examples in every --help are quoted (a bare latencyMs<=5 is a shell redirection)', () => {
  for (const c of commands) {
    for (const m of c.usage.matchAll(/(\S*)(<=|>=)(\S*)/g)) {
      const token = m[0];
      if (/^[A-Z_]+$/.test(m[1]!) || m[1] === '') continue; // METRIC<=VALUE placeholders, a lone operator
      assert.match(token, /^\(?'/, `hwnas ${c.name} --help shows ${token} unquoted`);
    }
  }
});
