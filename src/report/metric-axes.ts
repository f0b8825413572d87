/**
 * Which metrics become parallel-coordinate axes. The usual objectives and counts always do; metrics
 * hwnas records as secondary facts (test accuracies of other datasets, timing spread) stay table
 * columns; any other metric (a new objective, `latencyMs@<device>` of a joint search) becomes an axis.
 */
const SECONDARY = new Set([
  'testAccuracy', 'accuracyStd', 'cifar100ValidAcc', 'cifar100TestAcc', 'imagenet16ValidAcc', 'imagenet16TestAcc',
  'p90Ms', 'iqrMs', 'cv', 'samples', 'ciHalfWidthPct', 'rounds', 'predictedLatencyMs', 'remeasuredLatencyMs', 'remeasuredP90Ms', 'remeasuredCv', 'remeasuredCiHalfWidthPct',
]);

const FIXED = ['accuracy', 'latencyMs', 'paramCount', 'flops'];

/** Whether `metric` is an extra axis (not one of the fixed four, not a secondary fact). */
export function isExtraAxis(metric: string): boolean {
  return !FIXED.includes(metric) && !SECONDARY.has(metric);
}

/**
 * Extra axes: metrics that {@link isExtraAxis} and that every one of `metricSets` has, in first-seen
 * order.
 */
export function extraAxes(metricSets: readonly Readonly<Record<string, number>>[]): string[] {
  if (metricSets.length === 0) return [];
  const seen: string[] = [];
  for (const m of metricSets) for (const k of Object.keys(m)) if (isExtraAxis(k) && !seen.includes(k)) seen.push(k);
  return seen.filter((k) => metricSets.every((m) => Number.isFinite(m[k])));
}
