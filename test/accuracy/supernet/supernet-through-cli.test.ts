import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cliArgv } from '../../helpers/cli-process.ts';
import { tinyCifarDir } from '../../helpers/tiny-cifar.ts';

const run = async (args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> => {
  const [cmd, argv] = cliArgv(args);
  try {
    const r = await promisify(execFile)(cmd, argv, { env: { ...process.env, ...env }, maxBuffer: 1 << 24 });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
};

test('accuracy-bench --signals supernet trains once in its set-up, charges the whole training and reuses the cached supernet in eval', async () => {
  const data = tinyCifarDir(64, 32);
  const dir = mkdtempSync(join(tmpdir(), 'hwnas-sn-cli-'));
  const env = { HWNAS_SUPERNET_CACHE: join(dir, 'cache') };
  const budget = ['--data', data, '--train-epochs', '1', '--train-images', '64', '--test-images', '32', '--train-batch', '32'];
  const bench = await run(['accuracy-bench', '--space', 'nasbench-macro', '--signals', 'supernet', '--samples', '4', '--seed', '0', '--out', join(dir, 'bench'), '--format', 'json', ...budget], env);
  assert.equal(bench.code, 0, bench.err);
  assert.match(bench.err, /supernet nasbench-macro: training starts/);
  assert.match(bench.err, /supernet nasbench-macro: trained/);
  // The set-up is journaled with the supernet's own training cost; the per-architecture charge includes it.
  const lines = readFileSync(join(dir, 'bench', 'scores.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const setup = lines.find((l) => l.setup === true && l.signal === 'supernet')!;
  assert.ok(typeof setup.reportedCpuSeconds === 'number' && setup.reportedCpuSeconds > 0, JSON.stringify(setup));
  assert.match(String(setup.description), /one-shot supernet \(SPOS\).*1 epoch\(s\) on 64 training images/);
  const scores = lines.filter((l) => l.signal === 'supernet' && 'score' in l);
  assert.equal(scores.length, 4);
  for (const s of scores) assert.ok(typeof s.score === 'number' && s.score < 0, 'a mean log-likelihood is negative');
  const rows = JSON.parse(bench.out) as { signal: string; cpuSecondsPerArch: number }[];
  const row = rows.find((r) => r.signal === 'supernet')!;
  assert.ok(row.cpuSecondsPerArch >= (setup.reportedCpuSeconds as number) / 4, JSON.stringify(row));
  const keys = readdirSync(env.HWNAS_SUPERNET_CACHE);
  assert.equal(keys.length, 1);
  assert.ok(existsSync(join(env.HWNAS_SUPERNET_CACHE, keys[0]!, 'supernet.bin')));
  // The same settings through another command load the cached supernet: nothing is trained again.
  const ev = await run(['eval', '--space', 'nasbench-macro', '--random', '2', '--seed', '0', '--metrics', 'accuracy', '--accuracy', 'supernet', ...budget], env);
  assert.equal(ev.code, 0, ev.err);
  assert.doesNotMatch(ev.err, /training starts/);
  assert.match(ev.out, /logLikelihood/);
  assert.deepEqual(readdirSync(env.HWNAS_SUPERNET_CACHE), keys);
});
