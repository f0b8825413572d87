import { readFileSync, statSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { InputError } from '../errors.ts';
import { MAX_JSON_DEPTH, MAX_JSON_FILE_BYTES } from '../limits.ts';

const ajv = new Ajv({ allErrors: false, strict: true, strictRequired: false, allowUnionTypes: true });
const compiled = new WeakMap<object, ValidateFunction>();

/** Read a text file; a failure is an {@link InputError} naming the file. */
export function readTextFile(file: string): string {
  try {
    const st = statSync(file);
    if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: st.isDirectory() ? 'EISDIR' : 'not a regular file' });
    if (st.size > MAX_JSON_FILE_BYTES) {
      throw new InputError('io', 'file too large', { file, expected: `at most ${MAX_JSON_FILE_BYTES / 1024 / 1024} MiB`, actual: `${(st.size / 1024 / 1024).toFixed(1)} MiB` });
    }
    return readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError('io', `cannot read file (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { file });
  }
}

/** Read and parse a JSON file; malformed JSON is an {@link InputError} naming file, line and column. */
export function readJsonFile(file: string): unknown {
  return parseJson(readTextFile(file), file);
}

/** Parse JSON text; a syntax error names the file and line:column. */
export function parseJson(text: string, file: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const m = /position (\d+)/.exec(msg);
    let where = '';
    if (m) {
      const pos = Number(m[1]);
      const before = text.slice(0, pos);
      const line = before.split('\n').length;
      const col = pos - before.lastIndexOf('\n');
      where = ` at line ${line}, column ${col}`;
    }
    throw new InputError('bad-json', `malformed JSON${where}`, { file, expected: 'valid JSON', actual: JSON.stringify(msg) });
  }
  const depth = jsonDepth(value, MAX_JSON_DEPTH + 1);
  if (depth > MAX_JSON_DEPTH) {
    throw new InputError('bad-json', 'JSON nested too deep', { file, expected: `at most ${MAX_JSON_DEPTH} levels of arrays and objects`, actual: 'more' });
  }
  return value;
}

/** Nesting depth of a parsed JSON value (a scalar is 0), counted without recursion up to `stopAt`. */
export function jsonDepth(value: unknown, stopAt: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, d + 1);
    if (deepest >= stopAt) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
  return deepest;
}

function describeValue(v: unknown): string {
  const s = JSON.stringify(v);
  if (s === undefined) return 'nothing';
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function valueAt(data: unknown, pointer: string): unknown {
  let cur: unknown = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function pickError(errors: readonly ErrorObject[]): ErrorObject {
  // "if"/"then" wrappers and oneOf summaries say less than the error they wrap.
  return errors.find((e) => e.keyword !== 'if' && e.keyword !== 'oneOf' && e.keyword !== 'anyOf') ?? errors[0]!;
}

/**
 * Validate `data` against a JSON Schema with ajv; the first violation becomes an {@link InputError}
 * (`schema`) naming the file, the JSON path, what the schema expects and the value found.
 */
export function validateAgainst<T>(schema: object, data: unknown, file: string): T {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(data)) return data as T;
  const err = pickError(validate.errors ?? []);
  let path = err.instancePath || '/';
  let expected = err.message ?? 'a valid value';
  if (err.keyword === 'additionalProperties') {
    const extra = (err.params as { additionalProperty: string }).additionalProperty;
    path = `${err.instancePath}/${extra}`;
    return fail(file, path, 'no such property', `"${extra}"`);
  }
  if (err.keyword === 'required') {
    const missing = (err.params as { missingProperty: string }).missingProperty;
    return fail(file, `${err.instancePath}/${missing}`, 'a required property', 'nothing');
  }
  if (err.keyword === 'enum') expected = `one of ${JSON.stringify((err.params as { allowedValues: unknown[] }).allowedValues)}`;
  if (err.keyword === 'const') expected = `${JSON.stringify((err.params as { allowedValue: unknown }).allowedValue)}`;
  return fail(file, path, expected, describeValue(valueAt(data, err.instancePath)));
}

function fail(file: string, path: string, expected: string, actual: string): never {
  throw new InputError('schema', 'does not match the schema', { file, path, expected, actual });
}
