import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../helpers/cli.ts';
import { launchChromium, openPage, plotMarks } from './chromium.ts';
import { hwnas, startHwnas } from './hwnas-process.ts';

function lastRecord(file: string): { n: number; arch: string } {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as { n: number; arch: string };
}

test('hwnas dashboard: served on a free loopback port, shows a record appended by a resumed search, stops on SIGINT', async () => {
  const tmp = tempDir('hwnas-dashboard-');
  const out = join(tmp, 'run');
  const browser = await launchChromium();
  let dash: Awaited<ReturnType<typeof startHwnas>> | undefined;
  try {
    const args = ['search', '--space', 'nb201', '--device', 'fpga', '--strategy', 'random', '--seed', '3', '--out', out];
    const first = await hwnas([...args, '--budget', '20']);
    assert.equal(first.code, 0, first.err);

    dash = await startHwnas(['dashboard', out, '--port', '0'], /hwnas dashboard: (http:\/\/127\.0\.0\.1:(\d+)\/)/);
    const url = dash.match[1]!;
    assert.notEqual(Number(dash.match[2]), 0);
    const { page, errors } = await openPage(browser, url);
    const count = () => page.evaluate(() => Number(/of (\d+) rows/.exec(document.querySelector('#trials-d1 .count')?.textContent ?? '')?.[1] ?? NaN));
    assert.equal(await count(), 20);
    assert.equal(await page.$eval('#live', (e) => e.textContent?.startsWith('live')), true);

    // The same search, resumed with a larger budget, appends journal lines while the page is open.
    const more = await hwnas([...args, '--budget', '23', '--resume']);
    assert.equal(more.code, 0, more.err);
    const added = lastRecord(join(out, 'journal-fpga.jsonl'));
    assert.equal(added.n, 23);
    await page.waitForFunction(() => /of 23 rows/.test(document.querySelector('#trials-d1 .count')?.textContent ?? ''), undefined, { timeout: 30_000 });
    assert.ok(await page.evaluate(() => (window as unknown as { hwnas: { updates: number } }).hwnas.updates) >= 1);
    await page.fill('#trials-d1 input[type=search]', added.arch);
    assert.equal(await count(), 1, 'the appended architecture is in the table');
    for (const m of await plotMarks(page)) assert.ok(m.marks - m.series >= m.points, JSON.stringify(m));
    const front = (await plotMarks(page)).find((m) => m.id === 'front-fpga')!;
    assert.ok(front.points >= 23, `front plot shows the new record (${front.points} points)`);
    await page.screenshot({ path: join(tmp, 'dashboard.png') });
    assert.deepEqual(errors, []);

    const exited = new Promise<number | null>((resolve) => dash!.child.on('close', (code) => resolve(code)));
    dash.child.kill('SIGINT');
    assert.equal(await exited, 0, dash.output());
    dash = undefined;
  } finally {
    dash?.child.kill('SIGKILL');
    await browser.close();
    rmSync(tmp, { recursive: true, force: true });
  }
});
