import { existsSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../errors.ts';
import { contentHash } from '../util/content-hash.ts';
import { parseJson, readTextFile, validateAgainst } from '../util/json-file.ts';
import { Registry } from '../util/registry.ts';
import { chainFamily } from './chain-space.ts';
import { mnasnetFamily } from './mnasnet-space.ts';
import { nb201Family } from './nb201-space.ts';
import { ofaMbv3Family } from './ofa-mbv3-space.ts';
import type { SearchSpace } from './search-space.ts';
import type { SpaceFamily } from './space-family.ts';

/**
 * Space families by the `family` field of a space file (`chain`, `nb201-cell`, `mnasnet`,
 * `ofa-mbv3`); add yours with `spaceFamilies.register(name, family)`.
 */
export const spaceFamilies = new Registry<SpaceFamily<never>>('space family', '/family')
  .register(chainFamily.name, chainFamily as SpaceFamily<never>)
  .register(nb201Family.name, nb201Family as SpaceFamily<never>)
  .register(mnasnetFamily.name, mnasnetFamily as SpaceFamily<never>)
  .register(ofaMbv3Family.name, ofaMbv3Family as SpaceFamily<never>);

/** Folder of the built-in space files (`spaces/` at the package root). */
export const SPACES_DIR = fileURLToPath(new URL('../../spaces/', import.meta.url));

/** Ids of the built-in spaces. */
export function builtinSpaceIds(): string[] {
  return readdirSync(SPACES_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'schema.json')
    .map((f) => basename(f, '.json'))
    .sort();
}

/** Loaded spaces by file, with the text they were built from (an edited file is loaded again). */
const cache = new Map<string, { text: string; space: SearchSpace }>();

/**
 * Load a space by built-in id (`nasbench-macro`) or by path to a `.json` file. The file is parsed,
 * validated against its family's schema with ajv, and built; any problem is an {@link InputError}.
 */
export function loadSpace(idOrPath: string): SearchSpace {
  if (typeof idOrPath !== 'string' || idOrPath.trim() === '') {
    throw new InputError('bad-argument', 'not a space id or path', { path: 'loadSpace(idOrPath)', expected: `a built-in space id (${builtinSpaceIds().join(', ')}) or a path to a .json file`, actual: typeof idOrPath === 'string' ? '""' : `${typeof idOrPath} ${String(JSON.stringify(idOrPath) ?? idOrPath).slice(0, 80)}` });
  }
  const isPath = idOrPath.endsWith('.json') || idOrPath.includes('/');
  const file = isPath ? resolve(idOrPath) : join(SPACES_DIR, `${idOrPath}.json`);
  if (!existsSync(file)) {
    if (isPath) throw new InputError('io', 'no such space file', { file });
    throw new InputError('unknown-id', `unknown space "${idOrPath}"`, { path: 'loadSpace(idOrPath)', expected: `one of ${builtinSpaceIds().join(', ')} or a path to a .json file` });
  }
  const text = readTextFile(file);
  const hit = cache.get(file);
  if (hit?.text === text) return hit.space;
  const data = parseJson(text, file);
  const familyName = (data as { family?: unknown } | null)?.family;
  const family = typeof familyName === 'string' ? spaceFamilies.find(familyName) : undefined;
  if (!family) {
    throw new InputError('schema', 'unknown space family', { file, path: '/family', expected: `one of ${JSON.stringify(spaceFamilies.ids())}`, actual: JSON.stringify(familyName) });
  }
  const def = validateAgainst<never>(family.schema, data, file);
  let space: SearchSpace;
  try {
    space = family.create(def, file);
  } catch (e) {
    // The skeleton is built at load: a shape that cannot exist is the file's fault.
    throw e instanceof InputError ? e.inFile(file) : e;
  }
  if (!isPath && space.id !== idOrPath) {
    throw new InputError('schema', 'space id differs from its file name', { file, path: '/id', expected: JSON.stringify(idOrPath), actual: JSON.stringify(space.id) });
  }
  hashes.set(space, contentHash(data));
  cache.set(file, { text, space });
  return space;
}

const hashes = new WeakMap<SearchSpace, string>();

/**
 * Content hash of a space: SHA-256 of its file's canonical JSON (key order and whitespace do not
 * matter). A space built in code, not loaded from a file, is hashed by id, family and decisions.
 */
export function spaceContentHash(space: SearchSpace): string {
  return hashes.get(space) ?? contentHash({ id: space.id, family: space.family, decisions: space.decisions, inputShape: space.inputShape, classes: space.classes });
}

/**
 * Whether `space` is the built-in space of its id, content included. Published benchmark data
 * (accuracy tables, device latency tables) describe exactly the built-in networks: an edited copy
 * that keeps the id is a different network.
 */
export function isBuiltinSpace(space: SearchSpace): boolean {
  if (!builtinSpaceIds().includes(space.id)) return false;
  return spaceContentHash(loadSpace(space.id)) === spaceContentHash(space);
}
