import { InputError } from '../errors.ts';
import type { StrategyContext } from './strategy.ts';

/**
 * Typed access to `StrategyContext.options`. A value of the wrong type or out of range is an
 * {@link InputError} naming the option (`--strategy-option` / config `strategyOptions`).
 */
export function numberOption(ctx: StrategyContext, name: string, dflt: number, min = -Infinity, max = Infinity, integer = false): number {
  const v = ctx.options[name];
  if (v === undefined) return dflt;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new InputError('bad-flag', `bad strategy option ${name}`, {
      path: name,
      expected: `${integer ? 'an integer' : 'a number'} in [${min}, ${max}]`,
      actual: JSON.stringify(v),
    });
  }
  return n;
}

/** An integer option; see {@link numberOption}. */
export function intOption(ctx: StrategyContext, name: string, dflt: number, min = -Infinity, max = Infinity): number {
  return numberOption(ctx, name, dflt, min, max, true);
}

/** A string option restricted to `choices`. */
export function choiceOption<T extends string>(ctx: StrategyContext, name: string, choices: readonly T[], dflt: T): T {
  const v = ctx.options[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) {
    throw new InputError('bad-flag', `bad strategy option ${name}`, { path: name, expected: `one of ${choices.join(', ')}`, actual: JSON.stringify(v) });
  }
  return v as T;
}

/** A boolean option (`true`/`false` strings accepted). */
export function booleanOption(ctx: StrategyContext, name: string, dflt: boolean): boolean {
  const v = ctx.options[name];
  if (v === undefined) return dflt;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new InputError('bad-flag', `bad strategy option ${name}`, { path: name, expected: 'true or false', actual: JSON.stringify(v) });
}
