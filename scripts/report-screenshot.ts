/**
 * `node --import tsx scripts/report-screenshot.ts REPORT.html OUT.png [SECTION] [MAX-HEIGHT]`: a PNG
 * of the top of one section of an hwnas report (default: the first folder's fronts, 560 px), as
 * docs/report.png was made.
 * Uses Debian's Chromium (`CHROMIUM_PATH` overrides /usr/bin/chromium).
 */
import { chromium } from 'playwright-core';
import { resolve } from 'node:path';

const [html, out, section = 'd1-fronts', maxHeight = '560'] = process.argv.slice(2);
if (!html || !out) {
  console.error('usage: scripts/report-screenshot.ts REPORT.html OUT.png [SECTION-ID]');
  process.exit(2);
}
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 }, deviceScaleFactor: 1 });
  await page.goto(`file://${resolve(html)}`);
  const box = (await page.locator(`#${section}`).boundingBox())!;
  await page.screenshot({ path: out, clip: { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, Number(maxHeight)) } });
} finally {
  await browser.close();
}
