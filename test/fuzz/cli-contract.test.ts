import assert from 'node:assert/strict';
import { test } from 'node:test';
import { properties, runProperty, type PropertyName } from './cli-fuzz.ts';

/**
 * The CLI contract under generated input (issue #13): space files, device files, flag sets and
 * journals, valid, slightly and wildly broken, each run in a child process with a time limit (see
 * cli-fuzz.ts for the contract). A fixed seed and a few hundred cases here; `npm run fuzz -- --runs N
 * --seed S` for long runs. A failure prints the shrunk counterexample.
 */
const SEED = 13;

/** Properties whose failures belong to work not landed yet: run and reported, not failing the suite. */
const TODO: Partial<Record<PropertyName, string>> = {};

for (const name of Object.keys(properties) as PropertyName[]) {
  const runs = properties[name].runs;
  test(`fuzz ${name}: ${runs} generated cases keep the CLI contract`, { ...(TODO[name] && { todo: TODO[name] }) }, async () => {
    const failure = await runProperty(name, runs, SEED);
    assert.equal(failure, null, failure ?? '');
  });
}
