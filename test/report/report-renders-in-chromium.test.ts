import assert from 'node:assert/strict';
import { appendFileSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { tempDir } from '../helpers/cli.ts';
import { launchChromium, openPage, plotMarks } from './chromium.ts';
import { hwnas } from './hwnas-process.ts';

const TINY = fileURLToPath(new URL('../latency/fixtures/tiny-chain.json', import.meta.url));

async function run(args: string[]): Promise<string> {
  const r = await hwnas(args);
  assert.equal(r.code, 0, `hwnas ${args.join(' ')}\n${r.err}`);
  return r.out;
}

/** Trials table rows shown, and the total the count line gives ("1–100 of 240 rows"). */
async function tableState(page: Page, dir = 'd1'): Promise<{ shown: string[][]; total: number }> {
  return page.evaluate((d) => {
    const host = document.getElementById(`trials-${d}`)!;
    const shown = [...host.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''));
    const total = Number(/of (\d+) rows/.exec(host.querySelector('.count')!.textContent ?? '')?.[1] ?? NaN);
    return { shown, total };
  }, dir);
}

async function columnIndex(page: Page, key: string, dir = 'd1'): Promise<number> {
  return page.evaluate(([d, k]) => [...document.querySelectorAll(`#trials-${d} thead th`)].findIndex((th) => th.textContent === k), [dir, key] as const);
}

/**
 * The checks of issue #11 on one report page: no console errors, every section, every plot drew at
 * least as many data marks as it shows points, sorting and filtering change the table's rows,
 * brushing the parallel coordinates filters the table, and a screenshot.
 */
async function checkReport(browser: Browser, html: string, shot: string, opts: { sortKey: string; sections: string[] }): Promise<Page> {
  const { page, errors } = await openPage(browser, `file://${html}`);
  // Sections with something to show, and only those.
  const sections = await page.$$eval('.dir[id="d1"] section[data-section]', (s) => s.map((x) => x.getAttribute('data-section')));
  assert.deepEqual(sections, opts.sections);
  const marks = await plotMarks(page);
  assert.ok(marks.length >= 2, `plots: ${JSON.stringify(marks)}`);
  for (const m of marks) {
    assert.equal(m.renderer, 'svg', m.id);
    assert.ok(m.points > 0, `${m.id} shows no point`);
    assert.ok(m.marks - m.series >= m.points, `${m.id}: ${m.marks} marks (${m.series} series) for ${m.points} points`);
  }

  // Sorting: the sort column's header toggles ascending, then descending.
  const before = await tableState(page);
  assert.ok(before.total > 1 && before.shown.length > 1);
  const col = await columnIndex(page, opts.sortKey);
  assert.ok(col >= 0, `no column ${opts.sortKey}`);
  await page.click(`#trials-d1 thead th:nth-child(${col + 1})`);
  const asc = (await tableState(page)).shown.map((r) => Number(r[col]));
  await page.click(`#trials-d1 thead th:nth-child(${col + 1})`);
  const desc = (await tableState(page)).shown.map((r) => Number(r[col]));
  assert.deepEqual(asc, [...asc].sort((a, b) => a - b), 'ascending after one click');
  assert.deepEqual(desc, [...desc].sort((a, b) => b - a), 'descending after two clicks');
  assert.notDeepEqual(asc, desc);

  // Filtering: `arch=<arch>` narrows the table to that architecture's rows; clearing restores it.
  const archCol = await columnIndex(page, 'arch');
  const arch = desc.length ? (await tableState(page)).shown[0]![archCol]! : '';
  await page.fill('#trials-d1 input[type=search]', `arch=${arch}`);
  const filtered = await tableState(page);
  assert.ok(filtered.total >= 1 && filtered.total < before.total, `filter ${arch}: ${filtered.total} of ${before.total}`);
  assert.ok(filtered.shown.every((r) => r[archCol] === arch));
  await page.fill('#trials-d1 input[type=search]', '');
  assert.equal((await tableState(page)).total, before.total);

  // Brushing the first parallel axis (upper half of its values) filters the table to those archs.
  const brushed = await page.evaluate(() => {
    const w = window as unknown as { hwnas: { archName(d: string, v: string | number): string; charts: Map<string, { chart: { getOption(): { series: { data: { value: number[] }[] }[] }; dispatchAction(a: object): void }; spec: { archs: (string | number)[] } }> } };
    const entry = w.hwnas.charts.get('d1--parallel')!;
    const values = entry.chart.getOption().series[0]!.data.map((d) => d.value[0]!);
    const sorted = [...values].sort((a, b) => a - b);
    const lo = sorted[Math.floor(sorted.length / 2)]!;
    const hi = sorted[sorted.length - 1]!;
    entry.chart.dispatchAction({ type: 'axisAreaSelect', parallelAxisId: 'axis-0', intervals: [[lo, hi]] });
    return [...new Set(entry.spec.archs.filter((_, i) => values[i]! >= lo && values[i]! <= hi).map((v) => w.hwnas.archName('d1', v)))];
  });
  const afterBrush = await tableState(page);
  assert.ok(brushed.length > 0 && afterBrush.total < before.total, `brushed ${brushed.length} archs: ${afterBrush.total} of ${before.total} rows`);
  const brushedSet = new Set(brushed);
  assert.ok(afterBrush.shown.every((r) => brushedSet.has(r[archCol]!)), 'every row shown is a brushed arch');

  // CSV export gives the rows shown (here: the brushed ones) under the table's columns.
  const csv = await page.evaluate(() => (window as unknown as { hwnas: { exportCsv(d: string): string } }).hwnas.exportCsv('d1'));
  const lines = csv.trim().split('\n');
  assert.equal(lines.length, 1 + afterBrush.total);
  assert.match(lines[0]!, /(^|,)arch(,|$)/);

  await page.screenshot({ path: shot });
  assert.ok(readFileSync(shot).length > 10_000, 'screenshot written');
  assert.deepEqual(errors, [], 'no console errors');
  return page;
}

