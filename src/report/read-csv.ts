/**
 * CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF) as header names and rows of strings.
 * The results files hwnas writes (csv-stringify) are read back with it.
 */
export interface CsvTable {
  columns: string[];
  rows: string[][];
}

/** Parse CSV text; an empty text gives no columns and no rows. */
export function parseCsv(text: string): CsvTable {
  // Fast path: no quoted field anywhere (the usual leaderboard), so lines and commas split it.
  if (!text.includes('"')) {
    const lines = text.split(/\r?\n/).filter((l) => l !== '');
    const [head, ...rest] = lines;
    return { columns: head === undefined ? [] : head.split(','), rows: rest.map((l) => l.split(',')) };
  }
  const records: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      records.push(row);
      row = [];
      field = '';
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else field += c;
    i++;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    records.push(row);
  }
  const [columns = [], ...rows] = records.filter((r) => !(r.length === 1 && r[0] === ''));
  return { columns, rows };
}

/** A CSV cell as a number: `inf`/`-inf`/`nan` as written by hwnas; `undefined` for an empty or non-numeric cell. */
export function csvNumber(cell: string | undefined): number | undefined {
  if (cell === undefined || cell === '') return undefined;
  if (cell === 'inf') return Infinity;
  if (cell === '-inf') return -Infinity;
  if (cell === 'nan') return NaN;
  const v = Number(cell);
  return Number.isNaN(v) ? undefined : v;
}

/** Rows as objects keyed by column name. */
export function csvObjects(t: CsvTable): Record<string, string>[] {
  return t.rows.map((r) => Object.fromEntries(t.columns.map((c, k) => [c, r[k] ?? ''])));
}
