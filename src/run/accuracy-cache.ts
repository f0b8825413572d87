import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readFileSync } from 'node:fs';
import type { AccuracyCall, AccuracySource } from '../accuracy/accuracy-source.ts';
import { metricValueProblem } from '../record/metric-registry.ts';
import { spaceContentHash } from '../space/space-registry.ts';
import type { Genotype, SearchSpace } from '../space/search-space.ts';
import { contentHash } from '../util/content-hash.ts';

/**
 * Every accuracy a computing source (proxy training, a zero-cost score, a user's trainer) produced in
 * a results folder, one JSON line per architecture, appended and synced the moment the source
 * returns — before latency is measured, before the batch ends, before the journal hears of it. A run
 * killed between training and journaling keeps its trained candidates: the resumed run finds them
 * here and trains nothing twice.
 *
 * A line is `{"key": <settings hash>, "arch": …, "metrics": {…}}` (and `"epochs"` for a call that
 * asked a training budget of its own: multi-fidelity rungs are kept apart); the key hashes the
 * source's id and description (data, budget, seed) and the space's content, so a cache written under
 * other settings is never used. Torn or invalid lines (a kill mid-write) are skipped.
 */

/** Name of the cache file in a results folder. */
export const ACCURACY_CACHE_FILE = 'accuracy-cache.jsonl';

interface CacheLine {
  key: string;
  arch: string;
  /** Training epochs the call asked for (multi-fidelity); absent for the source's own budget. */
  epochs?: number;
  metrics: Record<string, number>;
}

/** Where a result is kept: the architecture, and the epochs of a call that set its own. */
const slot = (arch: string, epochs: number | undefined) => (epochs === undefined ? arch : `${arch}@${epochs}`);

function parseLine(line: string): CacheLine | undefined {
  try {
    const x = JSON.parse(line) as Partial<CacheLine>;
    if (x.epochs !== undefined && !Number.isSafeInteger(x.epochs)) return undefined;
    if (typeof x.key !== 'string' || typeof x.arch !== 'string' || typeof x.metrics !== 'object' || x.metrics === null || Array.isArray(x.metrics)) return undefined;
    for (const [k, v] of Object.entries(x.metrics)) if (metricValueProblem(k, v) !== undefined) return undefined;
    return x as CacheLine;
  } catch {
    return undefined;
  }
}

/**
 * `source` answering from and writing to the cache file `file` (read on first use, so the file is
 * only touched once the run has claimed its folder). Everything else of the source is unchanged.
 */
export function cachedAccuracySource(source: AccuracySource, space: SearchSpace, file: string): AccuracySource {
  const key = contentHash({ source: source.id, description: source.description, space: spaceContentHash(space) });
  let known: Map<string, Record<string, number>> | undefined;
  // A torn last line (a kill mid-write) is ended before the next line is appended.
  let torn = false;
  const load = (): Map<string, Record<string, number>> => {
    if (known) return known;
    known = new Map();
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8');
      torn = text.length > 0 && !text.endsWith('\n');
      for (const line of text.split('\n')) {
        const x = line.trim() === '' ? undefined : parseLine(line);
        if (x && x.key === key && !known.has(slot(x.arch, x.epochs))) known.set(slot(x.arch, x.epochs), x.metrics);
      }
    }
    return known;
  };
  const save = (arch: string, epochs: number | undefined, metrics: Record<string, number>): void => {
    appendFileSync(file, `${torn ? '\n' : ''}${JSON.stringify({ key, arch, ...(epochs !== undefined && { epochs }), metrics } satisfies CacheLine)}\n`);
    torn = false;
    const fd = openSync(file, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  };
  return {
    id: source.id,
    metric: source.metric,
    description: source.description,
    metricNames: source.metricNames,
    ...(source.alongside && { alongside: source.alongside }),
    ...(source.concurrency !== undefined && { concurrency: source.concurrency }),
    ...(source.fidelity !== undefined && { fidelity: source.fidelity }),
    async metrics(sp: SearchSpace, g: Genotype, call?: AccuracyCall) {
      const arch = sp.encode(g);
      const at = slot(arch, call?.epochs);
      const hit = load().get(at);
      if (hit) return { ...hit };
      const metrics = await source.metrics(sp, g, call);
      if (!load().has(at)) {
        load().set(at, metrics);
        save(arch, call?.epochs, metrics);
      }
      return metrics;
    },
    ...(source.close && { close: () => source.close!() }),
  };
}
