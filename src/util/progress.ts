import type { Io } from './io.ts';

/**
 * Progress of a long run on stderr: a redrawn bar on a terminal; otherwise a plain line at every
 * 10 %, and between those a line when something changed (a candidate finished, training advanced)
 * but no more often than a sixth of the time elapsed, between 1 s and {@link Progress.quietMs}: the
 * first signs of progress show within seconds, a long run writes a line every few seconds at most.
 */
export class Progress {
  private lastDecile = -1;
  private readonly startMs = performance.now();
  private lastLineMs = -Infinity;
  private lastText = '';
  /** Longest least time between two plain lines that are not a new 10 % step. @defaultValue 10000 */
  quietMs = 10_000;

  constructor(private readonly io: Io, private readonly label: string, private readonly total: number) {}

  /**
   * Show `done` of the total with a note. The estimated time left is `etaS` when given (a caller that
   * measures per-item cost), else elapsed time per item done × items left; `NaN`: none shown.
   */
  update(done: number, note = '', etaS?: number): void {
    const frac = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const now = performance.now();
    const elapsedS = (now - this.startMs) / 1000;
    const eS = etaS ?? (done > 0 ? (elapsedS / done) * (this.total - done) : NaN);
    const eta = Number.isFinite(eS) && done < this.total ? ` eta ${formatSeconds(eS)}` : '';
    if (this.io.isTty) {
      const width = 24;
      const filled = Math.round(frac * width);
      const bar = '#'.repeat(filled) + '.'.repeat(width - filled);
      this.io.err(`\r${this.label} [${bar}] ${done}/${this.total}${eta} ${note}`.padEnd(100).slice(0, 160));
      return;
    }
    const decile = Math.floor(frac * 10);
    const text = `${done} ${note}`;
    const quiet = Math.min(this.quietMs, Math.max(1000, (now - this.startMs) / 6));
    if (decile > this.lastDecile || (text !== this.lastText && now - this.lastLineMs >= quiet)) {
      this.lastDecile = Math.max(this.lastDecile, decile);
      this.lastLineMs = now;
      this.lastText = text;
      this.io.err(`${this.label}: ${done}/${this.total} (${Math.round(frac * 100)}%) ${formatSeconds(elapsedS)} elapsed${eta} ${note}`.trimEnd() + '\n');
    }
  }

  done(note = ''): void {
    if (this.io.isTty) this.io.err('\n');
    if (note) this.io.err(`${this.label}: ${note}\n`);
  }
}

/** `42s`, `3m07s`, `1h02m`. */
export function formatSeconds(s: number): string {
  const total = Math.round(s);
  if (total < 60) return `${total}s`;
  if (total < 3600) return `${Math.floor(total / 60)}m${String(total % 60).padStart(2, '0')}s`;
  return `${Math.floor(total / 3600)}h${String(Math.floor((total % 3600) / 60)).padStart(2, '0')}m`;
}
