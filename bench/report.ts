import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildLeaderboard } from '../src/record/leaderboard.ts';
import { buildReport } from '../src/report/build-report.ts';
import { readJournal } from '../src/report/read-journal.ts';
import { renderReportHtml } from '../src/report/report-html.ts';
import { readResultsDir } from '../src/report/results-dir.ts';
import { search } from '../src/run/search.ts';
import { median } from '../src/util/stats.ts';

export interface ReportBenchResult {
  bench: 'report';
  /** Journal records of the results directory reported. */
  records: number;
  /** Median over `repeats` of reading the folder, building the report and rendering the HTML (ms); target < 2,000. */
  reportMs: number;
  readMs: number;
  buildMs: number;
  htmlMs: number;
  /** Size of the self-contained HTML (bytes), of which ECharts inlined. */
  htmlBytes: number;
  libraryBytes: number;
  /** Baseline, same run, same journal: parsing it and ranking it (what the search itself does at its end), ms. */
  parseAndRankMs: number;
  /** reportMs / parseAndRankMs. */
  ratioToParseAndRank: number;
  withinTarget: boolean;
  /** Seconds the real search took to write the 10,000-record journal (not part of the report time). */
  searchSeconds: number;
}

/**
 * Time `hwnas report`'s work on a real 10,000-record journal: a random search of NAS-Bench-201 on
 * the fpga table device (so nothing is measured) writes it, then the folder is read, the report built
 * and the HTML rendered, `repeats` times.
 */
export async function reportBench(opts: { records?: number; repeats?: number } = {}): Promise<ReportBenchResult> {
  const n = opts.records ?? 10_000;
  const dir = mkdtempSync(join(tmpdir(), 'hwnas-bench-report-'));
  try {
    const out = join(dir, 'run');
    const t0 = performance.now();
    await search({ space: 'nb201', devices: ['fpga'], strategy: 'random', budget: n, seed: 1, out });
    const searchSeconds = (performance.now() - t0) / 1000;
    const reads: number[] = [];
    const builds: number[] = [];
    const htmls: number[] = [];
    const totals: number[] = [];
    const bases: number[] = [];
    let htmlBytes = 0;
    let libraryBytes = 0;
    let records = 0;
    for (let k = 0; k < (opts.repeats ?? 3); k++) {
      const b0 = performance.now();
      const j = readJournal(join(out, 'journal-fpga.jsonl'));
      buildLeaderboard(j.records, [{ metric: 'accuracy', direction: 'max' }, { metric: 'latencyMs', direction: 'min' }], []);
      bases.push(performance.now() - b0);
      const a = performance.now();
      const d = readResultsDir(out);
      const b = performance.now();
      const model = buildReport([d]);
      const c = performance.now();
      const html = renderReportHtml(model);
      const e = performance.now();
      reads.push(b - a);
      builds.push(c - b);
      htmls.push(e - c);
      totals.push(e - a);
      htmlBytes = Buffer.byteLength(html);
      libraryBytes = statSync(join(dirname(createRequire(import.meta.url).resolve('echarts')), 'echarts.min.js')).size;
      records = model.dirs[0]!.trials.rows.length;
    }
    const reportMs = median(totals);
    const parseAndRankMs = median(bases);
    return {
      bench: 'report', records, reportMs, readMs: median(reads), buildMs: median(builds), htmlMs: median(htmls),
      htmlBytes, libraryBytes, parseAndRankMs, ratioToParseAndRank: reportMs / parseAndRankMs, withinTarget: reportMs < 2000, searchSeconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
