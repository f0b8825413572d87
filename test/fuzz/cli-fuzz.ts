import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { runCliProcess } from '../helpers/cli-process.ts';
import { journalEntryProblem } from '../../src/record/journal.ts';
import { inputRoadProperties } from './input-roads-fuzz.ts';

/**
 * Property-based fuzzing of the CLI's contract (issue #13). A case is a plain value (printed as the
 * shrunk counterexample when it fails): the files to write and the argv to run in a child process,
 * with `$IN` (a folder holding the case's files), `$OUT` (a fresh path that does not exist yet) and
 * `$FILE` (a plain file) in place of paths. The contract, checked on every case:
 * - never a hang (the child is killed with SIGKILL at the time limit) and never a stack trace;
 * - exit 2 or 3: exactly one stderr line `hwnas <command>: …` naming a flag, a file or a JSON path,
 *   and nothing written: `$OUT` absent or empty, the working folder empty;
 * - exit 0: well-formed output: no NaN, CSVs parse into equal-width rows, no negative latency,
 *   every journal line a JSON record with n, arch, genotype, outcome, evalMs;
 * - exit 1 only where a command says candidates failed ("architectures failed"), or suite verify differences;
 * - no file outside `$OUT` changes (nothing written through a link), and every journal line a run
 *   writes passes the check `--resume` makes of it (one rule for both roads).
 */
export interface FuzzCase {
  /** Files to write into `$IN`, by name: text, or bytes given as an array of numbers. */
  files: Record<string, string | number[]>;
  args: string[];
  /** Files copied from a template run into `$OUT` before the run (journal fuzzing). */
  seedOut?: Record<string, string>;
  /** Symbolic links made in `$OUT` before the run, by name: their targets (`$IN/…` allowed). */
  linksOut?: Record<string, string>;
  /** Folders made in `$OUT` before the run. */
  dirsOut?: string[];
}

/** Per stream of a property: values put in for `$NAME` placeholders (`$REDIS`), and its clean-up. */
export interface StreamContext {
  readonly vars: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/** Per-case time limit; a case that needs more is a hang. Cases are sized to take about a second. */
export const CASE_TIMEOUT_MS = Number(process.env['HWNAS_FUZZ_CASE_TIMEOUT_MS'] ?? 90_000);

// ---- values ------------------------------------------------------------------------------------

/** Values that break a field: wrong types, out of range, huge, empty. */
export const badValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(-1, 0, 1.5, 1e9, 1e300, 2 ** 53 + 2, -7.5, '', 'x', 'NaN', null, true, [], {}, [1, 2, 3], { a: 1 }),
  fc.integer({ min: -1000, max: 100000 }),
  fc.string({ maxLength: 12 }),
  fc.constant('x'.repeat(20000)),
);

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** JSON pointers to every value in `v`. */
export function paths(v: Json, at: string[] = []): string[][] {
  const out: string[][] = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, String(i)])));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}

export function setAt(root: Json, path: string[], value: unknown, op: 'set' | 'delete' | 'add'): Json {
  const copy = structuredClone(root) as Json;
  if (path.length === 0) return op === 'set' ? (value as Json) : copy;
  let cur = copy as Record<string, Json>;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string, Json>;
  const last = path.at(-1)!;
  if (op === 'delete') {
    if (Array.isArray(cur)) cur.splice(Number(last), 1);
    else delete cur[last];
  } else if (op === 'add' && cur !== null && typeof cur === 'object' && !Array.isArray(cur)) {
    cur['unexpectedKey'] = value as Json;
  } else {
    cur[last] = value as Json;
  }
  return copy;
}

/** A JSON document from templates: valid, slightly broken (one field changed) or wildly broken. */
export function jsonFile(templates: readonly Json[], valid: (t: Json) => fc.Arbitrary<Json>): fc.Arbitrary<string | number[]> {
  const slightly = fc
    .tuple(fc.constantFrom(...templates), fc.nat(), fc.constantFrom('set', 'set', 'delete', 'add') as fc.Arbitrary<'set' | 'delete' | 'add'>, badValue)
    .map(([t, i, op, v]) => {
      const ps = paths(t).filter((p) => p.length > 0);
      return JSON.stringify(setAt(t, ps[i % ps.length]!, v, op));
    });
  const wildly = fc.oneof(
    fc.json({ maxDepth: 3 }),
    fc.string({ maxLength: 40 }),
    fc.constantFrom('', '{', '[]', 'null', '{"family":"chain"}', '{"kind":"measured"}', '\u0000\u0001'),
    fc.integer({ min: 1, max: 200_000 }).map((d) => '['.repeat(d) + ']'.repeat(d)),
    fc.tuple(fc.constantFrom(...templates), fc.nat()).map(([t, n]) => {
      const s = JSON.stringify(t);
      return s.slice(0, n % s.length);
    }),
    fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 64 }),
  );
  return fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...templates).chain(valid).map((t) => JSON.stringify(t)) },
    { weight: 5, arbitrary: slightly },
    { weight: 2, arbitrary: wildly },
  );
}

