import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../helpers/cli.ts';
import { launchChromium, openPage, plotMarks } from './chromium.ts';
import { hwnas } from './hwnas-process.ts';

interface Row { signal: string; spearman: number; spearmanCi: [number, number]; cpuSecondsPerArch: number | null }

test('hwnas report of an accuracy-bench folder: Spearman against CPU-seconds (log x), ceiling and FLOPs marked, drawn in Chromium', async () => {
  const out = join(tempDir(), 'bench');
  const bench = await hwnas(['accuracy-bench', '--signals', 'flops,params', '--samples', '30', '--resamples', '200', '--out', out]);
  assert.equal(bench.code, 0, bench.err);
  const rows = (JSON.parse(readFileSync(join(out, 'accuracy-bench.json'), 'utf8')) as { rows: Row[] }).rows;
  const rep = await hwnas(['report', out]);
  assert.equal(rep.code, 0, rep.err);
  const html = join(out, 'report.html');

  const browser = await launchChromium();
  try {
    const { page, errors } = await openPage(browser, `file://${html}`);
    const sections = await page.$$eval('.dir[id="d1"] section[data-section]', (s) => s.map((x) => x.getAttribute('data-section')));
    assert.deepEqual(sections, ['fidelity', 'signals', 'settings']);
    const marks = await plotMarks(page);
    assert.equal(marks.length, 1);
    const m = marks[0]!;
    assert.equal(m.id, 'fidelity-cost');
    assert.equal(m.points, 2, 'one point per signal');
    assert.ok(m.marks - m.series >= m.points, `${m.marks} marks (${m.series} series) for ${m.points} points`);
    const opt = await page.evaluate(() => {
      const w = window as unknown as { hwnas: { charts: Map<string, { chart: { getOption(): Record<string, unknown> } }> } };
      return JSON.parse(JSON.stringify(w.hwnas.charts.get('d1--fidelity-cost')!.chart.getOption())) as {
        xAxis: { type: string; name: string }[]; yAxis: { name: string }[];
        series: { name: string; type: string; data: number[][]; markLine?: { data: { yAxis: number }[] } }[];
      };
    });
    assert.equal(opt.xAxis[0]!.type, 'log');
    assert.match(opt.xAxis[0]!.name, /CPU-seconds per architecture/);
    assert.match(opt.yAxis[0]!.name, /Spearman/);
    // Each signal's point sits at (CPU-s/arch, rho), its bar spans the interval.
    for (const r of rows.filter((x) => x.signal !== 'ceiling')) {
      const point = opt.series.find((s) => s.name === r.signal && s.type === 'scatter')!;
      assert.ok(Math.abs(point.data[0]![0]! - r.cpuSecondsPerArch!) / r.cpuSecondsPerArch! < 1e-5);
      assert.ok(Math.abs(point.data[0]![1]! - r.spearman) < 1e-5);
      const bar = opt.series.find((s) => s.name === r.signal && s.type === 'line')!;
      assert.deepEqual(bar.data.map((p) => p[1]!.toFixed(4)), r.spearmanCi.map((v) => v.toFixed(4)));
    }
    const lines = opt.series.flatMap((s) => s.markLine?.data ?? []).map((d) => d.yAxis);
    const ceiling = rows.find((r) => r.signal === 'ceiling')!.spearman;
    const flops = rows.find((r) => r.signal === 'flops')!.spearman;
    assert.ok(lines.some((y) => Math.abs(y - ceiling) < 1e-5), `ceiling ${ceiling} marked: ${JSON.stringify(lines)}`);
    assert.ok(lines.some((y) => Math.abs(y - flops) < 1e-5), `FLOPs ${flops} marked`);
    // The ceiling line is drawn: an SVG path in its colour spans the plot.
    const dashed = await page.$$eval('#chart-d1--fidelity-cost svg path[stroke="#111111"][stroke-dasharray]', (p) => p.length);
    assert.ok(dashed >= 1, 'a dashed ceiling line');
    const trials = await page.$eval('#trials-d1 .count', (e) => e.textContent ?? '');
    assert.match(trials, /of 60 rows/, 'every journaled score in the trials table');
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await browser.close();
  }

  // An unfinished bench (no rows yet) is refused, naming what is missing.
  const unfinished = join(tempDir(), 'unfinished');
  cpSync(out, unfinished, { recursive: true });
  rmSync(join(unfinished, 'accuracy-bench.json'));
  const r = await runCli(['report', unfinished]);
  assert.equal(r.code, 2);
  assert.match(r.err, /accuracy-bench\.json/);
});
