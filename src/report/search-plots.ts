import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJournalFile } from '../record/journal.ts';
import { buildLeaderboard } from '../record/leaderboard.ts';
import type { Constraint, Objective } from '../record/metric-registry.ts';
import { writeFrontSvg } from './front-svg.ts';

/**
 * Draw `front-<target>.svg` for every journal of a search results folder, from its files
 * (`config.json`, `journal-<target>.jsonl`). Returns the files written.
 */
export async function renderSearchPlots(dir: string): Promise<string[]> {
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { space: string; strategy: string; seed: number; objectives: Objective[]; constraints: Constraint[] };
  const written: string[] = [];
  for (const f of readdirSync(dir).filter((x) => /^journal-.+\.jsonl$/.test(x)).sort()) {
    const target = f.slice('journal-'.length, -'.jsonl'.length);
    const rows = buildLeaderboard(readJournalFile(join(dir, f)).entries, config.objectives, config.constraints);
    const file = join(dir, `front-${target}.svg`);
    writeFrontSvg(file, rows, config.objectives, `${config.space} on ${target} (${config.strategy}, seed ${config.seed})`);
    written.push(file);
  }
  return written;
}