// ---- space files -------------------------------------------------------------------------------

const ROOT = new URL('../../', import.meta.url);
const readJson = (rel: string): Json => JSON.parse(readFileSync(new URL(rel, ROOT), 'utf8')) as Json;
const SPACES = ['nasbench-macro', 'nb201', 'mnasnet', 'fbnet-cifar100', 'ofa-mbv3', 'proxyless-mobile'];
const spaceTemplates: Json[] = SPACES.map((id) => ({ ...(readJson(`spaces/${id}.json`) as Record<string, Json>), id: 'fuzz' }));

/** A valid variation: one number scaled within [1, 2×]. */
const validSpace = (t: Json): fc.Arbitrary<Json> =>
  fc.tuple(fc.nat(), fc.double({ min: 0.5, max: 2, noNaN: true })).map(([i, f]) => {
    const ps = paths(t).filter((p) => p.length > 0 && typeof p.reduce<Json>((v, k) => (v as Record<string, Json>)[k]!, t) === 'number' && !p.includes('id'));
    const p = ps[i % ps.length]!;
    const v = p.reduce<Json>((x, k) => (x as Record<string, Json>)[k]!, t) as number;
    return Number.isInteger(v) && v > 0 ? setAt(t, p, Math.max(1, Math.round(v * f)), 'set') : t;
  });

export const spaceFileCase: fc.Arbitrary<FuzzCase> = fc
  .tuple(jsonFile(spaceTemplates, validSpace), fc.constantFrom('eval', 'eval-all', 'export', 'spaces-file'), fc.integer({ min: 1, max: 3 }), fc.nat(1000))
  .map(([file, cmd, n, seed]) => {
    const space = '$IN/space.json';
    const args =
      cmd === 'eval' ? ['eval', '--space', space, '--random', String(n), '--seed', String(seed)]
      : cmd === 'eval-all' ? ['eval', '--space', space, '--all', '--metrics', 'params']
      : cmd === 'export' ? ['export', '--space', space, '--random', String(n), '--seed', String(seed), '--out', '$OUT']
      : ['eval', '--space', space, '--random', '1', '--metrics', 'params,flops,accuracy'];
    return { files: { 'space.json': file }, args };
  });

// ---- device files ------------------------------------------------------------------------------

const deviceTemplates: Json[] = [
  { id: 'fuzz-cpu', kind: 'measured', runtime: 'ort-cpu', threads: 1, timing: { warmupRuns: 0, warmupMs: 0, iterations: 2, minTimeMs: 0 } },
  { id: 'fuzz-tfjs', kind: 'measured', runtime: 'tfjs-cpu', timing: { warmupRuns: 0, warmupMs: 0, iterations: 1, minTimeMs: 0 } },
  { id: 'fuzz-gpu', kind: 'measured', runtime: 'ort-webgpu' },
  { id: 'fuzz-table', kind: 'table', table: 'nb201', key: 'fpga', spaces: ['nb201'] },
  { id: 'fuzz-lut', kind: 'lut', lut: 'proxylessnas_mobile_trim', spaces: ['proxyless-mobile'] },
];

export const deviceFileCase: fc.Arbitrary<FuzzCase> = fc
  .tuple(jsonFile(deviceTemplates, (t) => fc.constant(t)), fc.constantFrom('nasbench-macro', 'nb201', 'proxyless-mobile'))
  .map(([file, space]) => ({ files: { 'device.json': file }, args: ['eval', '--space', space, '--random', '1', '--metrics', 'params,latency', '--device', '$IN/device.json'] }));

// ---- flag sets ---------------------------------------------------------------------------------

const junk: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', '-5', '-1', '0', '1e9', '99999999999999999999', '1000000000', 'abc', '3.5', '-0.5', 'Infinity', 'NaN', '--x', '/proc/x', '/dev/null', '$FILE', '$FILE/sub', 'ü', 'x'.repeat(5000)),
  fc.string({ maxLength: 8 }).filter((s) => !s.includes('\0')),
);

