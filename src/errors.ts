/**
 * Typed errors. Bad input (a malformed file, an unknown id, a bad flag, an impossible shape) is an
 * {@link InputError}: the CLI prints its one-line message and exits with code 2. Anything else that
 * throws is a bug and keeps its stack trace.
 */

/** Machine-readable reason of an {@link InputError}. */
export type InputErrorCode =
  | 'bad-flag'
  /** A library call's argument of the wrong type or out of range (the path names the API field). */
  | 'bad-argument'
  | 'bad-json'
  | 'schema'
  | 'unknown-id'
  | 'bad-arch'
  | 'bad-shape'
  | 'bad-metric'
  | 'incompatible'
  | 'unavailable'
  | 'io';

export interface InputErrorDetails {
  /** File the bad input came from, if any. */
  file?: string;
  /** JSON path (e.g. `/stages/1/channels`) or flag name (`--budget`). */
  path?: string;
  /** What was expected. */
  expected?: string;
  /** What was found. */
  actual?: string;
}

/** Bad input from a user: printed as one line, exit code 2. */
export class InputError extends Error {
  readonly code: InputErrorCode;
  readonly file: string | undefined;
  readonly path: string | undefined;
  readonly expected: string | undefined;
  readonly actual: string | undefined;
  /** Process exit code the CLI uses for this error. @defaultValue 2 */
  readonly exitCode: number;
  /** The message without file, path, expected and actual. */
  readonly reason: string;

  constructor(code: InputErrorCode, message: string, details: InputErrorDetails = {}, exitCode = 2) {
    super(InputError.format(message, details));
    this.name = 'InputError';
    this.reason = message;
    this.code = code;
    this.file = details.file;
    this.path = details.path;
    this.expected = details.expected;
    this.actual = details.actual;
    this.exitCode = exitCode;
  }

  /** The same error, said of `file` (when it names no file yet). */
  inFile(file: string): InputError {
    if (this.file !== undefined) return this;
    const d: InputErrorDetails = { file };
    if (this.path !== undefined) d.path = this.path;
    if (this.expected !== undefined) d.expected = this.expected;
    if (this.actual !== undefined) d.actual = this.actual;
    return new InputError(this.code, this.reason, d, this.exitCode);
  }

  private static format(message: string, d: InputErrorDetails): string {
    const where = [d.file, d.path].filter((s) => s !== undefined && s !== '').join(' at ');
    let out = where ? `${where}: ${message}` : message;
    if (d.expected !== undefined) out += `; expected ${d.expected}`;
    if (d.actual !== undefined) out += `, got ${d.actual}`;
    return out;
  }
}

/** A device profile or runtime that cannot start here; exit code 3, never a silent fallback. */
export class UnavailableError extends InputError {
  constructor(what: string, reason: string) {
    super('unavailable', `${what} unavailable: ${reason}`, {}, 3);
    this.name = 'UnavailableError';
  }
}

/** Render any thrown value as a single line. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message.split('\n')[0] ?? e.name;
  return String(e);
}
