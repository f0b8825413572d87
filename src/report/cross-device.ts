import { dominates } from '../pareto/dominance.ts';
import { nonDominatedSort } from '../pareto/non-dominated-sort.ts';
import { paretoFront, type LeaderboardRow } from '../record/leaderboard.ts';
import type { Objective } from '../record/metric-registry.ts';
import { getLatencyTable } from '../tables/table-data.ts';
import { spearman } from '../util/spearman.ts';
import { minimisationVector } from './truth-file.ts';

/** One device of a multi-device search, as the cross-device view needs it. */
export interface DeviceRows {
  device: string;
  /** Device profile from config.json (a table device's `table` and `key` allow look-ups). */
  profile: Record<string, unknown> | undefined;
  rows: readonly LeaderboardRow[];
}

/** An architecture of A's front placed on device B. */
export interface PlacedArch {
  arch: string;
  /** Latency on A (the front's own device) and on B. */
  latencyA: number;
  latencyB: number | undefined;
  /** Where B's latency came from: B's journal, A's record (`latencyMs@B`), B's table. */
  sourceB: 'journal' | 'metric' | 'table' | 'none';
  /** Pareto rank the architecture would have among B's evaluated architectures (1 = on B's front). */
  rankOnB: number | undefined;
  metrics: Record<string, number>;
}

/** A's front on B. */
export interface FrontOnDevice {
  from: string;
  to: string;
  placed: PlacedArch[];
  /** Share (0–1) of A's front placed on B that is on B's front (rank 1). */
  onFrontShare: number;
  medianRank: number;
  /** Spearman ρ of latency on A vs on B over A's evaluated architectures whose latency on B is known. */
  latencySpearman: number;
  commonArchs: number;
}

/** Latency of `arch` on a table device, when the device's table covers the space. */
export function tableLatency(profile: Record<string, unknown> | undefined, space: string, arch: string): number | undefined {
  if (!profile || profile.kind !== 'table' || typeof profile.table !== 'string' || typeof profile.key !== 'string') return undefined;
  const table = getLatencyTable(profile.table);
  if (!table || !table.spaces.includes(space)) return undefined;
  const row = table.rowOf(arch);
  if (row === undefined) return undefined;
  return table.column(profile.key)?.[row];
}

/** Latency of `arch` on device `d`: its journal, a joint-search metric `latencyMs@<d>`, or its table. */
export function latencyOn(d: DeviceRows, space: string, arch: string, byArch: Map<string, LeaderboardRow>, from?: LeaderboardRow): { ms: number | undefined; source: PlacedArch['sourceB'] } {
  const own = byArch.get(arch)?.metrics.latencyMs;
  if (own !== undefined) return { ms: own, source: 'journal' };
  const joint = from?.metrics[`latencyMs@${d.device}`];
  if (joint !== undefined) return { ms: joint, source: 'metric' };
  const t = tableLatency(d.profile, space, arch);
  return t !== undefined ? { ms: t, source: 'table' } : { ms: undefined, source: 'none' };
}

/**
 * Each device's found front placed on every other device: the latency there and the Pareto rank it
 * would take among that device's evaluated architectures (rank(p) = 1 + the largest rank of the
 * evaluated points that dominate p; 1 when none does). Objectives other than latency (accuracy,
 * params, FLOPs) do not depend on the device.
 */
export function crossDevice(devices: readonly DeviceRows[], objectives: readonly Objective[], space: string): FrontOnDevice[] {
  const out: FrontOnDevice[] = [];
  const index = devices.map((d) => new Map(d.rows.map((r) => [r.arch, r])));
  const ranked = devices.map((d) => {
    const pts = d.rows.map((r) => minimisationVector(objectives, r.metrics)).filter((v): v is number[] => v !== undefined);
    const rank = new Array<number>(pts.length).fill(0);
    nonDominatedSort(pts).forEach((f, k) => f.forEach((i) => (rank[i] = k + 1)));
    return { pts, rank };
  });
  devices.forEach((a, ia) => {
    const front = paretoFront(a.rows);
    devices.forEach((b, ib) => {
      if (ia === ib) return;
      const placed: PlacedArch[] = front.map((r) => {
        const lb = latencyOn(b, space, r.arch, index[ib]!, r);
        const metrics = { ...r.metrics, ...(lb.ms !== undefined && { latencyMs: lb.ms }) };
        let rankOnB: number | undefined;
        const p = lb.ms !== undefined ? minimisationVector(objectives, metrics) : undefined;
        if (p) {
          let worst = 0;
          const { pts, rank } = ranked[ib]!;
          for (let i = 0; i < pts.length; i++) if (rank[i]! > worst && dominates(pts[i]!, p)) worst = rank[i]!;
          rankOnB = worst + 1;
        }
        return { arch: r.arch, latencyA: r.metrics.latencyMs ?? NaN, latencyB: lb.ms, sourceB: lb.source, rankOnB, metrics };
      });
      const ranks = placed.map((p) => p.rankOnB).filter((x): x is number => x !== undefined).sort((x, y) => x - y);
      const paired = a.rows.map((r) => [r.metrics.latencyMs, latencyOn(b, space, r.arch, index[ib]!, r).ms] as const)
        .filter((x): x is readonly [number, number] => x[0] !== undefined && x[1] !== undefined);
      out.push({
        from: a.device, to: b.device, placed,
        onFrontShare: ranks.length ? ranks.filter((x) => x === 1).length / ranks.length : NaN,
        medianRank: ranks.length ? (ranks[(ranks.length - 1) >> 1]! + ranks[ranks.length >> 1]!) / 2 : NaN,
        latencySpearman: paired.length >= 2 ? spearman(paired.map((x) => x[0]), paired.map((x) => x[1])) : NaN,
        commonArchs: paired.length,
      });
    });
  });
  return out;
}
