import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import fc from 'fast-check';
import { runCliProcess } from '../helpers/cli-process.ts';
import { startRedis } from '../helpers/redis-server.ts';
import { badValue, CASE_TIMEOUT_MS, checkCase, jsonFile, parseCsv, paths, setAt, type FuzzCase, type Json, type Property, type StreamContext } from './cli-fuzz.ts';

/**
 * Fuzzing of the roads data enters by besides a file on the command line: results from queue
 * workers (`outcomes`), suite files (`suites`), results folders given to `--resume` (`resumes`) and
 * library calls (`library`). Every arbitrary is built on first use: this module and cli-fuzz.ts
 * import each other.
 */

const ROOT = new URL('../../', import.meta.url);

// ---- outcomes: a rogue worker on the queue answers with generated results ----------------------

/** A case of `outcomes`: a search through Redis whose device queue a rogue worker answers with `rogue` (cycling). */
export interface OutcomeCase extends FuzzCase {
  rogue: unknown[];
}

function outcomeCase(): fc.Arbitrary<OutcomeCase> {
  const number = fc.oneof(
    fc.double({ min: 0, max: 500, noNaN: true }),
    fc.constantFrom(-5, -0.001, 0, 1e308, 86_400_001, 1e9, Number.MAX_VALUE),
    badValue,
  );
  const metrics = fc.oneof(
    { weight: 4, arbitrary: fc.record({ latencyMs: number }) },
    { weight: 2, arbitrary: fc.record({ latencyMs: number, p90Ms: number, cv: number, samples: number, predictedLatencyMs: number }, { requiredKeys: ['latencyMs'] }) },
    // Metrics a latency job may not set: accuracy, counts, names of its own.
    { weight: 3, arbitrary: fc.tuple(number, fc.constantFrom('accuracy', 'paramCount', 'flops', 'testAccuracy', 'latencyMs@pixel3', 'madeUp', '__proto__'), number).map(([l, k, v]) => ({ latencyMs: l, [k]: v })) },
    { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 10 }), number, { maxKeys: 4 }) },
  );
  const outcome = fc.oneof(
    { weight: 6, arbitrary: fc.record({ status: fc.constant('ok'), metrics, info: fc.oneof(fc.constant({}), fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), badValue), { maxKeys: 3 })) }, { requiredKeys: ['status', 'metrics'] }) },
    { weight: 2, arbitrary: fc.record({ status: fc.constant('failed'), error: fc.oneof(fc.string({ maxLength: 40 }), badValue) }, { requiredKeys: ['status'] }) },
    { weight: 1, arbitrary: fc.oneof(fc.constantFrom(null, 'ok', 42, [], {}), fc.json({ maxDepth: 2 }).map((t) => JSON.parse(t) as unknown)) },
  );
  const now = '2026-01-01T00:00:00.000Z';
  const result = fc.oneof(
    { weight: 6, arbitrary: outcome.map((o) => ({ outcome: o, worker: 'rogue/1', startedAt: now, finishedAt: now, busyMs: 3 })) },
    {
      weight: 2,
      arbitrary: fc.tuple(outcome, fc.constantFrom('worker', 'startedAt', 'finishedAt', 'busyMs', 'outcome'), fc.oneof(badValue, fc.constantFrom(-1, 1e308))).map(([o, k, v]) => ({ outcome: o, worker: 'rogue/1', startedAt: now, finishedAt: now, busyMs: 3, [k]: v })),
    },
    { weight: 1, arbitrary: fc.oneof(fc.constantFrom(null, 0, 'done', true), fc.json({ maxDepth: 2 }).map((t) => JSON.parse(t) as unknown)) },
  );
  return fc.tuple(fc.array(result, { minLength: 1, maxLength: 3 }), fc.constantFrom('1', '2', '3'), fc.nat(50)).map(([rogue, budget, seed]) => ({
    files: {},
    rogue,
    args: ['search', '--space', 'nb201', '--device', 'fpga', '--strategy', 'random', '--budget', budget, '--seed', String(seed), '--out', '$OUT', '--redis', '$REDIS'],
  }));
}

interface RogueStream extends StreamContext {
  answers: unknown[];
  n: number;
}

