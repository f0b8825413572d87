import { friedmanTest, holmAdjust, midRanks, nemenyiCriticalDifference, quartiles, signedRankTest } from '../../util/stats.ts';

/** One row of `suite-results.csv` (a contract: these columns, in this order). */
export interface SuiteResultRow {
  readonly problem: string;
  readonly strategy: string;
  readonly seed: number;
  readonly evaluations: number;
  readonly hvRatio: number;
  readonly igdPlus: number;
}

/** Column header of `suite-results.csv`. */
export const SUITE_RESULT_COLUMNS = ['problem', 'strategy', 'seed', 'evaluations', 'hvRatio', 'igdPlus'] as const;

/** One row of `summary-problems.csv`: a strategy on a problem, over its seeds, at the budget. */
export interface ProblemSummaryRow {
  readonly problem: string;
  readonly strategy: string;
  readonly runs: number;
  readonly medianHvRatio: number;
  readonly q1HvRatio: number;
  readonly q3HvRatio: number;
  readonly iqrHvRatio: number;
  readonly medianIgdPlus: number;
  /** Rank of the strategy on this problem by median HV ratio (1 = best, mid-ranks on ties). */
  readonly rank: number;
}

/** One row of `summary-posthoc.csv`: a pair of strategies compared over the problems. */
export interface PosthocRow {
  readonly strategyA: string;
  readonly strategyB: string;
  /** Problems where the two medians differ (the signed-rank test's n). */
  readonly n: number;
  /** Signed-rank statistic V: sum of the ranks of the problems where A's median is higher. */
  readonly v: number;
  /** Two-sided p of the Wilcoxon signed-rank test. */
  readonly p: number;
  /** p after Holm's correction over all pairs. */
  readonly pHolm: number;
  /** pHolm < alpha. */
  readonly significant: boolean;
  /** The strategy with the larger signed-rank sum (higher medians), or '' when V is exactly n(n+1)/4. */
  readonly better: string;
}

/** The data of a critical-difference diagram (Demšar 2006, Fig. 1). */
export interface CriticalDifferenceData {
  readonly alpha: number;
  /** Problems (n) and strategies (k). */
  readonly n: number;
  readonly k: number;
  readonly qAlpha: number;
  /** Nemenyi critical difference of average ranks. */
  readonly cd: number;
  /** Strategies by average rank, best first. */
  readonly ranks: readonly { readonly strategy: string; readonly averageRank: number }[];
  /** Maximal groups of strategies whose average ranks differ by less than the CD (not significantly different). */
  readonly cliques: readonly (readonly string[])[];
}

/** Everything the summary files hold. */
export interface SuiteSummary {
  readonly alpha: number;
  readonly problems: readonly string[];
  readonly strategies: readonly string[];
  /** The evaluations the summary is taken at (each run's last scored row, normally the budget). */
  readonly budget: number;
  readonly perProblem: readonly ProblemSummaryRow[];
  /** Average rank over problems, in strategy order. */
  readonly averageRanks: readonly { readonly strategy: string; readonly averageRank: number }[];
  /** Friedman test over problems × strategies on the per-problem median HV ratios; null with one strategy. */
  readonly friedman: { readonly chiSquared: number; readonly df: number; readonly p: number; readonly n: number; readonly k: number } | null;
  readonly posthoc: readonly PosthocRow[];
  readonly criticalDifference: CriticalDifferenceData | null;
}

/**
 * Summarise a suite run (Demšar 2006, "Statistical Comparisons of Classifiers over Multiple Data
 * Sets", JMLR 7): each run's final row (its last checkpoint) per problem × strategy gives the median,
 * quartiles and IQR of the HV ratio over seeds and the median IGD+; strategies are ranked on each
 * problem by median HV ratio (1 = best), ranks are averaged over problems, and the Friedman test asks
 * whether the strategies differ at all. Post-hoc, every pair is compared by the two-sided Wilcoxon
 * signed-rank test over the problems (paired by problem, on the median HV ratios) with Holm's
 * correction; the critical-difference diagram uses the Nemenyi CD at `alpha`.
 */
