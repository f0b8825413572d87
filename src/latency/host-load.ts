import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

/**
 * How busy the machine is: the load averages, and on Linux the CPU time counters of `/proc/stat`
 * (steal: time a hypervisor gave this VM's virtual CPUs to other guests). Recorded before and after
 * measuring, so a row or a run says under which load its latencies were taken.
 */
export interface HostLoad {
  /** ISO time of the snapshot. */
  at: string;
  /** 1, 5 and 15 minute load averages (processes running or waiting for a CPU); zeros on Windows. */
  loadAvg: [number, number, number];
  /** Logical CPUs this process may use. */
  cpus: number;
  /** Aggregate CPU counters (USER_HZ ticks since boot) where the OS reports them (Linux). */
  ticks?: { steal: number; total: number };
}

/** The CPU line of /proc/stat: user nice system idle iowait irq softirq steal … (proc(5)). */
function procStatTicks(): HostLoad['ticks'] {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    if (!line.startsWith('cpu ')) return undefined;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    if (v.length < 8 || v.some((x) => !Number.isFinite(x))) return undefined;
    // guest and guest_nice (fields 9, 10) are already counted in user and nice.
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { steal: v[7]!, total };
  } catch {
    return undefined;
  }
}

/** The load of the machine now. */
export function hostLoad(): HostLoad {
  const [a, b, c] = loadavg();
  const ticks = procStatTicks();
  return { at: new Date().toISOString(), loadAvg: [a ?? 0, b ?? 0, c ?? 0], cpus: availableParallelism(), ...(ticks && { ticks }) };
}

/** Share of CPU time stolen by the hypervisor between two snapshots, in %; undefined where not reported. */
export function cpuStealPct(before: HostLoad, after: HostLoad): number | undefined {
  if (!before.ticks || !after.ticks) return undefined;
  const total = after.ticks.total - before.ticks.total;
  if (total <= 0) return 0;
  return (100 * Math.max(0, after.ticks.steal - before.ticks.steal)) / total;
}