/** A real Redis and, in this process, a plain BullMQ worker on `device-fpga` answering with the case's results. */
async function rogueStream(): Promise<RogueStream> {
  const redis = await startRedis();
  const { Worker } = await import('bullmq');
  const { Redis } = await import('ioredis');
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  const ctx: RogueStream = {
    vars: { REDIS: redis.url },
    answers: [null],
    n: 0,
    close: async () => {
      await worker.close();
      connection.disconnect();
      await redis.stop();
    },
  };
  const worker = new Worker('device-fpga', async () => ctx.answers[ctx.n++ % ctx.answers.length], { connection, prefix: 'hwnas', concurrency: 1 });
  worker.on('error', () => {});
  await worker.waitUntilReady();
  return ctx;
}

let tableAccuracy: ((arch: string) => Promise<number>) | undefined;
async function nb201Accuracy(arch: string): Promise<number> {
  if (!tableAccuracy) {
    const { loadSpace } = await import('../../src/space/space-registry.ts');
    const { getAccuracySource } = await import('../../src/accuracy/accuracy-registry.ts');
    const space = loadSpace('nb201');
    const source = await getAccuracySource('table', space, { seed: 0, jobs: 1 });
    tableAccuracy = async (a) => (await source.metrics(space, space.decode(a))).accuracy!;
  }
  return tableAccuracy(arch);
}

/** Beyond the common contract: an ok record holds only what this evaluation sets, and the table's accuracy, never the rogue's. */
async function checkOutcomeCase(c: unknown, stream: StreamContext): Promise<void> {
  const s = stream as RogueStream;
  const oc = c as OutcomeCase;
  s.answers = oc.rogue;
  s.n = 0;
  const records: { arch: string; outcome: { status: string; metrics?: Record<string, number> } }[] = [];
  await checkCase(oc, s.vars, (r) => {
    const file = join(r.outDir, 'journal-fpga.jsonl');
    if (r.code !== 0 && r.code !== 1) return;
    for (const line of readFileSync(file, 'utf8').trim().split('\n')) records.push(JSON.parse(line) as (typeof records)[number]);
  });
  const allowed = new Set(['paramCount', 'flops', 'accuracy', 'testAccuracy', 'cifar100ValidAcc', 'cifar100TestAcc', 'imagenet16ValidAcc', 'imagenet16TestAcc', 'latencyMs', 'predictedLatencyMs', 'p90Ms', 'iqrMs', 'cv', 'samples']);
  for (const rec of records) {
    if (rec.outcome.status !== 'ok') continue;
    for (const k of Object.keys(rec.outcome.metrics!)) assert.ok(allowed.has(k), `record ${rec.arch} holds metric ${k}, which no nb201/fpga evaluation sets`);
    assert.equal(rec.outcome.metrics!.accuracy, await nb201Accuracy(rec.arch), `record ${rec.arch}: accuracy is not the table's`);
  }
}

// ---- suites: generated suite files given to suite run / verify / list ----------------------------

function suiteCase(): fc.Arbitrary<FuzzCase> {
  const released = JSON.parse(readFileSync(new URL('suites/hwnas-v1.json', ROOT), 'utf8')) as Record<string, Json> & { problems: Json[] };
  // One problem per file (NAS-Bench-201's: solving one again from the tables takes seconds; NAS-Bench-Macro counts every graph).
  const problems = released.problems.filter((p) => (p as { space: string }).space === 'nb201');
  const templates: Json[] = problems.flatMap((p) => [
    { ...released, id: 'fuzz-suite', problems: [p] },
    { ...released, problems: [p] }, // an edited copy under the released id
  ]);
  return fc
    .tuple(jsonFile(templates, (t) => fc.constant(t)), fc.constantFrom('run', 'run', 'verify', 'list'), fc.constantFrom('3', '5'))
    .map(([file, cmd, budget]) => ({
      files: { 'suite.json': file },
      args: cmd === 'run'
        ? ['suite', 'run', '--suite', '$IN/suite.json', '--strategies', 'random', '--seeds', '1', '--budget', budget, '--checkpoints', '2', '--jobs', '1', '--out', '$OUT']
        : ['suite', cmd, '--suite', '$IN/suite.json'],
    }));
}

// ---- resumes: results folders given to --resume -------------------------------------------------

interface ResumeTemplate {
  config: string;
  fpga: string[];
  pixel3: string[];
}

