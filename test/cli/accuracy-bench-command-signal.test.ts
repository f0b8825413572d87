import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCliProcess } from '../helpers/cli-process.ts';
import { tempDir } from '../helpers/cli.ts';

test('accuracy-bench scores a command: trainer as a signal, charging its processes\' CPU time', async () => {
  const dir = tempDir();
  // A trainer that spins 0.2 s of its own CPU time, then reports a made-up accuracy from the arch.
  const trainer = join(dir, 'trainer.mjs');
  writeFileSync(trainer, [
    'const s = process.cpuUsage();',
    'while (process.cpuUsage(s).user < 200000);',
    'const arch = process.env.HWNAS_ARCH;',
    'console.log(JSON.stringify({ accuracy: 50 + [...arch].reduce((t, d, i) => t + Number(d) * (i + 1), 0) / 4 }));',
  ].join('\n'));
  const signal = `command:node ${trainer}`;
  const r = await runCliProcess(['accuracy-bench', '--signals', `flops,${signal}`, '--samples', '4', '--resamples', '20', '--format', 'json', '--out', join(dir, 'bench')], { timeoutMs: 120_000 });
  assert.equal(r.code, 0, r.err);
  const rows = JSON.parse(r.out) as { signal: string; scored: number; failed: number; cpuSecondsPerArch: number; settings: Record<string, unknown> }[];
  const row = rows.find((x) => x.signal === signal)!;
  assert.ok(row, `a row for ${signal}: ${rows.map((x) => x.signal).join(', ')}`);
  assert.equal(row.scored, 4);
  assert.equal(row.failed, 0);
  assert.ok((row.settings.scoringCpuSecondsPerArch as number) >= 0.19, `the trainer's own CPU time is charged: ${String(row.settings.scoringCpuSecondsPerArch)} CPU-s per architecture`);
});
