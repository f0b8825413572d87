/**
 * Writes the objective values of the table problems for optuna-baseline.py:
 * `{ "<problem>": [[accuracy %, latencyMs], ...] }`, one pair per genotype in mixed-radix order
 * (index = Σ g_i · 5^(5−i), first edge most significant), so Python optimises exactly what
 * compare.ts scores.
 *
 *   node --import tsx scripts/strategy-vs-optuna/export-tables.ts OUT.json [problem,problem...]
 */
import { writeFileSync } from 'node:fs';
import { nb201TableProblemById, SUITE_PROBLEM_IDS } from '../../src/search/problems/nb201-table-problem.ts';

const out = process.argv[2];
if (!out) throw new Error('usage: export-tables.ts OUT.json [problems]');
const ids = process.argv[3] ? process.argv[3].split(',') : [...SUITE_PROBLEM_IDS];
const tables: Record<string, [number, number][]> = {};
for (const id of ids) {
  const p = nb201TableProblemById(id);
  const rows: [number, number][] = [];
  for (let i = 0; i < 5 ** 6; i++) {
    const g = Array.from({ length: 6 }, (_, k) => Math.floor(i / 5 ** (5 - k)) % 5);
    const [negAcc, lat] = p.values(g);
    rows.push([-negAcc, lat]);
  }
  tables[id] = rows;
}
writeFileSync(out, JSON.stringify(tables));
