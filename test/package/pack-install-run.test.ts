import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/cli.ts';
import { ROOT } from '../helpers/cli-process.ts';

/**
 * The real package: `npm pack` → install the tarball into an empty project (offline, from the npm
 * cache `npm ci` filled; onnxruntime-node's download skipped as the README says) → the CLI with
 * `npx hwnas` and the library from a plain `.mjs`, no tsx anywhere.
 */
test('npm pack → install in an empty folder → npx hwnas search and a plain-Node import both work', { timeout: 600_000 }, () => {
  const dir = tempDir('hwnas-pack-');
  const env = { ...process.env, npm_config_onnxruntime_node_install: 'skip', npm_config_loglevel: 'error', npm_config_fund: 'false', npm_config_audit: 'false' };
  // Packed from a copy of the repository (its own dist/, the same node_modules): `npm pack` rebuilds
  // dist/ (prepare), which would pull the checkout's dist/ from under the tests running beside this one.
  const copy = join(dir, 'repo');
  for (const f of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', '.npmrc', 'src', 'spaces', 'devices', 'suites', 'data', 'examples', 'README.md', 'LICENSE']) cpSync(join(ROOT, f), join(copy, f), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: copy, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as { filename: string; files: { path: string }[] }[];
  const files = packed[0]!.files.map((f) => f.path);
  for (const must of ['dist/index.js', 'dist/index.d.ts', 'dist/cli/bin.js', 'spaces/nb201.json', 'devices/fpga.json', 'suites/hwnas-v1.json', 'suites/schema.json', 'data/README.md', 'README.md', 'LICENSE', 'package.json']) {
    assert.ok(files.includes(must), `the tarball holds ${must}`);
  }
  for (const f of files) assert.doesNotMatch(f, /^(test|bench|scripts|src)\//, `the tarball must not hold ${f}`);

  const project = join(dir, 'project');
  mkdirSync(project);
  const tarball = `file:../${packed[0]!.filename}`;
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-hwnas', version: '1.0.0', private: true, type: 'module', dependencies: { hwnas: tarball } }));
  // Tests reach only localhost: install offline from the npm cache that `npm ci` filled, pinned by a
  // lock made of ours (the versions a user would resolve today), minus our devDependencies.
  const ours = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, Record<string, unknown>> };
  const root = ours.packages['']!;
  const packages: Record<string, unknown> = {
    '': { name: 'uses-hwnas', version: '1.0.0', dependencies: { hwnas: tarball } },
    'node_modules/hwnas': { version: root.version, resolved: tarball, license: root.license, dependencies: root.dependencies, optionalDependencies: root.optionalDependencies, bin: root.bin, engines: root.engines },
  };
  for (const [k, v] of Object.entries(ours.packages)) if (k !== '' && !v.dev) packages[k] = v;
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify({ name: 'uses-hwnas', version: '1.0.0', lockfileVersion: 3, requires: true, packages }));
  execFileSync('npm', ['ci', '--offline'], { cwd: project, env, stdio: 'pipe' });
  assert.equal(existsSync(join(project, 'node_modules', 'tsx')), false, 'tsx is a devDependency only');

  const run = (args: string[]) => execFileSync('npx', ['--no-install', 'hwnas', ...args], { cwd: project, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const out = run(['search', '--space', 'nb201', '--device', 'fpga', '--budget', '12', '--seed', '1', '--out', 'r']);
  assert.match(out, /fpga: 12 evaluated, 0 failed/);
  const csv = readFileSync(join(project, 'r', 'leaderboard-fpga.csv'), 'utf8').split('\n');
  assert.match(csv[0]!, /^rank,arch,paretoRank,crowding,accuracy,latencyMs,paramCount,flops/);
  assert.equal(csv.filter((l) => l.trim() !== '').length, 13);
  // A benchmark suite run in child processes of the compiled package (no tsx there).
  assert.match(run(['suite', 'run', '--problems', 'nb201-c10-fpga', '--strategies', 'random,re', '--seeds', '2', '--budget', '20', '--jobs', '2', '--out', 's']), /Friedman/);
  assert.equal(readFileSync(join(project, 's', 'suite-results.csv'), 'utf8').split('\n')[0], 'problem,strategy,seed,evaluations,hvRatio,igdPlus');
  // The README's default (NAS-Bench-Macro measured on this CPU with onnxruntime-node), short.
  assert.match(run(['search', '--budget', '3', '--out', 'd']), /ort-cpu: 3 evaluated, 0 failed/);

  writeFileSync(join(project, 'use.mjs'), `
import { search, loadSpace, loadDevice, objective, countParams, getAccuracySource, Study } from 'hwnas';
const space = loadSpace('nasbench-macro');
const params = countParams(space.build(space.decode('00000000')));
const proxy = await getAccuracySource('proxy-train', space, { seed: 3, jobs: 1 });
const r = await search({ space: loadSpace('nb201'), devices: [loadDevice('pixel3')], objectives: [objective('accuracy'), objective('latencyMs')], budget: 8, seed: 2, out: 'lib-run' });
console.log(JSON.stringify({ params, proxy: proxy.id, evaluated: r.devices[0].evaluated, study: typeof Study.create }));
`);
  const lib = JSON.parse(execFileSync(process.execPath, ['use.mjs'], { cwd: project, env, encoding: 'utf8' })) as Record<string, unknown>;
  assert.deepEqual(lib, { params: 387_882, proxy: 'proxy-train', evaluated: 8, study: 'function' });
});