/** Per flag: values a user would give, and junk. */
type FlagGen = Record<string, fc.Arbitrary<string>>;
const pick = (...v: string[]) => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...v) }, { weight: 1, arbitrary: junk });

const commandFlags: Record<string, { required: FlagGen; optional: FlagGen; bools?: string[] }> = {
  // Budgets stay tiny and devices are tables, so a valid search takes about a second.
  search: {
    required: { budget: pick('1', '2', '3', '5'), device: pick('fpga', 'pixel3', 'eyeriss') },
    optional: {
      space: pick('nb201'), strategy: pick('random', 'nsga2', 're', 'local', 'bo', 'reinforce'), seed: pick('0', '1', '7'),
      objectives: pick('accuracy,latencyMs', 'accuracy', 'latencyMs,paramCount'), constraint: pick('latencyMs<=5', 'paramCount<1e6', 'accuracy>=90'),
      pop: pick('2', '4'), out: fc.constant('$OUT'),
    },
  },
  eval: {
    required: { space: pick('nasbench-macro', 'nb201'), random: pick('1', '2', '3') },
    optional: { seed: pick('0', '4'), metrics: pick('params', 'params,flops', 'accuracy', 'params,flops,accuracy'), format: pick('csv', 'json'), device: pick('fpga', 'pixel3'), accuracy: pick('table') },
  },
  export: {
    required: { space: pick('nasbench-macro', 'nb201'), random: pick('1', '2'), out: fc.oneof(fc.constant('$OUT'), junk) },
    optional: { seed: pick('0', '3'), opset: pick('13', '14', '18') },
  },
  truth: {
    required: { device: pick('fpga', 'pixel3') },
    optional: { space: pick('nb201'), objectives: pick('accuracy,latencyMs'), accuracy: pick('table'), out: fc.constant('$OUT') },
  },
  moo: {
    required: { problem: pick('zdt1', 'zdt2', 'dtlz2'), pop: pick('4', '8'), generations: pick('1', '3') },
    optional: { strategy: pick('nsga2', 'random'), seed: pick('0', '2'), format: pick('json', 'csv'), front: pick('population', 'archive') },
  },
  profile: {
    // A real profile measures for minutes: keep one value broken so that it is refused up front.
    required: { device: pick('ort-cpu-1t'), space: pick('nasbench-macro'), samples: junk },
    optional: { seed: pick('0'), folds: pick('2'), rounds: pick('1'), statistic: pick('min', 'median'), format: pick('json', 'csv'), out: fc.constant('$OUT/lut.json') },
  },
  devices: { required: {}, optional: { format: pick('table', 'csv', 'json') } },
  spaces: { required: {}, optional: { format: pick('table', 'json') } },
};

function flagSet(cmd: string): fc.Arbitrary<string[]> {
  const { required, optional } = commandFlags[cmd]!;
  const req = fc.record(required);
  const opt = fc.record(optional, { requiredKeys: [] });
  const unknownFlag = fc.option(fc.constantFrom('--frobnicate', '--pop-size', '-x', 'stray'), { freq: 8 });
  return fc.tuple(req, opt, unknownFlag).map(([r, o, u]) => {
    const args = [cmd];
    for (const [k, v] of Object.entries({ ...r, ...o })) args.push(`--${k}`, v as string);
    if (u) args.push(u);
    return args;
  });
}

export const flagCase: fc.Arbitrary<FuzzCase> = fc
  .constantFrom(...Object.keys(commandFlags))
  .chain(flagSet)
  .map((args) => ({ files: {}, args }));

// ---- journals (for --resume) -------------------------------------------------------------------

/** A journal line: valid, slightly broken (a metric or field changed) or wildly broken. */
export function journalCase(template: { config: string; lines: string[] }): fc.Arbitrary<FuzzCase> {
  const records = template.lines.map((l) => JSON.parse(l) as Json);
  const line = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...template.lines) },
    {
      weight: 3,
      arbitrary: fc.tuple(fc.constantFrom(...records), fc.nat(), fc.constantFrom('set', 'delete') as fc.Arbitrary<'set' | 'delete'>, fc.oneof(badValue, fc.constantFrom(-7.5, null, 'abc'))).map(([r, i, op, v]) => {
        const ps = paths(r).filter((p) => p.length > 0);
        return JSON.stringify(setAt(r, ps[i % ps.length]!, v, op));
      }),
    },
    { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 30 }), fc.json({ maxDepth: 2 }), fc.constantFrom(template.lines[0]!.slice(0, 40), '{}', '[]', 'null')) },
  );
  return fc.tuple(fc.array(line, { minLength: 1, maxLength: 8 }), fc.constantFrom('3', '5', '8')).map(([ls, budget]) => ({
    files: {},
    seedOut: { 'config.json': template.config, 'journal-fpga.jsonl': `${ls.join('\n')}\n` },
    args: ['search', '--space', 'nb201', '--device', 'fpga', '--budget', budget, '--seed', '0', '--out', '$OUT', '--resume'],
  }));
}