test('hwnas report: a search, a 3-device search, a compare of four strategies and a profile render in Chromium', async (t) => {
  const tmp = tempDir('hwnas-report-');
  const browser = await launchChromium();
  try {
    const d = {
      search: join(tmp, 'search'), three: join(tmp, 'three'), compare: join(tmp, 'compare'), profile: join(tmp, 'profile'),
    };
    await run(['search', '--budget', '12', '--out', d.search]);
    await run(['search', '--space', 'nb201', '--device', 'pixel3', '--device', 'fpga', '--device', '1080ti_1', '--budget', '60', '--constraint', 'latencyMs<=5', '--out', d.three]);
    await run(['compare', '--space', 'nb201', '--device', 'fpga', '--strategies', 'random,nsga2,re,local', '--seeds', '2', '--budget', '60', '--checkpoints', '30', '--out', d.compare]);
    await run(['profile', '--device', 'ort-cpu-1t', '--space', TINY, '--samples', '4', '--rounds', '1', '--out', join(d.profile, 'lut.json'), '--report-dir', d.profile]);
    // A crash tears the last journal line: the report still renders and says so.
    appendFileSync(join(d.three, 'journal-fpga.jsonl'), '{"n":61,"arch":"|nor_conv_3x3~0|+|no');

    await t.test('default search (measured on this CPU)', async () => {
      const out = await run(['report', d.search]);
      assert.equal(out.trim(), join(d.search, 'report.html'));
      const page = await checkReport(browser, join(d.search, 'report.html'), join(tmp, 'search.png'), { sortKey: 'latencyMs', sections: ['fronts', 'quality', 'parallel', 'latency', 'settings'] });
      const spread = await page.$$eval('.chart[data-chart-id="spread"]', (e) => e.length);
      assert.equal(spread, 1, 'a measured device shows the latency spread');
      const protocol = await page.$eval('#d1-settings', (s) => s.textContent ?? '');
      assert.match(protocol, /onnxruntime-node/);
      assert.match(protocol, /median over interleaved rounds/);
      // The timing warning at the top of the page says what the run's config.json says.
      const quality = (JSON.parse(readFileSync(join(d.search, 'config.json'), 'utf8')) as { timingQuality: { missedTolerance: number; drifted: number; measured: number }[] }).timingQuality;
      assert.equal(quality.length, 1);
      const banner = await page.$$eval('main > .timing-warning', (e) => e.map((x) => x.textContent ?? ''));
      const q = quality[0]!;
      assert.equal(banner.length, q.missedTolerance + q.drifted > 0 ? 1 : 0, JSON.stringify(q));
      if (q.missedTolerance > 0) assert.match(banner[0]!, new RegExp(`${q.missedTolerance} of ${q.measured} measured rows missed the ±2% tolerance`));
      await page.close();
    });

    await t.test('3-device nb201 search with a constraint and a torn journal line', async () => {
      const html = join(tmp, 'three.html');
      await run(['report', d.three, '--out', html]);
      const page = await checkReport(browser, html, join(tmp, 'three.png'), { sortKey: 'accuracy', sections: ['fronts', 'quality', 'parallel', 'cross-device', 'settings'] });
      assert.match(await page.$eval('.dir ul.summary', (e) => e.textContent ?? ''), /fpga: 60 evaluated of 60, 0 failed, front of \d+, 1 unreadable journal line/);
      const ids = await page.$$eval('.chart', (c) => c.map((x) => x.getAttribute('data-chart-id')));
      for (const id of ['front-pixel3', 'front-fpga', 'front-1080ti_1', 'hv', 'igd', 'parallel', 'cross-device']) assert.ok(ids.includes(id), `${id} in ${ids.join(', ')}`);
      const legend = await page.evaluate(() => (window as unknown as { hwnas: { charts: Map<string, { chart: { getOption(): { series: { name: string }[] } } }> } }).hwnas.charts.get('d1--front-fpga')!.chart.getOption().series.map((s) => s.name));
      assert.ok(legend.some((n) => /^exact front \(\d+\)$/.test(n)), `exact front drawn: ${legend.join(', ')}`);
      assert.ok(legend.some((n) => /^infeasible \(\d+\)$/.test(n)), `infeasible marked: ${legend.join(', ')}`);
      const quality = await page.$eval('#d1-quality', (s) => s.textContent ?? '');
      assert.match(quality, /Reference point \(1\.1, 1\.1\)/);
      assert.match(quality, /Normalised against the exact front/);
      const cross = await page.$eval('#d1-cross-device', (s) => s.textContent ?? '');
      assert.match(cross, /pixel3fpga/);
      await page.close();
    });

    await t.test('compare of four strategies', async () => {
      const html = join(tmp, 'compare.html');
      await run(['report', d.compare, '--out', html]);
      const page = await checkReport(browser, html, join(tmp, 'compare.png'), { sortKey: 'accuracy', sections: ['fronts', 'quality', 'parallel', 'settings'] });
      const names = await page.evaluate(() => (window as unknown as { hwnas: { charts: Map<string, { chart: { getOption(): { series: { name: string }[] } } }> } }).hwnas.charts.get('d1--hv')!.chart.getOption().series.map((s) => s.name));
      for (const s of ['random', 'nsga2', 're', 'local']) {
        assert.ok(names.includes(s), `median of ${s}`);
        assert.ok(names.filter((n) => n === s).length >= 3, `median, IQR band and runs of ${s} under one legend entry`);
      }
      assert.match(await page.$eval('#d1-quality', (s) => s.textContent ?? ''), /Reference point \(1\.1, 1\.1\)/);
      await page.close();
    });

    await t.test('profile', async () => {
      const html = join(tmp, 'profile.html');
      await run(['report', d.profile, '--out', html]);
      const page = await checkReport(browser, html, join(tmp, 'profile.png'), { sortKey: 'measuredMs', sections: ['fronts', 'parallel', 'latency', 'settings'] });
      assert.match(await page.$eval('#d1-latency', (s) => s.textContent ?? ''), /Spearman ρ/);
      await page.close();
    });

    await t.test('records with worker data draw a timeline; unknown metrics become columns and axes', async () => {
      const dist = join(tmp, 'distributed');
      cpSync(d.three, dist, { recursive: true });
      const t0 = Date.parse('2026-01-01T00:00:00Z');
      for (const dev of ['pixel3', 'fpga', '1080ti_1']) {
        const file = join(dist, `journal-${dev}.jsonl`);
        const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('{') && l.endsWith('}'));
        writeFileSync(file, `${lines.map((l, k) => {
          const e = JSON.parse(l);
          e.worker = `host-${k % 3}/${4000 + (k % 3)}`;
          e.startedAt = new Date(t0 + k * 400).toISOString();
          e.finishedAt = new Date(t0 + k * 400 + 900).toISOString();
          if (e.outcome.status === 'ok') e.outcome.metrics['latencyMs@jetson'] = e.outcome.metrics.latencyMs * 3;
          return JSON.stringify(e);
        }).join('\n')}\n`);
      }
      const html = join(tmp, 'distributed.html');
      await run(['report', dist, '--out', html]);
      const { page, errors } = await openPage(browser, `file://${html}`);
      const marks = await plotMarks(page);
      const timeline = marks.find((m) => m.id === 'timeline');
      assert.ok(timeline, 'timeline drawn');
      assert.equal(timeline.points, 180);
      assert.ok(timeline.marks - timeline.series >= timeline.points, JSON.stringify(timeline));
      const axes = await page.evaluate(() => (window as unknown as { hwnas: { charts: Map<string, { chart: { getOption(): { parallelAxis: { name: string }[] } } }> } }).hwnas.charts.get('d1--parallel')!.chart.getOption().parallelAxis.map((a) => a.name));
      assert.ok(axes.includes('latency on jetson (ms)'), axes.join(', '));
      const heads = await page.$$eval('#trials-d1 thead th', (th) => th.map((x) => x.textContent));
      for (const h of ['worker', 'startedAt', 'finishedAt', 'latencyMs@jetson']) assert.ok(heads.includes(h), `column ${h}`);
      await page.screenshot({ path: join(tmp, 'distributed.png') });
      assert.deepEqual(errors, []);
      await page.close();
    });

    await t.test('several directories side by side', async () => {
      const html = join(tmp, 'both.html');
      await run(['report', d.three, d.compare, '--out', html]);
      const { page, errors } = await openPage(browser, `file://${html}`);
      assert.deepEqual(await page.$$eval('.dir', (x) => x.map((e) => e.getAttribute('data-kind'))), ['search', 'compare']);
      const marks = await plotMarks(page);
      assert.ok(marks.some((m) => m.dir === "d2"), JSON.stringify(marks));
      for (const m of marks) assert.ok(m.marks - m.series >= m.points, JSON.stringify(m));
      assert.deepEqual(errors, []);
      await page.close();
    });
  } finally {
    await browser.close();
    rmSync(tmp, { recursive: true, force: true });
  }
});
