import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { accuracySources } from '../../src/accuracy/accuracy-registry.ts';
import { InputError } from '../../src/errors.ts';
import { runAccuracyBench } from '../../src/run/accuracy-bench.ts';
import { loadSpace } from '../../src/space/space-registry.ts';
import { tempDir } from '../helpers/cli.ts';

let budget = 1;
let scored = 0;
accuracySources.register('test-budgeted', {
  id: 'test-budgeted', description: 'a source whose description names its budget',
  create: () => ({
    id: 'test-budgeted', metric: 's', metricNames: ['s'], description: `trained ${budget} epoch(s)`,
    metrics: async (_s, g) => (scored++, { s: g.reduce((a, v, i) => a + v * (i + 7), 0) * budget }),
  }),
});

test('accuracy-bench resumes a source measuring the same thing, and refuses one that now measures something else', async () => {
  const space = loadSpace('nasbench-macro');
  const out = join(tempDir(), 'bench');
  await runAccuracyBench({ space, signals: ['test-budgeted'], samples: 4, seed: 2, out, resamples: 10 });
  assert.equal(scored, 4);
  // More architectures, same source: only the new ones are scored.
  const more = await runAccuracyBench({ space, signals: ['test-budgeted'], samples: 6, seed: 2, out, resume: true, resamples: 10 });
  assert.equal(scored, 6);
  assert.equal(more.rows.find((r) => r.signal === 'test-budgeted')!.settings.description, 'trained 1 epoch(s)');
  // Another budget behind the same signal id: its old scores would be mixed in, so it is refused.
  budget = 3;
  await assert.rejects(
    runAccuracyBench({ space, signals: ['test-budgeted'], samples: 8, seed: 2, out, resume: true, resamples: 10 }),
    (e: unknown) => e instanceof InputError && e.path === '--out' && /was "trained 1 epoch\(s\)", now "trained 3 epoch\(s\)"/.test(e.message),
  );
  // Also when every score is journaled already: they would be reported under the new description.
  await assert.rejects(runAccuracyBench({ space, signals: ['test-budgeted'], samples: 6, seed: 2, out, resume: true, resamples: 10 }), InputError);
  assert.equal(scored, 6, 'nothing scored with the changed source');
});
