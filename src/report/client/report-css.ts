/** Styles of the report page (inlined into every report). */
export const REPORT_CSS = String.raw`:root { --fg: #1d2327; --muted: #5b6770; --line: #dfe3e6; --accent: #0072b2; --bg: #f6f7f8; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header.top { background: #fff; border-bottom: 1px solid var(--line); padding: 8px 16px; display: flex; flex-wrap: wrap; gap: 4px 16px; align-items: baseline; }
header.top h1 { font-size: 17px; margin: 0 12px 0 0; }
header.top nav a { color: var(--accent); text-decoration: none; margin-right: 10px; font-size: 13px; }
header.top .live { font-size: 12px; color: #fff; background: #009e73; border-radius: 3px; padding: 1px 6px; }
header.top .live.stale { background: #c44e52; }
header.top .meta { color: var(--muted); font-size: 12px; margin-left: auto; }
main { padding: 12px 16px 40px; }
.timing-warning { background: #fff4e5; border: 2px solid #d55e00; border-radius: 6px; padding: 8px 14px; margin: 0 0 12px; }
.timing-warning strong { color: #a33c00; font-size: 15px; }
.timing-warning p { margin: 4px 0; }
.dirs { display: grid; gap: 16px; align-items: start; }
.dir > h2 { font-size: 16px; margin: 6px 0 2px; }
.dir > .path { color: var(--muted); font-size: 12px; word-break: break-all; }
.dir > ul.summary { margin: 6px 0 10px; padding-left: 18px; color: var(--muted); font-size: 13px; }
section { scroll-margin-top: 8px; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px 14px; margin: 12px 0; }
section > h3 { font-size: 15px; margin: 2px 0 6px; }
section p.note { margin: 4px 0; color: var(--muted); font-size: 13px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 12px; }
.dirs.many .charts { grid-template-columns: 1fr; }
.chart-block { min-width: 0; }
.chart { width: 100%; height: 420px; border: 1px solid #eef0f2; border-radius: 4px; }
button.zoom { margin: 4px 0 0; padding: 2px 8px; font-size: 12px; }
.chart-block ul.notes { margin: 4px 0 0; padding-left: 18px; font-size: 12px; color: var(--muted); }
table.info, table.trials { border-collapse: collapse; font-size: 12px; margin-top: 8px; width: 100%; }
table.info th, table.info td, table.trials th, table.trials td { border-bottom: 1px solid var(--line); padding: 3px 6px; text-align: left; vertical-align: top; }
table.info td { word-break: break-word; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table.trials th { position: sticky; top: 0; background: #f0f3f5; cursor: pointer; white-space: nowrap; user-select: none; }
table.trials th.sorted-asc::after { content: " ▲"; }
table.trials th.sorted-desc::after { content: " ▼"; }
table.trials td { white-space: nowrap; font-variant-numeric: tabular-nums; }
table.trials td.num { text-align: right; }
table.trials tr.failed td { background: #fdf0f0; }
.toolbar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; font-size: 13px; }
.toolbar input[type=search] { min-width: 280px; padding: 4px 6px; }
.toolbar button { padding: 3px 10px; }
.toolbar .count { color: var(--muted); }
.brushed { color: #d55e00; }
div.info h4, details.info summary { font-size: 13px; font-weight: 600; margin: 10px 0 0; cursor: default; }
details.info summary { cursor: pointer; }
`;
