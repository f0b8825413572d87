import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (scripts/test-setup.sh installs it); `CHROMIUM_PATH` overrides. No browser download. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`no Chromium at ${candidates.join(', ')}: run npm run test:setup (apt-get install chromium)`);
  return found;
}

/** Headless Chromium, no sandbox (CI runs as root). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/** A page that records console errors and uncaught exceptions. */
export async function openPage(browser: Browser, url: string, width = 1400): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url, { waitUntil: 'load' });
  return { page, errors };
}

/** Per plot of the page: the points it says it shows, its data marks, and how many series it has. */
export interface PlotMarks {
  id: string;
  dir: string;
  points: number;
  marks: number;
  /** Legend entries (their symbols are drawn in the data colours too). */
  series: number;
  renderer: 'svg' | 'canvas' | 'none';
}

/**
 * Count the drawn data marks of every plot: SVG shapes whose fill or stroke is one of the plot's
 * data colours (axes, grid lines and labels have other colours). Legend symbols share those colours,
 * so the number of series is returned to be subtracted.
 */
export async function plotMarks(page: Page): Promise<PlotMarks[]> {
  return page.evaluate(() => {
    const w = window as unknown as { hwnas: { charts: Map<string, { chart: { getOption(): { series?: { name?: string; itemStyle?: { color?: string } }[]; legend?: { show?: boolean }[] } } }> } };
    return [...document.querySelectorAll<HTMLElement>('.chart')].map((div) => {
      const colors = new Set((div.dataset.markColors ?? '').split(',').filter(Boolean).map((c) => c.toLowerCase()));
      const svg = div.querySelector('svg');
      let marks = 0;
      if (svg) {
        for (const e of svg.querySelectorAll('path, circle, rect, polygon, polyline, line, ellipse')) {
          const fill = (e.getAttribute('fill') ?? '').toLowerCase();
          const stroke = (e.getAttribute('stroke') ?? '').toLowerCase();
          if (colors.has(fill) || colors.has(stroke)) marks++;
        }
      }
      const key = `${div.closest('.dir')?.id ?? ''}--${div.dataset.chartId ?? ''}`;
      const entry = w.hwnas.charts.get(key);
      const opt = entry?.chart.getOption();
      // Legend symbols of series drawn in a data colour look like marks: count them to subtract.
      const legend = opt && opt.legend?.[0]?.show !== false
        ? new Set((opt.series ?? []).filter((x) => colors.has(String(x.itemStyle?.color ?? '').toLowerCase())).map((x) => x.name)).size : 0;
      return {
        id: div.dataset.chartId ?? '', dir: div.closest('.dir')?.id ?? '', points: Number(div.dataset.points), marks,
        series: legend,
        renderer: svg ? 'svg' : div.querySelector('canvas') ? 'canvas' : 'none',
      } as const;
    });
  });
}