async function resumeTemplate(): Promise<ResumeTemplate> {
  const dir = mkdtempSync(join(tmpdir(), 'hwnas-fuzz-resume-'));
  try {
    const run = async (device: string) => {
      const out = join(dir, device);
      const r = await runCliProcess(['search', '--space', 'nb201', '--device', device, '--budget', '5', '--seed', '0', '--out', out], { timeoutMs: CASE_TIMEOUT_MS });
      assert.equal(r.code, 0, r.err);
      return { config: readFileSync(join(out, 'config.json'), 'utf8'), lines: readFileSync(join(out, `journal-${device}.jsonl`), 'utf8').trim().split('\n') };
    };
    const fpga = await run('fpga');
    const pixel3 = await run('pixel3');
    return { config: fpga.config, fpga: fpga.lines, pixel3: pixel3.lines };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const untag = (line: string) => {
  const { target: _t, ...rest } = JSON.parse(line) as Record<string, unknown>;
  return JSON.stringify(rest);
};

type FolderEdit = 'none' | 'no-config' | 'config-garbage' | 'config-other-kind' | 'config-other-settings' | 'pixel3-journal' | 'pixel3-untagged'
  | 'untagged' | 'mixed-journal' | 'journal-link' | 'config-link' | 'dangling-link' | 'journal-dir' | 'live-lock' | 'dead-lock' | 'torn-journal' | 'no-journal';

function resumeCase(t: ResumeTemplate): fc.Arbitrary<FuzzCase> {
  const edit = fc.constantFrom<FolderEdit>('none', 'no-config', 'config-garbage', 'config-other-kind', 'config-other-settings', 'pixel3-journal', 'pixel3-untagged',
    'untagged', 'mixed-journal', 'journal-link', 'config-link', 'dangling-link', 'journal-dir', 'live-lock', 'dead-lock', 'torn-journal', 'no-journal');
  return fc.tuple(fc.uniqueArray(edit, { minLength: 1, maxLength: 3 }), fc.constantFrom('3', '5', '8'), fc.constantFrom(['--resume'], ['--resume'], ['--resume'], []), fc.nat(200)).map(([edits, budget, resume, cut]) => {
    const c: Required<Pick<FuzzCase, 'files' | 'seedOut' | 'linksOut' | 'dirsOut'>> & FuzzCase = {
      files: {}, seedOut: { 'config.json': t.config, 'journal-fpga.jsonl': `${t.fpga.join('\n')}\n` }, linksOut: {}, dirsOut: [],
      args: ['search', '--space', 'nb201', '--device', 'fpga', '--budget', budget, '--seed', '0', '--out', '$OUT', ...resume],
    };
    const config = JSON.parse(t.config) as Record<string, Json>;
    for (const e of edits) {
      switch (e) {
        case 'none': break;
        case 'no-config': delete c.seedOut['config.json']; break;
        case 'config-garbage': c.seedOut['config.json'] = t.config.slice(0, cut % t.config.length); break;
        case 'config-other-kind': c.seedOut['config.json'] = JSON.stringify({ ...config, kind: 'compare' }); break;
        case 'config-other-settings': c.seedOut['config.json'] = JSON.stringify({ ...config, fingerprint: { ...(config.fingerprint as Record<string, Json>), seed: 9, strategy: 'random' } }); break;
        case 'pixel3-journal': c.seedOut['journal-fpga.jsonl'] = `${t.pixel3.join('\n')}\n`; break;
        case 'pixel3-untagged': c.seedOut['journal-fpga.jsonl'] = `${t.pixel3.map(untag).join('\n')}\n`; break;
        case 'untagged': c.seedOut['journal-fpga.jsonl'] = `${t.fpga.map(untag).join('\n')}\n`; break;
        case 'mixed-journal': c.seedOut['journal-fpga.jsonl'] = `${[...t.fpga.slice(0, 2), t.pixel3[3]!].join('\n')}\n`; break;
        case 'journal-link':
          delete c.seedOut['journal-fpga.jsonl'];
          c.files['outside.jsonl'] = `${t.fpga.join('\n')}\n`;
          c.linksOut['journal-fpga.jsonl'] = '$IN/outside.jsonl';
          break;
        case 'config-link':
          c.files['config.json'] = c.seedOut['config.json'] ?? t.config;
          delete c.seedOut['config.json'];
          c.linksOut['config.json'] = '$IN/config.json';
          break;
        case 'dangling-link':
          delete c.seedOut['journal-fpga.jsonl'];
          c.linksOut['journal-fpga.jsonl'] = '$IN/not-there.jsonl';
          break;
        case 'journal-dir':
          delete c.seedOut['journal-fpga.jsonl'];
          delete c.linksOut['journal-fpga.jsonl'];
          c.dirsOut.push('journal-fpga.jsonl');
          break;
        case 'live-lock': c.seedOut['.lock'] = JSON.stringify({ pid: 1, host: 'another-host', since: '2026-01-01T00:00:00Z' }); break;
        case 'dead-lock': c.seedOut['.lock'] = '{"pid":'; break;
        case 'torn-journal': c.seedOut['journal-fpga.jsonl'] = (c.seedOut['journal-fpga.jsonl'] ?? '').slice(0, -(cut % 40) - 1); break;
        case 'no-journal': delete c.seedOut['journal-fpga.jsonl']; break;
      }
      if (e !== 'journal-link' && e !== 'dangling-link' && e !== 'journal-dir' && c.seedOut['journal-fpga.jsonl'] !== undefined) delete c.linksOut['journal-fpga.jsonl'];
    }
    if (c.dirsOut.includes('journal-fpga.jsonl')) {
      delete c.seedOut['journal-fpga.jsonl'];
      delete c.linksOut['journal-fpga.jsonl'];
    }
    // A name is a plain file or a link, not both (a later edit wrote the file again).
    for (const name of Object.keys(c.linksOut)) if (c.seedOut[name] !== undefined) delete c.linksOut[name];
    return c;
  });
}

/** Beyond the common contract: a resumed fpga leaderboard holds fpga numbers only. */
function checkResumeCase(c: unknown, stream: StreamContext): Promise<void> {
  return checkCase(c as FuzzCase, stream.vars, (r) => {
    if (r.code !== 0) return;
    const rows = parseCsv(readFileSync(join(r.outDir, 'leaderboard-fpga.csv'), 'utf8'));
    const j = rows[0]!.indexOf('latencySource');
    for (const row of rows.slice(1)) assert.equal(row[j], 'table:nb201/fpga', `a leaderboard-fpga.csv row measured elsewhere: ${row.join(',')}`);
  });
}

// ---- library: generated arguments to search(), Study.create(), loadSpace(), loadDevice() -------

/** A case of `library`: which call, and one change to a valid argument (path, operation, value). */
export interface LibraryCase {
  call: 'search' | 'study' | 'loadSpace' | 'loadDevice';
  path: string[];
  op: 'set' | 'delete' | 'add';
  value: unknown;
}

const SEARCH_TEMPLATE: Json = {
  out: '$OUT', space: 'nb201', devices: ['fpga'], strategy: 'random', budget: 2, seed: 0,
  objectives: ['accuracy', 'latencyMs'], constraints: [{ metric: 'latencyMs', op: '<=', value: 5 }], strategyOptions: {}, jobs: 1,
};
const STUDY_TEMPLATE: Json = {
  devices: [{ id: 'fpga', kind: 'table', table: 'nb201', key: 'fpga', spaces: ['nb201'] }], strategy: 'random', budget: 2, seed: 0,
  objectives: [{ metric: 'accuracy', direction: 'max' }, { metric: 'latencyMs', direction: 'min' }], constraints: [{ metric: 'latencyMs', op: '<=', value: 5 }],
};

function libraryCase(): fc.Arbitrary<LibraryCase> {
  const value = fc.oneof(badValue, fc.constantFrom(undefined, Number.NaN, Infinity, '<', '>', 'fpga', 'nb201', 'accuracy', 'p90Ms', { metric: 'latencyMs', op: '<', value: 5 }, [], ['fpga', 'fpga'], ['nope'], 'FUNCTION'));
  const mutate = (call: LibraryCase['call'], t: Json) => fc.tuple(fc.nat(), fc.constantFrom<LibraryCase['op']>('set', 'set', 'delete', 'add'), value).map(([i, op, v]) => {
    const ps = paths(t);
    return { call, path: ps[i % ps.length]!, op, value: v };
  });
  return fc.oneof(
    { weight: 4, arbitrary: mutate('search', SEARCH_TEMPLATE) },
    { weight: 3, arbitrary: mutate('study', STUDY_TEMPLATE) },
    { weight: 1, arbitrary: value.map((v) => ({ call: 'loadSpace' as const, path: [], op: 'set' as const, value: v })) },
    { weight: 1, arbitrary: value.map((v) => ({ call: 'loadDevice' as const, path: [], op: 'set' as const, value: v })) },
  );
}

/** A value of a case as the call gets it: `'FUNCTION'` is a function, `$OUT` the case's output folder. */
function materialize(v: unknown, out: string): unknown {
  if (v === 'FUNCTION') return () => 'not what was expected';
  if (v === '$OUT') return out;
  if (Array.isArray(v)) return v.map((x) => materialize(x, out));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, materialize(x, out)]));
  return v;
}

