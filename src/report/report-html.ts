import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { REPORT_CLIENT_JS } from './client/report-client.ts';
import { REPORT_CSS } from './client/report-css.ts';
import type { ReportModel } from './report-model.ts';

/** How the page gets later versions of the model (the dashboard); absent: a static report. */
export interface LiveOptions {
  /** Path of the server-sent events stream, e.g. `/events`. */
  eventsPath: string;
}

let assets: { echarts: string; client: string; css: string } | undefined;

/** ECharts' minified browser build (inlined: the report opens offline), the page script and its styles. */
function pageAssets(): { echarts: string; client: string; css: string } {
  if (!assets) {
    const main = createRequire(import.meta.url).resolve('echarts'); // …/echarts/dist/echarts.js
    assets = {
      echarts: readFileSync(join(dirname(main), 'echarts.min.js'), 'utf8'),
      client: REPORT_CLIENT_JS,
      css: REPORT_CSS,
    };
  }
  return assets;
}

/** Text safe inside a `<script>` element (no `</script`, no `<!--`). */
function scriptSafe(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/**
 * One self-contained HTML page: ECharts, the page script, its styles and the model (JSON, `<`
 * escaped) inlined, no network needed. With `live`, the page listens for new models.
 */
export function renderReportHtml(model: ReportModel, live?: LiveOptions): string {
  const a = pageAssets();
  const json = JSON.stringify(model).replace(/</g, '\\u003c');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(model.title)}</title>`,
    `<style>${a.css}</style>`,
    '</head><body>',
    `<noscript>This report draws its plots with JavaScript (ECharts, inlined).</noscript>`,
    `<script type="application/json" id="hwnas-model">${json}</script>`,
    live ? `<script>window.HWNAS_LIVE = ${JSON.stringify(live.eventsPath)};</script>` : '',
    `<script>${scriptSafe(a.echarts)}</script>`,
    `<script>${scriptSafe(a.client)}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
