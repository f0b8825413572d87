import { bestSoFarCurve, evaluationGrid, qualityCurve, truthNormalisation, type Normalisation } from './quality-curve.ts';
import type { CurveSet } from './quality-chart.ts';
import type { CompareDir } from './results-dir.ts';
import type { TruthData } from './truth-file.ts';

/** Anytime curves of a comparison, per strategy and seed. */
export interface CompareCurves {
  mode: 'multi' | 'single';
  normalisation: Normalisation | undefined;
  /** Multi-objective: HV ratio and IGD+; single: test accuracy of the best-by-validation architecture (and that validation accuracy). */
  hvRatio: CurveSet[];
  igdPlus: CurveSet[];
  testAccuracy: CurveSet[];
  bestValidAccuracy: CurveSet[];
}

/**
 * Score every run of a comparison from its journal, on the grid `hwnas compare` uses (about 100
 * evenly spaced counts and the checkpoints): against the exact front (multi-objective) or by the best
 * validation accuracy so far (single). At the checkpoints these equal hv.csv / best.csv.
 */
export function compareCurves(c: CompareDir, truth: TruthData | undefined): CompareCurves {
  const budget = Number(c.config.budget);
  const checkpoints = Array.isArray(c.config.checkpoints) ? (c.config.checkpoints as number[]) : [];
  const norm = truth && c.mode === 'multi' ? truthNormalisation(truth) : undefined;
  const out: CompareCurves = { mode: c.mode, normalisation: norm, hvRatio: [], igdPlus: [], testAccuracy: [], bestValidAccuracy: [] };
  for (const strategy of c.strategies) {
    const runs = c.runs.filter((r) => r.strategy === strategy);
    const hv: (readonly [number, number])[][] = [];
    const igd: (readonly [number, number])[][] = [];
    const test: (readonly [number, number])[][] = [];
    const valid: (readonly [number, number])[][] = [];
    for (const run of runs) {
      const recs = run.journal.records;
      const grid = evaluationGrid(recs.length, Number.isFinite(budget) ? budget : recs.length, checkpoints);
      if (c.mode === 'multi' && norm) {
        const q = qualityCurve(recs, norm, grid);
        hv.push(q.map((p) => [p.evaluations, p.hvRatio] as const));
        igd.push(q.map((p) => [p.evaluations, p.igdPlus] as const));
      } else if (c.mode === 'single') {
        const q = bestSoFarCurve(recs, grid);
        test.push(q.map((p) => [p.evaluations, p.testAccuracy] as const));
        valid.push(q.map((p) => [p.evaluations, p.bestValidAccuracy] as const));
      }
    }
    if (hv.length) out.hvRatio.push({ label: strategy, runs: hv });
    if (igd.length) out.igdPlus.push({ label: strategy, runs: igd });
    if (test.length) out.testAccuracy.push({ label: strategy, runs: test });
    if (valid.length) out.bestValidAccuracy.push({ label: strategy, runs: valid });
  }
  return out;
}
