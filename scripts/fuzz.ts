/**
 * Long fuzz runs of the CLI contract (issue #13): `npm run fuzz -- --runs N --seed S [--only spaces,flags]`.
 * N cases in all, split over the properties of test/fuzz/cli-fuzz.ts in the proportions `npm test`
 * uses; two child processes at a time. Prints each failing property's shrunk counterexample; exit 1
 * when any property fails.
 */
import { parseArgs } from 'node:util';
import { properties, runProperty, type PropertyName } from '../test/fuzz/cli-fuzz.ts';

const { values } = parseArgs({ options: { runs: { type: 'string' }, seed: { type: 'string' }, only: { type: 'string' } }, strict: true });
const runs = Number(values.runs ?? 1000);
const seed = Number(values.seed ?? Date.now() % 2 ** 31);
const names = (values.only?.split(',') ?? Object.keys(properties)) as PropertyName[];
for (const n of names) if (!(n in properties)) throw new Error(`unknown property "${n}"; expected some of ${Object.keys(properties).join(', ')}`);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) throw new Error('--runs and --seed take integers');

const weight = names.reduce((s, n) => s + properties[n].runs, 0);
const started = Date.now();
let done = 0;
let failed = 0;
console.log(`fuzz: ${runs} cases, seed ${seed}, properties ${names.join(', ')}`);
for (const name of names) {
  const n = Math.max(1, Math.round((runs * properties[name].runs) / weight));
  const t = Date.now();
  const failure = await runProperty(name, n, seed, () => {
    done++;
    if (done % 50 === 0) console.log(`  ${done} cases, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  });
  if (failure) {
    failed++;
    console.log(`${name}: FAILED\n${failure}`);
  } else {
    console.log(`${name}: ${n} cases passed (${((Date.now() - t) / 1000).toFixed(0)} s)`);
  }
}
console.log(`fuzz: ${done} cases run, ${failed} propert${failed === 1 ? 'y' : 'ies'} failed, ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exitCode = failed > 0 ? 1 : 0;