// ---- running a case and checking the contract ------------------------------------------------

/** Minimal RFC 4180 CSV parser (quoted fields, doubled quotes, CRLF or LF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  assert.equal(quoted, false, 'CSV ends inside a quoted field');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function checkCsv(text: string, what: string): void {
  const rows = parseCsv(text);
  assert.ok(rows.length >= 1, `${what}: empty CSV`);
  const header = rows[0]!;
  for (const [i, r] of rows.entries()) {
    assert.equal(r.length, header.length, `${what}: row ${i} has ${r.length} fields, the header ${header.length}`);
    for (const [j, v] of r.entries()) {
      assert.ok(!/^(NaN|-?Infinity|undefined)$/.test(v), `${what}: row ${i} ${header[j]} is ${v}`);
      if (/latencyMs$|Ms$/.test(header[j]!) && v !== '' && i > 0) assert.ok(Number(v) >= 0, `${what}: row ${i} ${header[j]} = ${v} is negative`);
    }
  }
}

/** Lines the run did not write itself (a resumed journal's input, which the Study reports and skips). */
function checkJournal(text: string, what: string, given: ReadonlySet<string> = new Set()): void {
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '' || given.has(line)) return;
    const e = JSON.parse(line) as Record<string, unknown>;
    assert.ok(Number.isInteger(e.n) && typeof e.arch === 'string' && Array.isArray(e.genotype) && typeof e.evalMs === 'number', `${what}:${i + 1}: not a journal record: ${line.slice(0, 200)}`);
    const problem = journalEntryProblem(e);
    assert.equal(problem, undefined, `${what}:${i + 1}: the run wrote a record that --resume would refuse: ${problem}`);
    const o = e.outcome as { status?: string; metrics?: Record<string, unknown>; error?: unknown };
    assert.ok(o && (o.status === 'failed' ? typeof o.error === 'string' : o.status === 'ok'), `${what}:${i + 1}: bad outcome`);
    if (o.status === 'ok') {
      for (const [k, v] of Object.entries(o.metrics ?? {})) {
        assert.ok(typeof v === 'number' && Number.isFinite(v), `${what}:${i + 1}: metric ${k} is ${JSON.stringify(v)}`);
        if (/Ms$/.test(k)) assert.ok((v as number) >= 0, `${what}:${i + 1}: ${k} is ${v}`);
      }
    }
  });
}

/** Every regular file under `dir`, relative. */
function listFiles(dir: string, rel = ''): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      isDir = false; // a dangling link: listed as a file
    }
    if (isDir) out.push(...listFiles(p, join(rel, name)));
    else out.push(join(rel, name));
  }
  return out;
}

const subst = (s: string, dir: string, vars: Readonly<Record<string, string>> = {}): string =>
  Object.entries(vars).reduce((x, [k, v]) => x.replaceAll(`$${k}`, v), s.replaceAll('$IN', join(dir, 'in')).replaceAll('$OUT', join(dir, 'out')).replaceAll('$FILE', join(dir, 'in', 'afile')));

/** Every file under `dir` with its bytes (links read as what they name). */
function snapshotFiles(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir).sort().map((f) => [f, readFileSync(join(dir, f)).toString('base64')]));
}

/** What a case's run produced, for a property's own checks after the common contract. */
export interface CaseRun {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
  /** The case's `$OUT`. */
  readonly outDir: string;
  readonly args: readonly string[];
}

