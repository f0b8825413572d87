import type { Io } from '../util/io.ts';

/** One CLI command: `hwnas <name> [flags]`. Returns the process exit code. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Multi-line usage text shown by `hwnas <name> --help`. */
  readonly usage: string;
  run(argv: readonly string[], io: Io): Promise<number>;
}
