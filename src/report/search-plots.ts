import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LeaderboardRow } from '../record/leaderboard.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { frontChart } from './front-chart.ts';
import { csvNumber, parseCsv } from './read-csv.ts';
import { readResultsDir } from './results-dir.ts';
import { optionToSvg } from './svg-render.ts';
import { truthFor } from './search-report.ts';

const ROW_FIELDS = new Set(['rank', 'arch', 'paretoRank', 'crowding', 'feasible', 'evaluation']);

/** Leaderboard rows back from `leaderboard-<device>.csv`: numeric cells become metrics, the rest info. */
export function readLeaderboardCsv(file: string): LeaderboardRow[] {
  const t = parseCsv(readFileSync(file, 'utf8'));
  const at = (name: string) => t.columns.indexOf(name);
  return t.rows.map((r) => {
    const metrics: Record<string, number> = {};
    const info: Record<string, string | number> = {};
    t.columns.forEach((c, k) => {
      if (ROW_FIELDS.has(c) || r[k] === undefined || r[k] === '') return;
      const v = csvNumber(r[k]);
      if (v !== undefined) metrics[c] = v;
      else info[c] = r[k]!;
    });
    return {
      rank: Number(r[at('rank')]), arch: r[at('arch')] ?? '', paretoRank: Number(r[at('paretoRank')]), crowding: csvNumber(r[at('crowding')]) ?? NaN,
      feasible: r[at('feasible')] !== 'false', evaluation: Number(r[at('evaluation')]), metrics, info,
    };
  });
}

/**
 * `front-<device>.svg` for every `leaderboard-<device>.csv` of a search folder: all evaluated
 * architectures in the plane of the first two objectives, the found front, infeasible points, the
 * constraints and, when the folder holds it, the exact front (ECharts, server-side SVG).
 */
export async function renderSearchPlots(dir: string): Promise<string[]> {
  const d = readResultsDir(dir);
  if (d.kind !== 'search') return [];
  const written: string[] = [];
  const seed = String(d.config.seed ?? '?');
  for (const f of readdirSync(dir).filter((x) => /^leaderboard-.+\.csv$/.test(x)).sort()) {
    const device = f.slice('leaderboard-'.length, -'.csv'.length);
    const rows = readLeaderboardCsv(join(dir, f));
    const truth = truthFor(d.truths, d.space, device, d.constraints);
    const spec = frontChart({
      id: `front-${device}`, title: `${d.space} on ${device} (${d.strategy}, seed ${seed})`, subtitle: `${rows.length} evaluated architectures`,
      rows, objectives: d.objectives, constraints: d.constraints, ...(truth && { truth: truth.front }),
    }, { interactive: false });
    const file = join(dir, `front-${device}.svg`);
    writeFileAtomic(file, await optionToSvg(spec.option, 760, 500));
    written.push(file);
  }
  return written;
}

