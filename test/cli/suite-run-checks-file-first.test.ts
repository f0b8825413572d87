import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.ts';
import { loadSuite, RELEASED_SUITES } from '../../src/run/suite/suite-file.ts';

interface Problem { id: string; bounds: number[][]; referencePoint: number[]; frontHypervolume: number; constraints?: { metric: string; op: string; value: number }[] }
interface SuiteJson { id: string; version: string; problems: Problem[] }
const RELEASED = JSON.parse(readFileSync(join(import.meta.dirname, '../../suites/hwnas-v1.json'), 'utf8')) as SuiteJson;

/** A copy of one problem of hwnas-v1, edited, written as a suite file. */
function suiteFile(problem: string, edit: (s: SuiteJson) => void, id = 'my-suite'): string {
  const s = structuredClone(RELEASED);
  s.id = id;
  s.problems = s.problems.filter((p) => p.id === problem);
  edit(s);
  const f = join(tempDir(), `${id}.json`);
  writeFileSync(f, JSON.stringify(s));
  return f;
}

async function refused(file: string, problem: string, message: RegExp): Promise<void> {
  const out = join(tempDir(), 'out');
  const r = await runCli(['suite', 'run', '--suite', file, '--problems', problem, '--strategies', 'random', '--seeds', '1', '--budget', '5', '--jobs', '1', '--out', out]);
  assert.equal(r.code, 2, r.out + r.err);
  assert.equal(r.err.trim().split('\n').length, 1, r.err);
  assert.match(r.err, message);
  assert.equal(existsSync(out), false, 'nothing written');
}

test('the released hash of hwnas-v1 is the one suite run trusts', () => {
  const s = loadSuite('hwnas-v1');
  assert.deepEqual(RELEASED_SUITES['hwnas-v1'], { version: s.version, contentHash: s.contentHash });
});

test('suite run refuses a file that contradicts its own exact front, before anything is written', { timeout: 300_000 }, async () => {
  const p = 'nb201-c10-fpga';
  // An absurd reference point: its hypervolume is Infinity.
  await refused(suiteFile(p, (s) => (s.problems[0]!.referencePoint = [1e308, 1e308])), p, /my-suite\.json at \/problems\/0\/referencePoint\/0: problem nb201-c10-fpga contradicts its own exact front: referencePoint 0 is 1e\+308; the suite contract's reference point is 1\.1/);
  // An edited frontHypervolume: under the released id it is an edited copy of a release...
  await refused(suiteFile(p, (s) => (s.problems[0]!.frontHypervolume = 0.5), 'hwnas-v1'), p, /hwnas-v1\.json at \/id: "hwnas-v1" is a released suite \(version 1\.0\.0\) and this file differs from it; an edited suite must carry its own id and version/);
  // ...and under an id of its own it does not match its front.
  await refused(suiteFile(p, (s) => (s.problems[0]!.frontHypervolume = 0.5)), p, /at \/problems\/0\/frontHypervolume: .*0\.5 is not the hypervolume of the file's own front points \(0\.98/);
  // Bounds that are not the front's.
  await refused(suiteFile(p, (s) => (s.problems[0]!.bounds[1]![1] = 1e6)), p, /at \/problems\/0\/bounds\/1: .*are not the front's worst and best values/);
  const c = 'nb201-c10-pixel3-le10ms';
  // A constraint that excludes points of the file's own front.
  await refused(suiteFile(c, (s) => (s.problems[0]!.constraints![0]!.value = 5)), c, /at \/problems\/0\/constraints\/0: .*latencyMs@pixel3<=5 excludes front point/);
  // A constraint every front point meets, but the exact front under it is another: found by solving the problem again.
  await refused(suiteFile(c, (s) => (s.problems[0]!.constraints![0]!.value = 20)), c, /at \/problems\/0: problem nb201-c10-pixel3-le10ms does not match its exact front recomputed from the tables: .*; expected a suite whose problems reproduce exactly/);
});

test('a faithful copy under its own id runs and is headed with its own id', { timeout: 300_000 }, async () => {
  const p = 'nb201-c10-fpga';
  const out = join(tempDir(), 'out');
  const r = await runCli(['suite', 'run', '--suite', suiteFile(p, () => {}), '--problems', p, '--strategies', 'random', '--seeds', '1', '--budget', '5', '--jobs', '1', '--out', out]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^my-suite 1\.0\.0: 1 problems/);
});

test('suite verify names an edited copy that keeps the released id, exit 1', { timeout: 300_000 }, async () => {
  const f = suiteFile('nb201-c10-fpga', () => {}, 'hwnas-v1');
  const r = await runCli(['suite', 'verify', '--suite', f]);
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.out, /^DIFF hwnas-v1 is a released suite id, and this file differs from the released file/);
  assert.match(r.out, /all 1 problems reproduce exactly, but the file is not the released one/);
});

test('runSuite() in the library: a suite object is checked like a file, and its content hash is computed again', async () => {
  const { runSuite } = await import('../../src/run/suite/suite-run.ts');
  const { InputError } = await import('../../src/errors.ts');
  const out = join(tempDir(), 'out');
  const released = loadSuite('hwnas-v1');
  // The released hash kept on an edited object does not make it the release.
  const forged = { ...released, problems: released.problems.map((p, i) => (i === 0 ? { ...p, frontHypervolume: 0.5 } : p)) };
  await assert.rejects(runSuite({ suite: forged, problems: [forged.problems[0]!.id], strategies: ['random'], seeds: 1, budget: 3, jobs: 1, out }), (e: unknown) => e instanceof InputError && /at \/id: "hwnas-v1" is a released suite/.test(e.message));
  await assert.rejects(runSuite({ suite: { id: 'x' } as never, out }), (e: unknown) => e instanceof InputError && /^options\.suite/.test(e.message));
  assert.equal(existsSync(out), false);
});
