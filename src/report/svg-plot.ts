/** A small SVG chart writer (scatter and line series with linear axes), no dependencies. */

export interface Series {
  label: string;
  points: readonly (readonly [number, number])[];
  color: string;
  /** Draw points, a line through them, or both. @defaultValue 'points' */
  style?: 'points' | 'line' | 'step' | 'both';
  /** Point radius. @defaultValue 3 */
  radius?: number;
}

export interface PlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  /** @defaultValue 720 */
  width?: number;
  /** @defaultValue 480 */
  height?: number;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** "Nice" tick values covering [lo, hi] (Heckbert 1990, Graphics Gems: nice numbers for graph labels). */
export function niceTicks(lo: number, hi: number, count = 6): number[] {
  if (!(hi > lo)) return [lo];
  const span = hi - lo;
  const raw = span / Math.max(1, count - 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

function fmt(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(1);
  return String(Number(v.toPrecision(6)));
}

/** Render series as an SVG document. */
export function renderPlot(o: PlotOptions): string {
  const W = o.width ?? 720;
  const H = o.height ?? 480;
  const m = { l: 72, r: 24, t: 52, b: 56 };
  const all = o.series.flatMap((s) => s.points);
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  let [x0, x1] = all.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  let [y0, y1] = all.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  if (x1 === x0) { x0 -= 0.5; x1 += 0.5; }
  if (y1 === y0) { y0 -= 0.5; y1 += 0.5; }
  const padX = (x1 - x0) * 0.04;
  const padY = (y1 - y0) * 0.04;
  x0 -= padX; x1 += padX; y0 -= padY; y1 += padY;
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const sy = (y: number) => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">${esc(o.title)}</text>`);
  for (const t of niceTicks(x0, x1)) {
    const x = sx(t).toFixed(1);
    parts.push(`<line x1="${x}" y1="${m.t}" x2="${x}" y2="${H - m.b}" stroke="#eee"/>`);
    parts.push(`<text x="${x}" y="${H - m.b + 16}" text-anchor="middle">${fmt(t)}</text>`);
  }
  for (const t of niceTicks(y0, y1)) {
    const y = sy(t).toFixed(1);
    parts.push(`<line x1="${m.l}" y1="${y}" x2="${W - m.r}" y2="${y}" stroke="#eee"/>`);
    parts.push(`<text x="${m.l - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${fmt(t)}</text>`);
  }
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#333"/>`);
  parts.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 16}" text-anchor="middle">${esc(o.xLabel)}</text>`);
  parts.push(`<text transform="translate(18 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`);
  let legendOffset = 0;
  o.series.forEach((s) => {
    const style = s.style ?? 'points';
    if (style !== 'points' && s.points.length > 1) {
      let d = '';
      s.points.forEach((p, k) => {
        if (k === 0) d += `M${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`;
        else if (style === 'step') d += `H${sx(p[0]).toFixed(1)}V${sy(p[1]).toFixed(1)}`;
        else d += `L${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`;
      });
      parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.5"/>`);
    }
    if (style === 'points' || style === 'both' || style === 'step') {
      const r = s.radius ?? 3;
      for (const p of s.points) parts.push(`<circle cx="${sx(p[0]).toFixed(1)}" cy="${sy(p[1]).toFixed(1)}" r="${r}" fill="${s.color}" fill-opacity="0.75"/>`);
    }
    // Legend in the top margin, left to right, so it never hides data.
    const lx = m.l + legendOffset;
    parts.push(`<rect x="${lx}" y="${m.t - 19}" width="10" height="10" fill="${s.color}"/>`);
    parts.push(`<text x="${lx + 14}" y="${m.t - 10}">${esc(s.label)}</text>`);
    legendOffset += 24 + 7 * s.label.length;
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
