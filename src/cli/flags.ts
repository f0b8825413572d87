import { parseArgs } from 'node:util';
import { InputError } from '../errors.ts';

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

/**
 * Parse `--flag value` arguments strictly: an unknown flag, a missing value or a stray positional
 * argument is an {@link InputError} (exit 2) naming the flag.
 */
export function parseFlags<S extends FlagSpec>(argv: readonly string[], spec: S) {
  try {
    const { values } = parseArgs({ args: [...argv], options: { ...spec, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
    return values as { [K in keyof S]?: S[K]['multiple'] extends true ? (S[K]['type'] extends 'boolean' ? boolean[] : string[]) : S[K]['type'] extends 'boolean' ? boolean : string } & { help?: boolean };
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0] ?? 'bad arguments';
    const flag = /'(-[^']+)'/.exec(msg)?.[1];
    throw new InputError('bad-flag', msg.replace(/\. To specify.*$/, ''), flag ? { path: flag } : {});
  }
}

/** A required string flag. */
export function requireFlag(value: string | undefined, flag: string, expected: string): string {
  if (value === undefined || value === '') throw new InputError('bad-flag', 'missing flag', { path: flag, expected, actual: 'nothing' });
  return value;
}

/** An integer flag within bounds (inclusive); undefined gives the default. */
export function intFlag(value: string | undefined, flag: string, dflt: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return dflt;
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new InputError('bad-flag', 'not a valid integer', { path: flag, expected: `an integer in [${min}, ${max === Number.MAX_SAFE_INTEGER ? '∞' : max}]`, actual: JSON.stringify(value) });
  }
  return n;
}

/** A finite number flag; undefined gives the default. */
export function numberFlag(value: string | undefined, flag: string, dflt: number, min = -Infinity, max = Infinity): number {
  if (value === undefined) return dflt;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new InputError('bad-flag', 'not a valid number', { path: flag, expected: `a number in [${min}, ${max}]`, actual: JSON.stringify(value) });
  }
  return n;
}

/** One of a fixed set of values. */
export function choiceFlag<T extends string>(value: string | undefined, flag: string, choices: readonly T[], dflt: T): T {
  if (value === undefined) return dflt;
  if (!(choices as readonly string[]).includes(value)) {
    throw new InputError('bad-flag', 'unknown value', { path: flag, expected: `one of ${choices.join(', ')}`, actual: JSON.stringify(value) });
  }
  return value as T;
}

/** Comma-separated list flag (`a,b,c`), empty items dropped. */
export function listFlag(value: string | undefined): string[] | undefined {
  return value?.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/**
 * {@link parseFlags} for commands that also take positional arguments (`hwnas report DIR…`): the
 * flags as {@link parseFlags} gives them, and the positionals in order.
 */
export function parseFlagsAndArgs<S extends FlagSpec>(argv: readonly string[], spec: S) {
  const positionals: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('-') && a !== '-') {
      rest.push(a);
      const name = a.replace(/^--?/, '').split('=')[0]!;
      const s = spec[name] ?? Object.values(spec).find((x) => x.short === name);
      if (s?.type === 'string' && !a.includes('=') && i + 1 < argv.length) rest.push(argv[++i]!);
    } else positionals.push(a);
  }
  return { flags: parseFlags(rest, spec), positionals };
}
