import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'csv-stringify/sync';
import { parseCsv } from '../../src/report/read-csv.ts';
import { readJournal } from '../../src/report/read-journal.ts';
import { buildReport } from '../../src/report/build-report.ts';
import { renderReportHtml } from '../../src/report/report-html.ts';
import { runCli, tempDir } from '../helpers/cli.ts';

test('parseCsv reads back what csv-stringify writes (quotes, commas, newlines, empty cells)', () => {
  const rows = [['a,b', 'say "hi"', ''], ['line\nbreak', '|nor_conv_3x3~0|+|none~0|', '1e-7']];
  const t = parseCsv(stringify(rows, { header: true, columns: ['x', 'y', 'z'] }));
  assert.deepEqual(t.columns, ['x', 'y', 'z']);
  assert.deepEqual(t.rows, rows);
  assert.deepEqual(parseCsv('a,b\n1,\n2,x\n'), { columns: ['a', 'b'], rows: [['1', ''], ['2', 'x']] }, 'unquoted text');
});

test('a journal with a torn last line is read up to it; the report says so and is self-contained', async () => {
  const tmp = tempDir('hwnas-journal-');
  try {
    const out = join(tmp, 'run');
    const r = await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--budget', '15', '--out', out]);
    assert.equal(r.code, 0, r.err);
    const file = join(out, 'journal-fpga.jsonl');
    appendFileSync(file, '{"n":16,"arch":"|avg_pool_3x3~0|+|nor_co');
    const j = readJournal(file);
    assert.equal(j.records.length, 15);
    assert.equal(j.skippedLines, 1);
    assert.equal(readFileSync(file, 'utf8').endsWith('nor_co'), true, 'the journal is not changed');
    const model = buildReport([out]);
    assert.match(model.dirs[0]!.summary.join('\n'), /1 unreadable journal line/);
    assert.equal(model.dirs[0]!.trials.rows.length, 15);
    const html = renderReportHtml(model);
    assert.doesNotMatch(html, /<script[^>]+src=/i, 'no external script');
    assert.doesNotMatch(html, /https?:\/\/(?!www\.w3\.org)[a-z0-9.-]+\/[^"'\s]*\.js/i, 'no CDN');
    assert.match(html, /echarts/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('a joint multi-device search is reported per device: each device’s front placed on the other, latencyMs@<device> axes', async () => {
  const tmp = tempDir('hwnas-joint-');
  try {
    const out = join(tmp, 'joint');
    const r = await runCli(['search', '--space', 'nb201', '--device', 'pixel3', '--device', 'fpga', '--joint', '--budget', '25', '--out', out]);
    assert.equal(r.code, 0, r.err);
    const model = buildReport([out]);
    const dir = model.dirs[0]!;
    assert.equal(dir.trials.rows.length, 25);
    const cross = dir.sections.find((s) => s.id === 'cross-device')!;
    assert.equal(cross.charts.length, 1);
    assert.ok(cross.charts[0]!.points > 0);
    assert.deepEqual(cross.tables[0]!.rows.map((row) => [row[0], row[1]]), [['pixel3', 'fpga'], ['fpga', 'pixel3']]);
    const parallel = dir.sections.find((s) => s.id === 'parallel')!.charts[0]!;
    const axes = (parallel.option.parallelAxis as { name: string }[]).map((a) => a.name);
    assert.ok(axes.includes('latency on pixel3 (ms)') && axes.includes('latency on fpga (ms)'), axes.join(', '));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
