import { InputError } from '../../errors.ts';
import { dominates } from '../../pareto/dominance.ts';
import { contentHash } from '../../util/content-hash.ts';
import { REFERENCE_POINT_VALUE } from '../../record/exact-front.ts';
import { objectiveValues } from '../../record/metric-registry.ts';
import { problemDifferences, solveProblems } from './exact-problem.ts';
import { frontHypervolumeFromFile } from './problem-score.ts';
import { studyObjectives } from './problem-metrics.ts';
import { RELEASED_SUITES, type LoadedSuite, type SuiteProblem } from './suite-file.ts';

/** One way a problem of a suite file contradicts its own exact front: the JSON path under the problem and what is wrong. */
export interface ProblemFault {
  readonly path: string;
  readonly text: string;
}

const near = (a: number, b: number, relTol = 1e-12) => a === b || Math.abs(a - b) <= relTol * Math.max(Math.abs(a), Math.abs(b));

/**
 * What can be checked of a problem from the file alone, in microseconds: the reference point is the
 * contract's ({@link REFERENCE_POINT_VALUE} per objective), the bounds are the front's worst and best
 * value of each objective, no front point dominates another or breaks a constraint on an objective,
 * and `frontHypervolume` is the (finite) hypervolume of the file's own points. Empty when it holds.
 */
export function problemFileFaults(p: SuiteProblem): ProblemFault[] {
  const out: ProblemFault[] = [];
  p.referencePoint.forEach((r, j) => {
    if (r !== REFERENCE_POINT_VALUE) out.push({ path: `/referencePoint/${j}`, text: `is ${r}; the suite contract's reference point is ${REFERENCE_POINT_VALUE} in every normalised objective` });
  });
  p.objectives.forEach((o, j) => {
    const vs = p.front.map((pt) => pt.values[j]!);
    const lo = Math.min(...vs);
    const hi = Math.max(...vs);
    const [blo, bhi] = p.bounds[j]!;
    if (!near(blo, lo) || !near(bhi, hi)) out.push({ path: `/bounds/${j}`, text: `[${blo}, ${bhi}] of ${o} are not the front's worst and best values [${lo}, ${hi}]` });
  });
  const objectives = studyObjectives(p);
  const points = p.front.map((pt) => objectiveValues(objectives, Object.fromEntries(objectives.map((o, j) => [o.metric, pt.values[j]!]))));
  for (let a = 0; a < points.length && out.length < 8; a++) {
    for (let b = 0; b < points.length; b++) {
      if (a !== b && dominates(points[a]!, points[b]!)) {
        out.push({ path: `/front/${b}`, text: `${p.front[b]!.arch} is dominated by front point ${a} (${p.front[a]!.arch}): not a Pareto front` });
        break;
      }
    }
  }
  (p.constraints ?? []).forEach((c, k) => {
    const j = p.objectives.indexOf(c.metric);
    if (j < 0) return;
    const bad = p.front.findIndex((pt) => (c.op === '<=' ? pt.values[j]! > c.value : pt.values[j]! < c.value));
    if (bad >= 0) out.push({ path: `/constraints/${k}`, text: `${c.metric}${c.op}${c.value} excludes front point ${bad} (${p.front[bad]!.arch}, ${p.front[bad]!.values[j]})` });
  });
  const hv = frontHypervolumeFromFile(p);
  if (!Number.isFinite(hv) || !near(hv, p.frontHypervolume)) out.push({ path: '/frontHypervolume', text: `${p.frontHypervolume} is not the hypervolume of the file's own front points (${hv})` });
  return out;
}

/**
 * Whether the file is a released suite as released: the same id, version and content hash. A file
 * with a released id but other content (an edited copy) is named, so it is refused.
 */
export function releasedStatus(suite: LoadedSuite): 'released' | 'edited-release' | 'own' {
  const r = RELEASED_SUITES[suite.id];
  if (!r) return 'own';
  // Hashed again: a suite object handed to the library may carry any contentHash.
  const { file: _file, contentHash: _claimed, ...content } = suite;
  return r.version === suite.version && r.contentHash === contentHash(content) ? 'released' : 'edited-release';
}

/**
 * Check a suite before anything runs on it: an edited copy under a released id is refused (it must
 * carry its own id and version); every selected problem must pass {@link problemFileFaults}; and,
 * unless the file is a released suite as released, every selected problem is solved again from the
 * tables (one enumeration per space, as `hwnas suite verify`) and must match the file exactly. Any
 * difference is an {@link InputError} naming the file and the problem's JSON path.
 */
export async function checkSuiteForRun(suite: LoadedSuite, problemIds: readonly string[]): Promise<void> {
  const status = releasedStatus(suite);
  if (status === 'edited-release') {
    const r = RELEASED_SUITES[suite.id]!;
    throw new InputError('incompatible', `"${suite.id}" is a released suite (version ${r.version}) and this file differs from it; an edited suite must carry its own id and version`, {
      file: suite.file, path: '/id', expected: `another id than ${suite.id} (the released file is content hash ${r.contentHash.slice(0, 12)})`, actual: `${JSON.stringify(suite.id)} ${suite.version}, content hash ${suite.contentHash.slice(0, 12)}`,
    });
  }
  const selected = suite.problems.map((p, i) => ({ p, i })).filter(({ p }) => problemIds.includes(p.id));
  for (const { p, i } of selected) {
    const f = problemFileFaults(p)[0];
    if (f) throw new InputError('incompatible', `problem ${p.id} contradicts its own exact front: ${f.path.slice(1).replaceAll('/', ' ')} ${f.text}`, { file: suite.file, path: `/problems/${i}${f.path}`, expected: 'the numbers `hwnas suite verify` reproduces from the tables' });
  }
  if (status === 'released') return; // its reproduction is checked by the test suite, once
  const solved = await solveProblems(selected.map(({ p }) => p)).catch((e: unknown) => {
    throw new InputError('incompatible', `the suite's problems cannot be solved again from the tables: ${(e as Error).message}`, { file: suite.file, path: '/problems' });
  });
  selected.forEach(({ p, i }, k) => {
    const d = problemDifferences(p, solved[k]!);
    if (d.length > 0) {
      throw new InputError('incompatible', `problem ${p.id} does not match its exact front recomputed from the tables: ${d[0]}${d.length > 1 ? ` (and ${d.length - 1} more)` : ''}`, { file: suite.file, path: `/problems/${i}`, expected: 'a suite whose problems reproduce exactly (`hwnas suite verify --suite FILE` lists every difference)' });
    }
  });
}
