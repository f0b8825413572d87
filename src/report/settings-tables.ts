import type { JournalRecord } from './read-journal.ts';
import type { InfoTable } from './report-model.ts';

/** Columns of the latency protocol table. */
export const PROTOCOL_COLUMNS = ['device', 'kind', 'runtime', 'version', 'provider', 'threads', 'warm-up', 'timed runs', 'statistic', 'source'];

function mostCommon(values: readonly (string | number | undefined)[]): string {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== undefined && v !== '') counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  if (sorted.length === 0) return '';
  return sorted.length === 1 ? sorted[0]![0] : `${sorted[0]![0]} (and ${sorted.slice(1).map((e) => e[0]).join(', ')})`;
}

/** Run settings as key–value rows: every scalar or short list of config.json (device profiles go to the protocol). */
export function settingsTable(title: string, config: Readonly<Record<string, unknown>>): InfoTable {
  const rows: (string | number | null)[][] = [];
  for (const [k, v] of Object.entries(config)) {
    if (k === 'deviceProfiles' || v === undefined) continue;
    rows.push([k, typeof v === 'object' && v !== null ? JSON.stringify(v) : (v as string | number | null)]);
  }
  return { title, columns: ['setting', 'value'], rows };
}

/**
 * The latency protocol of one device: runtime, version, provider and threads as the measurements
 * recorded them (most common value), warm-up and timed runs from the device profile, the statistic,
 * and where table or LUT latencies come from.
 */
export function protocolRow(device: string, profile: Readonly<Record<string, unknown>> | undefined, records: readonly JournalRecord[]): (string | number | null)[] {
  const infos = records.flatMap((r) => (r.outcome.status === 'ok' ? [r.outcome.info ?? {}] : []));
  const metrics = records.flatMap((r) => (r.outcome.status === 'ok' ? [r.outcome.metrics] : []));
  const kind = String(profile?.kind ?? (infos.some((i) => i.runtime !== undefined) ? 'measured' : ''));
  const timing = (profile?.timing ?? {}) as Record<string, number>;
  const samples = metrics.map((m) => m.samples).filter((s): s is number => s !== undefined).sort((a, b) => a - b);
  const measured = kind === 'measured';
  const predicted = metrics.some((m) => m.predictedLatencyMs !== undefined);
  return [
    device,
    kind,
    mostCommon(infos.map((i) => i.runtime)) || (measured ? String(profile?.runtime ?? '') : '—'),
    mostCommon(infos.map((i) => i.runtimeVersion)) || '—',
    mostCommon(infos.map((i) => i.provider)) || '—',
    mostCommon(infos.map((i) => i.threads)) || (profile?.threads !== undefined ? String(profile.threads) : '—'),
    measured && timing.warmupRuns !== undefined ? `${timing.warmupRuns} runs and at least ${timing.warmupMs} ms` : '—',
    measured && timing.iterations !== undefined
      ? `at least ${timing.iterations} runs and ${timing.minTimeMs} ms${timing.minRounds !== undefined ? ` in at least ${timing.minRounds} interleaved rounds, until the 95% CI is within ±${timing.ciTolerancePct}% or ${timing.maxTimeMs} ms` : ''}${samples.length ? ` (median ${samples[(samples.length - 1) >> 1]} runs per architecture)` : ''}`
      : '—',
    measured
      ? (metrics.some((m) => m.ciHalfWidthPct !== undefined)
        ? `latencyMs = median over interleaved rounds of each round's median; ciHalfWidthPct = its 95% CI (order statistics); reference network between rounds (referenceDriftPct); p90Ms, iqrMs, cv over all runs${predicted ? '; predictedLatencyMs from a profiled LUT' : ''}`
        : `latencyMs = median of the timed runs; p90Ms, iqrMs, cv recorded${predicted ? '; predictedLatencyMs from a profiled LUT' : ''}`)
      : kind === 'table' ? 'as published' : kind === 'lut' ? 'sum of per-layer LUT entries' : '',
    kind === 'table' ? [profile?.table !== undefined ? `table ${String(profile.table)}/${String(profile.key ?? '')}` : '', mostCommon(infos.map((i) => i.latencySource))].filter(Boolean).join(', ')
      : kind === 'lut' ? `LUT ${String(profile?.lut ?? '')}${infos[0]?.latencySource ? ` (${mostCommon(infos.map((i) => i.latencySource))})` : ''}`
      : String(profile?.description ?? ''),
  ];
}
