import { resolve } from 'node:path';
import { InputError } from '../errors.ts';
import type { Command } from './command.ts';
import { parseFlagsAndArgs } from './flags.ts';

const usage = `usage: hwnas report DIR [DIR ...] [--out FILE]

Write one self-contained HTML report (ECharts inlined: it opens offline) of the results directories
of hwnas search, compare, profile or accuracy-bench runs, side by side: per device the accuracy-latency plane with
the found and exact fronts; hypervolume and IGD+ over evaluations (normalisation and reference point
stated); parallel coordinates of all objectives (brushing filters the table); each device's front on
the other devices; measured vs predicted latency and latency spread; a worker timeline when records
carry worker data; the sortable, filterable trials table with CSV export; settings and the latency
protocol. For an accuracy-bench folder: each signal's Spearman rho (with its bootstrap interval)
against its CPU-seconds per architecture (log scale), the ceiling and the FLOPs baseline marked.

  --out FILE     where to write the report   [DIR/report.html for one DIR, else ./report.html]

For a search on table devices of an enumerable space (nb201), the exact front is enumerated (as
hwnas truth does) unless the folder already holds truth-<space>-<device>.json.
A folder that is not a results directory exits with code 2 naming what is missing.`;

export const reportCommand: Command = {
  name: 'report',
  summary: 'self-contained HTML report of search, compare, profile or accuracy-bench results',
  usage,
  async run(argv, io) {
    const { flags: f, positionals: dirs } = parseFlagsAndArgs(argv, { out: { type: 'string' } });
    if (f.out !== undefined && f.out.trim() === '') throw new InputError('bad-flag', 'empty output file', { path: '--out', expected: 'a file path such as report.html', actual: '""' });
    if (dirs.length === 0) throw new InputError('bad-flag', 'no results directory given', { path: 'DIR', expected: 'one or more results directories (hwnas report DIR [DIR ...])', actual: 'nothing' });
    const { buildReport } = await import('../report/build-report.ts');
    const { readResultsDir } = await import('../report/results-dir.ts');
    const { exactFrontsFor } = await import('./exact-fronts.ts');
    const { renderReportHtml } = await import('../report/report-html.ts');
    const { writeFileAtomic } = await import('../util/atomic-write.ts');
    const t0 = performance.now();
    const read = dirs.map((d) => readResultsDir(d)); // bad input first, before any enumeration
    const model = buildReport(read, { truths: await exactFrontsFor(read) });
    const html = renderReportHtml(model);
    const out = f.out ?? (dirs.length === 1 ? resolve(dirs[0]!, 'report.html') : resolve('report.html'));
    writeFileAtomic(out, html);
    const records = model.dirs.reduce((s, d) => s + d.trials.rows.length, 0);
    io.out(`${out}\n`);
    io.err(`report: ${model.dirs.length} folder(s), ${records} records, ${model.dirs.reduce((s, d) => s + d.sections.reduce((t, x) => t + x.charts.length, 0), 0)} plots, ${(html.length / 1e6).toFixed(2)} MB in ${((performance.now() - t0) / 1000).toFixed(2)} s\n`);
    return 0;
  },
};