/**
 * The library's contract: a call resolves, or rejects with an InputError (exit 2, or 3 for an
 * unavailable device) whose path names an API field (`options.…`, `settings.…`, `loadSpace(idOrPath)`)
 * or a file and JSON path, never a CLI flag, never a TypeError; a refused call writes nothing.
 */
async function checkLibraryCase(c: unknown): Promise<void> {
  const lc = c as LibraryCase;
  const { search, Study, loadSpace, loadDevice, InputError } = await import('../../src/index.ts');
  const dir = mkdtempSync(join(tmpdir(), 'hwnas-fuzz-lib-'));
  const out = join(dir, 'out');
  try {
    const template = lc.call === 'search' ? SEARCH_TEMPLATE : STUDY_TEMPLATE;
    const edited = lc.call === 'search' || lc.call === 'study' ? setAt(template, lc.path, lc.value === undefined ? null : lc.value, lc.op) : null;
    // setAt cannot write undefined into JSON; put it back where the case asked for it.
    const arg = materialize(edited, out) as Record<string, unknown>;
    if (lc.value === undefined && lc.op === 'set' && lc.path.length > 0) {
      let cur: Record<string, unknown> = arg;
      for (const k of lc.path.slice(0, -1)) cur = cur[k] as Record<string, unknown>;
      cur[lc.path.at(-1)!] = undefined;
    }
    // A relative output folder is a valid one: kept inside the case's folder, never the working folder.
    const rel = join(dir, 'rel');
    if (lc.call === 'search' && arg !== null && typeof arg === 'object' && typeof arg.out === 'string' && !isAbsolute(arg.out)) arg.out = join(rel, arg.out);
    const call = async (): Promise<unknown> => {
      switch (lc.call) {
        case 'search': return search(arg as never);
        case 'study': {
          const settings = lc.path.length === 0 && lc.op === 'set' ? arg : { space: loadSpace('nb201'), ...arg };
          const study = await Study.create(settings as never, { storage: { kind: 'folder', dir: out } });
          return study.run();
        }
        case 'loadSpace': return loadSpace(materialize(lc.value, out) as never);
        case 'loadDevice': return loadDevice(materialize(lc.value, out) as never);
      }
    };
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      call().then(() => ({ ok: true as const }), (e: unknown) => ({ ok: false as const, e })),
      new Promise<{ ok: 'hang' }>((r) => (timer = setTimeout(() => r({ ok: 'hang' }), CASE_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    assert.notEqual(outcome.ok, 'hang', `no answer after ${CASE_TIMEOUT_MS / 1000} s`);
    if (outcome.ok === false) {
      const e = outcome.e;
      assert.ok(e instanceof InputError, `not an InputError: ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}`);
      assert.ok(e.exitCode === 2 || e.exitCode === 3, e.message);
      assert.doesNotMatch(e.message, /(^|[\s(])--[a-z]/, `a CLI flag in a library error: ${e.message}`);
      if (e.exitCode === 2) {
        const named = e.file !== undefined || /^(options|settings)(\.|$)|^load(Space|Device)\(idOrPath\)$/.test(e.path ?? '');
        assert.ok(named, `names no API field or file: path ${JSON.stringify(e.path)}: ${e.message}`);
      }
      assert.equal(existsSync(out), false, `refused (${e.message}), yet ${out} was written`);
      assert.equal(existsSync(rel), false, `refused (${e.message}), yet ${rel} was written`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The input-road properties, merged into cli-fuzz.ts's list. */
export const inputRoadProperties = {
  outcomes: { arbitrary: () => Promise.resolve(outcomeCase()), runs: 8, check: checkOutcomeCase, stream: rogueStream },
  suites: { arbitrary: () => Promise.resolve(suiteCase()), runs: 12 },
  resumes: { arbitrary: async () => resumeCase(await resumeTemplate()), runs: 17, check: checkResumeCase },
  library: { arbitrary: () => Promise.resolve(libraryCase()), runs: 15, check: checkLibraryCase },
} satisfies Record<string, Property>;
