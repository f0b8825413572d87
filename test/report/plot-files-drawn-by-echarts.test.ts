import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readLeaderboardCsv } from '../../src/report/search-plots.ts';
import { FRONT, GREY, INFEASIBLE } from '../../src/report/palette.ts';
import { runCli, tempDir } from '../helpers/cli.ts';

/** Symbols in an ECharts server-side SVG: shapes of the chart (not the legend) tagged with a data index, placed by a transform. */
function dataMarks(svg: string, color: string): number {
  return [...svg.matchAll(/<path [^>]*transform="matrix[^>]*ecmeta_data_index="\d+"[^>]*ecmeta_ssr_type="chart"[^>]*>/g)].filter((m) => m[0].includes(`fill="${color}"`) || m[0].includes(`stroke="${color}"`)).length;
}

test('hwnas search and compare draw front-<device>.svg and hv.svg with ECharts: one mark per architecture', async () => {
  const tmp = tempDir('hwnas-plots-');
  try {
    const s = join(tmp, 's');
    let r = await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--device', 'pixel3', '--budget', '50', '--constraint', 'latencyMs<=4', '--out', s]);
    assert.equal(r.code, 0, r.err);
    for (const dev of ['fpga', 'pixel3']) {
      const svg = readFileSync(join(s, `front-${dev}.svg`), 'utf8');
      assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      const rows = readLeaderboardCsv(join(s, `leaderboard-${dev}.csv`));
      const front = rows.filter((x) => x.paretoRank === 1 && x.feasible).length;
      const infeasible = rows.filter((x) => !x.feasible).length;
      assert.equal(rows.length, 50);
      assert.equal(dataMarks(svg, GREY), rows.length - front - infeasible, `${dev}: grey marks`);
      assert.equal(dataMarks(svg, INFEASIBLE), infeasible, `${dev}: infeasible marks`);
      assert.equal(dataMarks(svg, FRONT), front, `${dev}: front marks`);
      assert.match(svg, /latencyMs&lt;=4|latencyMs<=4/);
    }
    const c = join(tmp, 'c');
    r = await runCli(['compare', '--space', 'nb201', '--device', 'fpga', '--strategies', 'random,nsga2', '--seeds', '2', '--budget', '40', '--out', c]);
    assert.equal(r.code, 0, r.err);
    const hv = readFileSync(join(c, 'hv.svg'), 'utf8');
    assert.match(hv, /^<svg /);
    assert.match(hv, /hypervolume ratio vs the exact front/);
    // A symbol per evaluation count of the median line, for each strategy.
    assert.ok([...hv.matchAll(/ecmeta_data_index="\d+" ecmeta_ssr_type="chart"/g)].length >= 2 * 40, 'median points drawn');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
