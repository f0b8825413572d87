/**
 * What an HTML report shows, as plain JSON: the page (src/report/client/) draws it with ECharts and
 * the dashboard sends a new one whenever the results grow. Text is plain text (the page escapes it).
 */

/** One plot: an ECharts option (JSON only, no functions) and what the page needs to check it. */
export interface ChartSpec {
  id: string;
  title: string;
  /** ECharts option; the page adds tooltips and, for `timeline`, the bar drawing. */
  option: Record<string, unknown>;
  /** Data points the plot shows, each drawn as its own mark (a symbol, a line of parallel coordinates, a bar). */
  points: number;
  /** Colours of the data marks (fill or stroke), so marks can be told from axes and grid lines. */
  markColors: string[];
  /** @defaultValue 'plot' */
  kind?: 'plot' | 'parallel' | 'timeline';
  /** Pixel height. @defaultValue 420 */
  height?: number;
  /** For `parallel`: arch of each line, in data order (brushing filters the table by arch); a number is an index into {@link DirReport.archs}. */
  archs?: (string | number)[];
  /** Lines of text shown beside the plot (normalisation, reference point, correlations…). */
  notes?: string[];
  /**
   * The plot opens zoomed on one axis (an `inside` dataZoom with this id) to where the fronts are;
   * the page adds a button that shows the full range and back.
   */
  zoom?: { dataZoomId: string; axis: string; window: [number, number]; full: [number, number] };
}

/** A small key–value or row table (settings, latency protocol, summaries). */
export interface InfoTable {
  title: string;
  columns: string[];
  rows: (string | number | null)[][];
  /** Shown folded (a long list). @defaultValue false */
  collapsed?: boolean;
}

export interface Section {
  id: string;
  title: string;
  /** Paragraphs shown under the title. */
  notes: string[];
  charts: ChartSpec[];
  tables: InfoTable[];
}

/** Column of the trials table. */
export interface TrialColumn {
  key: string;
  numeric: boolean;
}

/** Every journal record, one row each: sortable, filterable, exported as CSV by the page. */
export interface TrialsTable {
  columns: TrialColumn[];
  rows: (string | number | null)[][];
  /** Index of the `arch` column (brushing the parallel coordinates filters on it). */
  archColumn: number;
}

/** The report of one results directory. */
export interface DirReport {
  id: string;
  path: string;
  kind: 'search' | 'compare' | 'profile' | 'accuracy-bench';
  title: string;
  /** One-line facts under the title (records, failures, torn lines…). */
  summary: string[];
  /**
   * Loud lines shown at the top of the page: measured latencies that missed their timing tolerance
   * or were taken while the reference network drifted (docs/latency-protocol.md). @defaultValue []
   */
  warnings?: string[];
  sections: Section[];
  trials: TrialsTable;
  /** Arch strings that plot data refer to by index (the `arch` dimension). */
  archs: string[];
}

export interface ReportModel {
  title: string;
  generatedAt: string;
  hwnasVersion: string;
  dirs: DirReport[];
}
