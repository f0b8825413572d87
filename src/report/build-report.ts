import { readFileSync } from 'node:fs';
import { accuracyBenchReport } from './accuracy-bench-report.ts';
import { compareReport } from './compare-report.ts';
import { profileReport } from './profile-report.ts';
import { fitLegend } from './chart-base.ts';
import type { DirReport, ReportModel } from './report-model.ts';
import { readResultsDir, type ResultsDir } from './results-dir.ts';
import { searchReport } from './search-report.ts';
import type { TruthData } from './truth-file.ts';

/** What {@link buildReport} may be given besides the folders. */
export interface ReportInputs {
  /** Exact fronts computed elsewhere (the CLI enumerates table spaces); those in a folder come first. */
  truths?: readonly TruthData[];
  /** @defaultValue the current time */
  now?: Date;
}

let version: string | undefined;
function hwnasVersion(): string {
  if (version === undefined) {
    try {
      version = String((JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? '?');
    } catch {
      version = '?';
    }
  }
  return version;
}

/**
 * Report of one results directory already read. Sections with nothing to show (no plot, no table)
 * are left out, and every plot's legend gets the room to show all its series.
 */
export function dirReport(d: ResultsDir, id: string, inputs: ReportInputs = {}): DirReport {
  const r = d.kind === 'search' ? searchReport(d, id, inputs.truths ?? []) : d.kind === 'compare' ? compareReport(d, id) : d.kind === 'accuracy-bench' ? accuracyBenchReport(d, id) : profileReport(d, id);
  const sections = r.sections
    .filter((s) => s.charts.length > 0 || s.tables.length > 0)
    .map((s) => ({ ...s, charts: s.charts.map((c) => ({ ...c, option: fitLegend(c.option) })) }));
  return { ...r, sections };
}

/**
 * The report of results directories (paths, or folders already read), side by side: each folder is read from its files
 * ({@link readResultsDir}; a folder that is not a results directory is an InputError naming what is
 * missing) and turned into plots and tables.
 */
export function buildReport(dirs: readonly (string | ResultsDir)[], inputs: ReportInputs = {}): ReportModel {
  const reports = dirs.map((dir, k) => dirReport(typeof dir === 'string' ? readResultsDir(dir) : dir, `d${k + 1}`, inputs));
  return {
    title: reports.length === 1 ? `hwnas report — ${reports[0]!.title}` : `hwnas report — ${reports.length} results side by side`,
    generatedAt: (inputs.now ?? new Date()).toISOString(),
    hwnasVersion: hwnasVersion(),
    dirs: reports,
  };
}
