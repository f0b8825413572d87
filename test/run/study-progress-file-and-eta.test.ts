import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JournalEntry } from '../../src/record/journal.ts';
import { search } from '../../src/run/search.ts';
import { etaSeconds, progressFileWriter, StudyProgressTracker, type ProgressFile } from '../../src/run/study-progress.ts';
import type { StudyEvent } from '../../src/run/study.ts';
import { buildReport } from '../../src/report/build-report.ts';

const rec = (arch: string, evalMs: number): JournalEntry => ({ n: 1, arch, genotype: [0], evalMs, outcome: { status: 'ok', metrics: { accuracy: 50 } } });
const step = (arch: string, s: number, trainMs: number): StudyEvent => ({ type: 'training', target: 'dev', progress: { arch, epoch: 1, epochs: 1, step: s, steps: 10, loss: 2, trainMs } });

test('progress counts each candidate as it is journaled, follows training steps, and estimates time left from measured cost', () => {
  let now = 0;
  const tracker = new StudyProgressTracker(() => now);
  tracker.on({ type: 'target-start', target: 'dev', total: 6, journaled: 0 });
  const t = tracker.targets.get('dev')!;
  assert.ok(Number.isNaN(tracker.eta(t)), 'nothing measured yet');
  // Two candidates train at once; after 2 of 10 steps in 20 s, each takes about 100 s.
  now = 20_000;
  tracker.on(step('a', 2, 20_000));
  tracker.on(step('b', 2, 20_000));
  assert.equal(t.parallel, 2);
  // 80 s left for a and b, then 4 more at 100 s each over 2 slots: 280 s.
  assert.ok(Math.abs(tracker.eta(t) - 280) < 1e-6, String(tracker.eta(t)));
  // a finishes (journaled before its batch ends): done counts it at once; the estimate now uses its measured cost.
  now = 100_000;
  tracker.on(step('a', 10, 100_000));
  tracker.on({ type: 'evaluated', target: 'dev', record: rec('a', 110_000), done: 1, total: 6 });
  tracker.on(step('b', 9, 90_000));
  assert.equal(t.done, 1);
  assert.deepEqual([...t.training.keys()], ['b']);
  // b: 10 s left; 4 others at 110 s over 2 slots: 230 s.
  assert.ok(Math.abs(tracker.eta(t) - 230) < 1e-6, String(tracker.eta(t)));
  // The batch's records come later and do not count twice.
  tracker.on({ type: 'record', target: 'dev', record: rec('a', 110_000), done: 1, total: 6, failed: 0, fromJournal: false });
  assert.equal(t.done, 1);
  // A slow first step (warm-up) is not taken as the pace of the others.
  now = 130_000;
  tracker.on(step('c', 1, 30_000));
  tracker.on(step('c', 3, 50_000));
  // c: a 30 s first step, then 10 s a step (not 50/3): 30 + 9 × 10 = 120 s in all, 70 s left (b: 10 s);
  // then 3 others at 110 s over 2 slots.
  assert.ok(Math.abs(tracker.eta(t) - (70 + 165)) < 1e-6, String(tracker.eta(t)));
  // One at a time (no training progress): wall time per finished candidate.
  assert.equal(etaSeconds({ total: 10, startMs: 0, done: 4, fresh: 2, freshMs: 1, training: new Map(), parallel: 0 }, 30_000), 90);
});

test('progress.json follows a search and the report of a running search says where it stands', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'hwnas-progress-')), 'run');
  const events: StudyEvent[] = [];
  await search({ space: 'nb201', devices: ['fpga'], strategy: 'random', budget: 5, out: dir, onEvent: (e) => events.push(e) });
  // Each candidate was announced as it was journaled, with a growing count.
  assert.deepEqual(events.filter((e) => e.type === 'evaluated').map((e) => (e as { done: number }).done), [1, 2, 3, 4, 5]);
  const done = JSON.parse(readFileSync(join(dir, 'progress.json'), 'utf8')) as ProgressFile;
  assert.deepEqual(done.targets.map((t) => [t.target, t.done, t.total, t.finished]), [['fpga', 5, 5, true]]);

  // A run still training: its progress file as the writer leaves it, read by the report.
  const write = progressFileWriter(dir, 0);
  write({ type: 'target-start', target: 'fpga', total: 9, journaled: 0 });
  write({ type: 'training', target: 'fpga', progress: { arch: '|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|', epoch: 2, epochs: 3, step: 4, steps: 32, loss: 1.5, trainMs: 5000 } });
  const running = JSON.parse(readFileSync(join(dir, 'progress.json'), 'utf8')) as ProgressFile;
  assert.equal(running.targets[0]!.training[0]!.epoch, 2);
  assert.ok(running.targets[0]!.etaS! > 0);
  const report = buildReport([dir], { truths: [] });
  assert.match(report.dirs[0]!.summary.join('\n'), /fpga: not finished — 0 of 9 done, about .* left; training \|nor_conv_3x3~0\|.* epoch 2\/3 step 4\/32/);
  writeFileSync(join(dir, 'progress.json'), '{torn');
  assert.doesNotMatch(buildReport([dir], { truths: [] }).dirs[0]!.summary.join('\n'), /not finished/);
});
