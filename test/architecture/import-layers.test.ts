import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The layers of docs/architecture.md, bottom first: a module imports only from its own layer or
 * below. Folders on one line are peers that must not import each other (latency and accuracy), and
 * report/ never imports run/ (a report is drawn from the files a run wrote, not from the run).
 */
const LAYERS: readonly (readonly string[])[] = [
  ['errors.ts'],
  ['util'],
  ['pareto'],
  ['graph'],
  ['space'],
  ['tables'],
  ['runtime'],
  ['latency', 'accuracy'],
  ['search'],
  ['record'],
  ['run'],
  ['report'],
  ['cli'],
  ['index.ts'],
];
const FORBIDDEN: readonly [string, string][] = [['report', 'run']];

const SRC = resolve(import.meta.dirname, '../../src');

function layerOf(file: string): { unit: string; rank: number } {
  const unit = relative(SRC, file).split('/')[0]!;
  const rank = LAYERS.findIndex((l) => l.includes(unit));
  if (rank < 0) throw new Error(`src/${unit} is in no layer of test/architecture/import-layers.test.ts (and docs/architecture.md)`);
  return { unit, rank };
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Relative module specifiers a file imports (static, dynamic and side-effect imports, type-only included). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*'(\.[^']+)'|(?:^|\n)\s*import\s*'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g)) {
    out.push((m[1] ?? m[2] ?? m[3])!);
  }
  return out;
}

test('no module imports from a layer above its own, peers stay apart, report/ never imports run/', () => {
  const violations: string[] = [];
  let edges = 0;
  for (const file of sources(SRC)) {
    const from = layerOf(file);
    for (const spec of importsOf(file)) {
      const target = resolve(dirname(file), spec);
      const to = layerOf(target);
      edges++;
      if (from.unit === to.unit) continue;
      const where = `src/${relative(SRC, file)} -> src/${relative(SRC, target)}`;
      if (to.rank > from.rank) violations.push(`${where}: ${to.unit} is above ${from.unit}`);
      else if (to.rank === from.rank) violations.push(`${where}: ${from.unit} and ${to.unit} are peers`);
      else if (FORBIDDEN.some(([a, b]) => a === from.unit && b === to.unit)) violations.push(`${where}: ${from.unit} must not import ${to.unit}`);
    }
  }
  assert.ok(edges > 300, `the check read only ${edges} imports; is the import pattern still right?`);
  assert.deepEqual(violations, []);
});

test('the layer list names every folder of src/', () => {
  const units = readdirSync(SRC);
  for (const u of units) assert.ok(LAYERS.some((l) => l.includes(u)), `src/${u} is in no layer`);
  const doc = readFileSync(resolve(SRC, '../docs/architecture.md'), 'utf8');
  for (const l of LAYERS) for (const u of l) assert.ok(doc.includes(`\`${u.endsWith('.ts') ? `src/${u}` : `src/${u}/`}\``), `docs/architecture.md does not list src/${u}`);
});
