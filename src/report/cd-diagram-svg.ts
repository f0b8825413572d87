/**
 * A critical-difference diagram (Demšar 2006, "Statistical Comparisons of Classifiers over Multiple
 * Data Sets", JMLR 7, Fig. 1) as an SVG document, built as plain strings: the rank axis (1 = best, on
 * the left), each strategy's average rank marked and labelled (the better half on the left, the rest
 * on the right), the critical difference as a bar, and a thick line joining every group of
 * strategies whose average ranks differ by less than the CD (not significantly different).
 */

/** What the diagram shows. */
export interface CdDiagram {
  readonly title: string;
  /** A line under the title (the test and its numbers). */
  readonly subtitle: string;
  /** Strategies by average rank, best first. */
  readonly ranks: readonly { readonly strategy: string; readonly averageRank: number }[];
  /** Number of strategies: the axis runs from 1 to k. */
  readonly k: number;
  readonly cd: number;
  /** Groups of strategies joined by a bar. */
  readonly cliques: readonly (readonly string[])[];
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The diagram as SVG text. */
export function cdDiagramSvg(d: CdDiagram): string {
  const width = 720;
  const left = 150;
  const right = 150;
  const axisY = 96;
  const rowH = 24;
  const k = Math.max(2, d.k);
  const half = Math.ceil(d.ranks.length / 2);
  const cliqueTop = axisY + 14;
  const labelTop = cliqueTop + d.cliques.length * 9 + 18;
  const height = labelTop + Math.max(half, d.ranks.length - half) * rowH + 24;
  const x = (r: number) => left + ((r - 1) / (k - 1)) * (width - left - right);
  const f = (v: number) => v.toFixed(1);
  const p: string[] = [];
  p.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="13">`);
  p.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  p.push(`<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${esc(d.title)}</text>`);
  p.push(`<text x="${width / 2}" y="38" text-anchor="middle" font-size="11" fill="#444">${esc(d.subtitle)}</text>`);
  // Critical difference bar above the axis, from rank 1.
  const cdEnd = Math.min(x(1 + d.cd), width - 10);
  p.push(`<line x1="${f(x(1))}" y1="58" x2="${f(cdEnd)}" y2="58" stroke="#000" stroke-width="2"/>`);
  for (const xx of [x(1), cdEnd]) p.push(`<line x1="${f(xx)}" y1="53" x2="${f(xx)}" y2="63" stroke="#000" stroke-width="1.5"/>`);
  p.push(`<text x="${f((x(1) + cdEnd) / 2)}" y="51" text-anchor="middle" font-size="12">CD = ${d.cd.toFixed(2)}</text>`);
  // Rank axis with integer and half ticks.
  p.push(`<line x1="${f(x(1))}" y1="${axisY}" x2="${f(x(k))}" y2="${axisY}" stroke="#000" stroke-width="1.5"/>`);
  for (let t = 1; t <= k; t += 0.5) {
    const major = Number.isInteger(t);
    p.push(`<line x1="${f(x(t))}" y1="${axisY}" x2="${f(x(t))}" y2="${axisY - (major ? 8 : 4)}" stroke="#000"/>`);
    if (major) p.push(`<text x="${f(x(t))}" y="${axisY - 12}" text-anchor="middle" font-size="12">${t}</text>`);
  }
  // Groups not significantly different.
  d.cliques.forEach((c, i) => {
    const rs = d.ranks.filter((r) => c.includes(r.strategy)).map((r) => r.averageRank);
    const y = cliqueTop + i * 9;
    p.push(`<line x1="${f(x(Math.min(...rs)) - 4)}" y1="${y}" x2="${f(x(Math.max(...rs)) + 4)}" y2="${y}" stroke="#000" stroke-width="4" stroke-linecap="round"/>`);
  });
  // Each strategy: a drop line from its rank to an elbow and its label.
  d.ranks.forEach((r, i) => {
    const onLeft = i < half;
    const row = onLeft ? i : d.ranks.length - 1 - i;
    const y = labelTop + row * rowH;
    const xr = x(r.averageRank);
    const xEnd = onLeft ? left - 10 : width - right + 10;
    p.push(`<polyline points="${f(xr)},${axisY} ${f(xr)},${y} ${f(xEnd)},${y}" fill="none" stroke="#333" stroke-width="1"/>`);
    p.push(`<circle cx="${f(xr)}" cy="${axisY}" r="3" fill="#000"/>`);
    const label = `${r.strategy} (${r.averageRank.toFixed(2)})`;
    p.push(`<text x="${f(onLeft ? xEnd - 6 : xEnd + 6)}" y="${y + 4}" text-anchor="${onLeft ? 'end' : 'start'}">${esc(label)}</text>`);
  });
  p.push('</svg>');
  return `${p.join('\n')}\n`;
}
