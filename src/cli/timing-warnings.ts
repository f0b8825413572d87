import { STRICT_TIMING_EXIT_CODE, timingWarningText, type TimingQuality } from '../latency/timing-quality.ts';
import type { Io } from '../util/io.ts';

export { STRICT_TIMING_EXIT_CODE };

/** Print one loud `WARNING:` line per device whose timing missed its tolerance; returns how many. */
export function timingWarnings(io: Io, qualities: readonly (TimingQuality | undefined)[]): number {
  let n = 0;
  for (const q of qualities) {
    const text = timingWarningText(q);
    if (text === undefined) continue;
    io.err(`\n*** WARNING: ${text} ***\n\n`);
    n++;
  }
  return n;
}

/** The exit of a run under `--strict-timing` whose timing missed its tolerance. */
export function strictTimingExit(io: Io): number {
  io.err(`--strict-timing: exit ${STRICT_TIMING_EXIT_CODE}: the measured latencies are not within their timing tolerance (everything was written; see the warning above)\n`);
  return STRICT_TIMING_EXIT_CODE;
}
