import { parseArgs } from 'node:util';
import { InputError } from '../errors.ts';

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

/**
 * `--flag value` → `--flag=value` for the string flags of `spec`, so that a value starting with a
 * dash (`--budget -5`, `--seed -1`) reaches the flag's own check, which names the expected range,
 * instead of node's "argument is ambiguous". A string flag followed by another flag (`--out --resume`)
 * or by nothing is missing its value.
 */
function joinValues(argv: readonly string[], spec: FlagSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const name = a.startsWith('--') && !a.includes('=') ? a.slice(2) : undefined;
    if (name === undefined || spec[name]?.type !== 'string') {
      out.push(a);
      continue;
    }
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) {
      throw new InputError('bad-flag', 'missing value', { path: a, expected: 'a value after the flag', actual: next === undefined ? 'nothing' : `the flag ${next}` });
    }
    out.push(`${a}=${next}`);
    i++;
  }
  return out;
}

/**
 * Parse `--flag value` arguments strictly: an unknown flag, a missing value or a stray positional
 * argument is an {@link InputError} (exit 2) naming the flag.
 */
export function parseFlags<S extends FlagSpec>(argv: readonly string[], spec: S) {
  const args = joinValues(argv, spec);
  try {
    const { values } = parseArgs({ args, options: { ...spec, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
    return values as { [K in keyof S]?: S[K]['multiple'] extends true ? (S[K]['type'] extends 'boolean' ? boolean[] : string[]) : S[K]['type'] extends 'boolean' ? boolean : string } & { help?: boolean };
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0] ?? 'bad arguments';
    const stray = /^Unexpected argument '(.*)'/.exec(msg)?.[1];
    if (stray !== undefined) throw new InputError('bad-flag', `unexpected argument ${JSON.stringify(stray)}`, { expected: 'flags only, each --name value (see --help)' });
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
  const isInt = /^\s*[-+]?\d+\s*$/.test(value) && Number.isSafeInteger(n);
  if (!isInt || n < min || n > max) {
    throw new InputError('bad-flag', isInt || /^\s*[-+]?\d+\s*$/.test(value) ? 'out of range' : 'not a valid integer', { path: flag, expected: `an integer in [${min}, ${max === Number.MAX_SAFE_INTEGER ? '∞' : max}]`, actual: JSON.stringify(value) });
  }
  return n;
}

/** A finite number flag; undefined gives the default. */
export function numberFlag(value: string | undefined, flag: string, dflt: number, min = -Infinity, max = Infinity): number {
  if (value === undefined) return dflt;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    const isNumber = value.trim() !== '' && !Number.isNaN(n);
    throw new InputError('bad-flag', isNumber ? 'out of range' : 'not a valid number', { path: flag, expected: `a number in ${min === Number.MIN_VALUE ? '(0' : `[${min}`}, ${max === Infinity ? '∞)' : `${max}]`}`, actual: JSON.stringify(value) });
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