/** Run one case in a child process and assert the contract; throws an AssertionError on a breach. */
export async function checkCase(c: FuzzCase, vars: Readonly<Record<string, string>> = {}, after?: (r: CaseRun) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hwnas-fuzz-'));
  try {
    const inDir = join(dir, 'in');
    const cwd = join(dir, 'cwd');
    const out = join(dir, 'out');
    mkdirSync(inDir);
    mkdirSync(cwd);
    writeFileSync(join(inDir, 'afile'), 'not a folder');
    for (const [name, content] of Object.entries(c.files)) writeFileSync(join(inDir, name), typeof content === 'string' ? content : new Uint8Array(content));
    if (c.seedOut || c.linksOut || c.dirsOut) {
      mkdirSync(out);
      for (const [name, content] of Object.entries(c.seedOut ?? {})) writeFileSync(join(out, name), content);
      for (const d of c.dirsOut ?? []) mkdirSync(join(out, d), { recursive: true });
      for (const [name, target] of Object.entries(c.linksOut ?? {})) symlinkSync(subst(target, dir), join(out, name));
    }
    const before = existsSync(out) ? listFiles(out).sort() : [];
    const inBefore = snapshotFiles(inDir);
    const args = c.args.map((a) => subst(a, dir, vars));
    const r = await runCliProcess(args, { timeoutMs: CASE_TIMEOUT_MS, cwd });
    const cmd = args[0]!;
    assert.deepEqual(snapshotFiles(inDir), inBefore, 'a file outside --out changed (written through a link?)');
    const show = `exit ${r.code}${r.signal ? ` (${r.signal})` : ''}; stderr: ${JSON.stringify(r.err.slice(0, 600))}`;
    assert.equal(r.timedOut, false, `hang: killed after ${CASE_TIMEOUT_MS / 1000} s`);
    assert.doesNotMatch(r.err, /\n\s+at |internal error|RangeError|TypeError|Aborted\(\)/, `stack trace or internal error; ${show}`);
    assert.ok(r.code === 0 || r.code === 1 || r.code === 2 || r.code === 3, show);
    if (r.code === 2 || r.code === 3) {
      const lines = r.err.split('\n').filter((l) => l !== '');
      assert.equal(lines.length, 1, `not one line; ${show}`);
      assert.ok(lines[0]!.startsWith(`hwnas ${cmd}: `), show);
      const msg = lines[0]!.slice(`hwnas ${cmd}: `.length);
      const quotesAnArg = args.some((a) => a.length > 1 && (msg.includes(JSON.stringify(a)) || msg.includes(`'${a}'`)));
      const named = /(^|\s|\()--[a-z-]+/.test(msg) || /\/[^\s]+/.test(msg) || /\bat \//.test(msg) || /^-[a-z]\b|'-/.test(msg) || quotesAnArg;
      assert.ok(named || r.code === 3, `names no flag, file or JSON path; ${show}`);
      const left = listFiles(out).sort();
      assert.deepEqual(left, before, `refused, yet --out changed; ${show}`);
      assert.deepEqual(listFiles(cwd), [], `refused, yet files were written in the working folder; ${show}`);
    } else if (r.code === 1) {
      // Candidates failed, or (suite verify) the file's numbers differ from the tables'.
      assert.match(r.err + r.out, /failed|problems differ|not the released one/, `exit 1 without a reason; ${show}`);
    }
    if (r.code === 0 || r.code === 1) {
      assert.doesNotMatch(r.out, /\bNaN\b/, `NaN in stdout; ${show}`);
      const fmt = args[args.indexOf('--format') + 1];
      if (cmd === 'eval' && (args.includes('--format') ? fmt === 'csv' : true)) checkCsv(r.out, 'stdout');
      if (cmd === 'eval' && fmt === 'json') JSON.parse(r.out);
      for (const f of [...listFiles(out), ...listFiles(cwd).map((x) => join('..', 'cwd', x))]) {
        const p = join(out, f);
        if (f.endsWith('.csv')) checkCsv(readFileSync(p, 'utf8'), f);
        if (f.endsWith('suite-results.csv')) checkHvRatios(readFileSync(p, 'utf8'), f);
        else if (f.endsWith('.jsonl')) checkJournal(readFileSync(p, 'utf8'), f, new Set((c.seedOut?.[f] ?? '').split('\n')));
        else if (f.endsWith('.json')) JSON.parse(readFileSync(p, 'utf8'));
        assert.doesNotMatch(f, /\.tmp-\d+$/, `a temp file was left: ${f}`);
      }
      if (cmd === 'export' && r.code === 0) {
        const exported = resolve(cwd, args[args.indexOf('--out') + 1]!);
        const n = readFileSync(join(exported, 'archs.txt'), 'utf8').trim().split('\n').length;
        assert.deepEqual(listFiles(exported).filter((f) => f.endsWith('.onnx')).length, n, 'ONNX files and archs.txt disagree');
      }
    }
    after?.({ code: r.code, out: r.out, err: r.err, outDir: out, args });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A run scored against an exact front can reach it, never pass it: every hvRatio in [0, 1]. */
function checkHvRatios(text: string, what: string): void {
  const rows = parseCsv(text);
  const j = rows[0]!.indexOf('hvRatio');
  assert.ok(j >= 0, `${what}: no hvRatio column`);
  for (const [i, r] of rows.slice(1).entries()) {
    const v = Number(r[j]);
    assert.ok(v >= 0 && v <= 1 + 1e-9, `${what}: row ${i + 1} hvRatio ${r[j]} is outside [0, 1]`);
  }
}

/** Journal fuzzing needs a finished run to resume: its config and journal lines. */
export async function journalTemplate(): Promise<{ config: string; lines: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'hwnas-fuzz-template-'));
  try {
    const out = join(dir, 'run');
    const r = await runCliProcess(['search', '--space', 'nb201', '--device', 'fpga', '--budget', '5', '--seed', '0', '--out', out], { timeoutMs: CASE_TIMEOUT_MS });
    assert.equal(r.code, 0, r.err);
    return { config: readFileSync(join(out, 'config.json'), 'utf8'), lines: readFileSync(join(out, 'journal-fpga.jsonl'), 'utf8').trim().split('\n') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A property: what it generates, how many cases `npm test` runs, and (optionally) its own check and per-stream set-up. */
export interface Property {
  arbitrary: () => Promise<fc.Arbitrary<unknown>>;
  runs: number;
  /** Check one case; @defaultValue {@link checkCase} */
  check?: (c: unknown, stream: StreamContext) => Promise<void>;
  /** Set up what a stream of cases shares (a Redis server, a rogue worker). */
  stream?: () => Promise<StreamContext>;
}

/**
 * The properties, by name: what they generate and how many cases `npm test` runs (200 in all).
 * `outcomes`, `suites`, `resumes` and `library` are the roads data enters by besides files on the
 * command line (test/fuzz/input-roads-fuzz.ts).
 */
export const properties = {
  spaces: { arbitrary: () => Promise.resolve(spaceFileCase), runs: 40 },
  devices: { arbitrary: () => Promise.resolve(deviceFileCase), runs: 25 },
  flags: { arbitrary: () => Promise.resolve(flagCase), runs: 68 },
  journals: { arbitrary: async () => journalCase(await journalTemplate()), runs: 15 },
  ...inputRoadProperties,
} satisfies Record<string, Property>;
export type PropertyName = keyof typeof properties;

const noStream: StreamContext = { vars: {}, close: async () => {} };

/**
 * Run a property: `runs` cases from `seed`, two streams at a time (fast-check runs async properties
 * one by one, so the cases are split over two interleaved streams: seeds `seed` and `seed + 1`,
 * each with its own {@link Property.stream} context). Resolves with the first failure's report (the
 * shrunk counterexample), or null.
 */
export async function runProperty(name: PropertyName, runs: number, seed: number, onCase?: () => void): Promise<string | null> {
  const prop: Property = properties[name];
  const arb = await prop.arbitrary();
  const check = prop.check ?? ((c: unknown, s: StreamContext) => checkCase(c as FuzzCase, s.vars));
  const streams = [Math.ceil(runs / 2), Math.floor(runs / 2)].filter((n) => n > 0);
  const results = await Promise.all(
    streams.map(async (n, k) => {
      const ctx = prop.stream ? await prop.stream() : noStream;
      try {
        return await fc.check(
          fc.asyncProperty(arb, async (c) => {
            await check(c, ctx);
            onCase?.();
          }),
          { numRuns: n, seed: seed + k, endOnFailure: false },
        );
      } finally {
        await ctx.close();
      }
    }),
  );
  for (const [k, r] of results.entries()) {
    if (r.failed) {
      const cause = r.errorInstance instanceof Error ? r.errorInstance.message : String(r.errorInstance);
      const shown = JSON.stringify(r.counterexample?.[0], (_k, v: unknown) => (typeof v === 'string' && v.length > 300 ? `${v.slice(0, 300)}…(${v.length} chars)` : v), 1);
      return `fuzz property "${name}" failed (seed ${seed + k}, ${r.numRuns} runs, path ${JSON.stringify(r.counterexamplePath)}, shrunk ${r.numShrinks} times)\ncounterexample: ${shown}\n${cause.slice(0, 2000)}`;
    }
  }
  return null;
}
