/**
 * Colours of data marks: the colour-blind-safe palette of Okabe & Ito (2008), then a few more. Hex,
 * lower case, as ECharts writes them into SVG (the page tells data marks from axes by colour).
 */
export const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#7f3c8d', '#a3a500', '#3969ac', '#e73f74'] as const;

/** Evaluated but not on the front. */
export const GREY = '#8c9aa6';
/** Infeasible (violates a constraint). */
export const INFEASIBLE = '#c44e52';
/** The found Pareto front. */
export const FRONT = '#d55e00';
/** The exact front. */
export const TRUTH = '#111111';

/** Colour `k` of {@link PALETTE}, cycled. */
export function colorAt(k: number): string {
  return PALETTE[k % PALETTE.length]!;
}

/** `#rrggbb` mixed with white by `amount` (0 = unchanged, 1 = white). */
export function tint(hex: string, amount: number): string {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `#${c.map((v) => Math.round(v + (255 - v) * amount).toString(16).padStart(2, '0')).join('')}`;
}
