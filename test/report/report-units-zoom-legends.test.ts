import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { tempDir } from '../helpers/cli.ts';
import { launchChromium, openPage } from './chromium.ts';
import { hwnas } from './hwnas-process.ts';

async function run(args: string[]): Promise<void> {
  const r = await hwnas(args);
  assert.equal(r.code, 0, `hwnas ${args.join(' ')}\n${r.err}`);
}

type Win = { hwnas: { charts: Map<string, { chart: {
  getOption(): Record<string, unknown>;
  getModel(): { getComponent(t: string, i?: number): { axis: { scale: { getExtent(): [number, number] } }; coordinateSystem: { getRect(): { x: number; y: number; width: number; height: number } } } };
} }> } };

/** The y extent a plot shows now. */
function yExtent(page: Page, key: string): Promise<[number, number]> {
  return page.evaluate((k) => (window as unknown as Win).hwnas.charts.get(k)!.chart.getModel().getComponent('yAxis', 0).axis.scale.getExtent(), key);
}

/**
 * Legend entries of a plot as drawn: for each name, whether an SVG text with exactly that name is
 * inside the plot's box and above its plotting area (so not hidden on another legend page, and not
 * over the data).
 */
function legendShown(page: Page, key: string, names: readonly string[]): Promise<Record<string, boolean>> {
  return page.evaluate(([k, ns]) => {
    const entry = (window as unknown as Win).hwnas.charts.get(k)!;
    const div = document.getElementById(`chart-${k}`)!;
    const box = div.getBoundingClientRect();
    const grid = entry.chart.getModel().getComponent('grid', 0).coordinateSystem.getRect();
    const texts = [...div.querySelectorAll('svg text')];
    return Object.fromEntries(ns.map((n) => [n, texts.some((t) => {
      if (t.textContent !== n) return false;
      const r = t.getBoundingClientRect();
      return r.width > 0 && r.left >= box.left && r.right <= box.right && r.bottom - box.top <= grid.y + 1;
    })]));
  }, [key, names] as const);
}

test('report: units on the axes, the accuracy axis zoomed to the fronts with the full range one click away, every legend entry shown, no empty section', async () => {
  const tmp = tempDir('hwnas-report-ux-');
  const browser = await launchChromium();
  try {
    const search = join(tmp, 'search');
    const compare = join(tmp, 'compare');
    await run(['search', '--space', 'nb201', '--device', 'pixel3', '--strategy', 'random', '--budget', '60', '--seed', '1', '--out', search]);
    await run(['compare', '--space', 'nb201', '--device', 'fpga', '--strategies', 'random,re,nsga2,local,bo', '--seeds', '1', '--budget', '20', '--checkpoints', '10', '--out', compare]);
    const html = join(tmp, 'report.html');
    await run(['report', search, compare, '--out', html]);
    const { page, errors } = await openPage(browser, `file://${html}`);

    // Units: the accuracy–latency plane and the parallel axes.
    const front = await page.evaluate(() => (window as unknown as Win).hwnas.charts.get('d1--front-pixel3')!.chart.getOption() as { xAxis: { name: string }[]; yAxis: { name: string }[] });
    assert.equal(front.xAxis[0]!.name, 'latency (ms), lower is better');
    assert.equal(front.yAxis[0]!.name, 'accuracy (%), higher is better');
    const axes = await page.evaluate(() => ((window as unknown as Win).hwnas.charts.get('d1--parallel')!.chart.getOption() as { parallelAxis: { name: string }[] }).parallelAxis.map((a) => a.name));
    assert.deepEqual(axes.slice(0, 2), ['accuracy (%)', 'latency (ms)']);
    for (const a of axes) assert.match(a, /\((%|ms|MACs)\)$|^parameters$/, a);

    // Zoom: NAS-Bench-201's exact front on pixel3 ends in ~10 % cells; the plot opens on the 84–92 % region.
    const zoomed = await yExtent(page, 'd1--front-pixel3');
    assert.ok(zoomed[0] > 80 && zoomed[1] < 95, `opens at ${zoomed.join('–')}`);
    const button = page.locator('button.zoom[data-zoom-for="front-pixel3"]');
    assert.match((await button.textContent()) ?? '', /^Full range of accuracy \(%\)/);
    await button.click();
    const full = await yExtent(page, 'd1--front-pixel3');
    assert.ok(full[0] < 15, `full range after one click: ${full.join('–')}`);
    await button.click();
    assert.deepEqual(await yExtent(page, 'd1--front-pixel3'), zoomed);

    // Legends: the comparison's five strategies are all shown (none on a hidden legend page).
    const strategies = ['random', 're', 'nsga2', 'local', 'bo'];
    for (const id of ['d2--hv', 'd2--igd']) {
      const legendType = await page.evaluate((k) => ((window as unknown as Win).hwnas.charts.get(k)!.chart.getOption() as { legend: { type: string }[] }).legend[0]!.type, id);
      assert.equal(legendType, 'plain', id);
      assert.deepEqual(await legendShown(page, id, strategies), Object.fromEntries(strategies.map((s) => [s, true])), id);
    }

    // No empty sections: every section shows a plot or a table; a one-device search has no "Across devices".
    const sections = await page.$$eval('section[data-section]', (ss) => ss.map((s) => ({ id: `${s.closest('.dir')?.id}/${s.getAttribute('data-section')}`, content: s.querySelectorAll('.chart, table').length })));
    for (const s of sections) assert.ok(s.content > 0, `section ${s.id} is empty`);
    const ids = sections.map((s) => s.id);
    for (const gone of ['d1/cross-device', 'd1/timeline', 'd1/latency', 'd2/cross-device', 'd2/latency', 'd2/timeline']) assert.ok(!ids.includes(gone), `${gone} in ${ids.join(', ')}`);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await browser.close();
    rmSync(tmp, { recursive: true, force: true });
  }
});
