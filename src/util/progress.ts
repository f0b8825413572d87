import type { Io } from './io.ts';

/**
 * Progress of a long run on stderr: a redrawn bar on a terminal, otherwise a plain line at every 10 %.
 */
export class Progress {
  private lastDecile = -1;
  private readonly startMs = performance.now();

  constructor(private readonly io: Io, private readonly label: string, private readonly total: number) {}

  update(done: number, note = ''): void {
    const frac = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const elapsedS = (performance.now() - this.startMs) / 1000;
    const etaS = done > 0 ? (elapsedS / done) * (this.total - done) : NaN;
    const eta = Number.isFinite(etaS) ? ` eta ${formatSeconds(etaS)}` : '';
    if (this.io.isTty) {
      const width = 24;
      const filled = Math.round(frac * width);
      const bar = '#'.repeat(filled) + '.'.repeat(width - filled);
      this.io.err(`\r${this.label} [${bar}] ${done}/${this.total}${eta} ${note}`.padEnd(100).slice(0, 120));
    } else {
      const decile = Math.floor(frac * 10);
      if (decile > this.lastDecile) {
        this.lastDecile = decile;
        this.io.err(`${this.label}: ${done}/${this.total} (${Math.round(frac * 100)}%) ${formatSeconds(elapsedS)} elapsed${eta} ${note}\n`);
      }
    }
  }

  done(note = ''): void {
    if (this.io.isTty) this.io.err('\n');
    if (note) this.io.err(`${this.label}: ${note}\n`);
  }
}

function formatSeconds(s: number): string {
  const total = Math.round(s);
  if (total < 60) return `${total}s`;
  return `${Math.floor(total / 60)}m${String(total % 60).padStart(2, '0')}s`;
}
