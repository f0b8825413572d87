/** Where a command writes: stdout for results, stderr for progress and messages. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (draw a progress bar) or not (print plain lines). */
  readonly isTty: boolean;
}

/** The process's own stdout / stderr. */
export const processIo: Io = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  isTty: Boolean(process.stderr.isTTY),
};