export function summarizeSuite(rows: readonly SuiteResultRow[], problems: readonly string[], strategies: readonly string[], alpha = 0.05): SuiteSummary {
  const final = new Map<string, SuiteResultRow>();
  for (const r of rows) {
    const key = `${r.problem}\u0000${r.strategy}\u0000${r.seed}`;
    const prev = final.get(key);
    if (!prev || r.evaluations > prev.evaluations) final.set(key, r);
  }
  const finals = [...final.values()];
  const budget = finals.reduce((m, r) => Math.max(m, r.evaluations), 0);
  const medians: number[][] = [];
  const perProblem: ProblemSummaryRow[] = [];
  for (const problem of problems) {
    const cells = strategies.map((strategy) => {
      const mine = finals.filter((r) => r.problem === problem && r.strategy === strategy);
      const hv = quartiles(mine.map((r) => r.hvRatio));
      return { strategy, runs: mine.length, hv, igd: quartiles(mine.map((r) => r.igdPlus)).median };
    });
    const row = cells.map((c) => c.hv.median);
    if (row.some((v) => Number.isNaN(v))) throw new Error(`problem ${problem}: a strategy has no runs to summarise`);
    medians.push(row);
    const ranks = midRanks(row, 'highest').ranks;
    cells.forEach((c, j) => perProblem.push({
      problem, strategy: c.strategy, runs: c.runs,
      medianHvRatio: c.hv.median, q1HvRatio: c.hv.q1, q3HvRatio: c.hv.q3, iqrHvRatio: c.hv.iqr, medianIgdPlus: c.igd, rank: ranks[j]!,
    }));
  }
  const k = strategies.length;
  const n = problems.length;
  const averageRanks = strategies.map((strategy) => ({ strategy, averageRank: perProblem.filter((r) => r.strategy === strategy).reduce((s, r) => s + r.rank, 0) / n }));
  if (k < 2 || n < 1) return { alpha, problems, strategies, budget, perProblem, averageRanks, friedman: null, posthoc: [], criticalDifference: null };

  const f = friedmanTest(medians, { best: 'highest' });
  const pairs: { a: number; b: number; n: number; v: number; p: number; z: number }[] = [];
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const t = signedRankTest(medians.map((r) => r[a]!), medians.map((r) => r[b]!));
      pairs.push({ a, b, n: t.n, v: t.v, p: t.p, z: t.z });
    }
  }
  const adjusted = holmAdjust(pairs.map((p) => p.p));
  const posthoc = pairs.map((p, i): PosthocRow => ({
    strategyA: strategies[p.a]!, strategyB: strategies[p.b]!, n: p.n, v: p.v, p: p.p, pHolm: adjusted[i]!, significant: adjusted[i]! < alpha,
    better: p.v * 4 > p.n * (p.n + 1) ? strategies[p.a]! : p.v * 4 < p.n * (p.n + 1) ? strategies[p.b]! : '',
  }));
  const cd = nemenyiCriticalDifference(k, n, alpha);
  const sorted = averageRanks.slice().sort((x, y) => x.averageRank - y.averageRank || strategies.indexOf(x.strategy) - strategies.indexOf(y.strategy));
  const cliques: string[][] = [];
  let lastEnd = 0;
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1]!.averageRank - sorted[i]!.averageRank < cd.cd) j++;
    if (j > i && j > lastEnd) {
      cliques.push(sorted.slice(i, j + 1).map((s) => s.strategy));
      lastEnd = j;
    }
  }
  return {
    alpha, problems, strategies, budget, perProblem, averageRanks,
    friedman: { chiSquared: f.chiSquared, df: f.df, p: f.p, n, k },
    posthoc,
    criticalDifference: { alpha, n, k, qAlpha: cd.qAlpha, cd: cd.cd, ranks: sorted, cliques },
  };
}
