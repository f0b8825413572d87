import { readFileSync } from 'node:fs';

/**
 * CPU time this process has used so far, in seconds: user + system time of every thread
 * (`process.cpuUsage()`, i.e. getrusage(RUSAGE_SELF), so worker threads count) plus, on Linux, the
 * user + system time of its child processes that have ended and been reaped (`cutime` + `cstime`
 * of /proc/self/stat, fields 16 and 17; Node reaps a child before it reports the child's exit).
 * A child still running counts only once it ends. Clock ticks are taken as 100 per second, Linux's
 * USER_HZ on every mainstream architecture, so children count to 10 ms. Elsewhere `children` is 0.
 */
export function cpuSecondsNow(): { self: number; children: number; total: number } {
  const u = process.cpuUsage();
  const self = (u.user + u.system) / 1e6;
  const children = childCpuSeconds();
  return { self, children, total: self + children };
}

/** Whether {@link cpuSecondsNow} can see child processes' time here (Linux /proc). */
export function countsChildCpu(): boolean {
  return readStat() !== undefined;
}

const USER_HZ = 100;

function readStat(): string | undefined {
  try {
    return readFileSync('/proc/self/stat', 'utf8');
  } catch {
    return undefined;
  }
}

function childCpuSeconds(): number {
  const stat = readStat();
  if (stat === undefined) return 0;
  // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state), so field k is rest[k - 3].
  const cutime = Number(rest[16 - 3]);
  const cstime = Number(rest[17 - 3]);
  return Number.isFinite(cutime) && Number.isFinite(cstime) ? (cutime + cstime) / USER_HZ : 0;
}
