import { existsSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../errors.ts';
import { readJsonFile, validateAgainst } from '../util/json-file.ts';
import type { SearchSpace } from './search-space.ts';

/** A family of spaces: a JSON Schema for its files and a factory from a validated definition. */
export interface SpaceFamily<D = unknown> {
  readonly name: string;
  /** JSON Schema of a space file of this family (common fields included). */
  readonly schema: object;
  create(def: D, file: string): SearchSpace;
}

const families = new Map<string, SpaceFamily<never>>();

/** Register a space family by name (`chain`, `nb201-cell`, ...). */
export function registerSpaceFamily<D>(family: SpaceFamily<D>): void {
  families.set(family.name, family as SpaceFamily<never>);
}

/** Names of the registered families. */
export function spaceFamilies(): string[] {
  return [...families.keys()].sort();
}

/** Folder of the built-in space files (`spaces/` at the package root). */
export const SPACES_DIR = fileURLToPath(new URL('../../spaces/', import.meta.url));

/** Ids of the built-in spaces. */
export function builtinSpaceIds(): string[] {
  return readdirSync(SPACES_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'schema.json')
    .map((f) => basename(f, '.json'))
    .sort();
}

const cache = new Map<string, SearchSpace>();

/**
 * Load a space by built-in id (`nasbench-macro`) or by path to a `.json` file. The file is parsed,
 * validated against its family's schema with ajv, and built; any problem is an {@link InputError}.
 */
export function loadSpace(idOrPath: string): SearchSpace {
  const isPath = idOrPath.endsWith('.json') || idOrPath.includes('/');
  const file = isPath ? resolve(idOrPath) : join(SPACES_DIR, `${idOrPath}.json`);
  const hit = cache.get(file);
  if (hit) return hit;
  if (!existsSync(file)) {
    if (isPath) throw new InputError('io', 'no such space file', { file });
    throw new InputError('unknown-id', `unknown space "${idOrPath}"`, { path: '--space', expected: `one of ${builtinSpaceIds().join(', ')} or a path to a .json file` });
  }
  const data = readJsonFile(file);
  const familyName = (data as { family?: unknown } | null)?.family;
  const family = typeof familyName === 'string' ? families.get(familyName) : undefined;
  if (!family) {
    throw new InputError('schema', 'unknown space family', { file, path: '/family', expected: `one of ${JSON.stringify(spaceFamilies())}`, actual: JSON.stringify(familyName) });
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
  cache.set(file, space);
  return space;
}

import { chainFamily } from './chain-space.ts';
import { nb201Family } from './nb201-space.ts';
registerSpaceFamily(chainFamily);
registerSpaceFamily(nb201Family);
import { mnasnetFamily } from './mnasnet-space.ts';
registerSpaceFamily(mnasnetFamily);
import { ofaMbv3Family } from './ofa-mbv3-space.ts';
registerSpaceFamily(ofaMbv3Family);
