import { InputError } from '../errors.ts';
import { MAX_FIDELITY_EPOCHS } from '../limits.ts';
import { crowdingDistance } from '../pareto/crowding-distance.ts';
import { nonDominatedSort } from '../pareto/non-dominated-sort.ts';
import { constraintViolation, findMetric, objectiveValues, registerMetric, type Constraint, type Objective } from '../record/metric-registry.ts';
import type { Outcome } from '../record/outcome.ts';
import type { RungRecord, RungStore } from '../record/rung-log.ts';
import { contentHash } from '../util/content-hash.ts';
import type { BatchEvaluate, Candidate, Evaluated } from './trial-loop.ts';

/**
 * Multi-fidelity evaluation over training epochs, for accuracy sources that train
 * (`AccuracySource.fidelity === 'epochs'`: proxy-train, command:). Every candidate is trained
 * cheaply first; only those that may reach the front are trained longer. It wraps a study's batch
 * evaluation, so it works with every strategy: the strategy is told each candidate's final record.
 *
 * Rungs: epochs r_k = round(R / η^(s_max − k)) for k = 0…s_max, s_max = ⌊log_η(R / r)⌋, with
 * r = `minEpochs`, R = `maxEpochs` (Li et al. 2018, JMLR 18(185), Alg. 1: resources R·η^−i).
 *
 * Promotion (successive halving, Jamieson & Talwalkar, AISTATS 2016, made asynchronous as in ASHA,
 * Li et al., MLSys 2020, Alg. 2): a candidate finished at rung k is trained at rung k+1 when it is in
 * the top ⌊n_k / η⌋ of the n_k results at rung k so far (this batch's included), ranked as NSGA-II
 * ranks a population on the search's objectives and constraints: constrained non-dominated rank, then
 * crowding distance, then objective values, then arch string. Objectives other than accuracy (latency,
 * params, FLOPs) are measured once, at the first rung. Unlike ASHA, a candidate is promoted only while
 * its batch is evaluated (the strategy has been told its record afterwards), and every decision waits
 * for the whole batch's rung, so the same seed gives the same records whatever order results arrive in.
 *
 * `hyperband` spreads candidates over Hyperband's brackets s = s_max…0 (Li et al. 2018, Alg. 1):
 * bracket s starts at rung s_max − s and gets a share n_s = ⌈(s_max+1)/(s+1) · η^s⌉ of the candidates,
 * assigned by a hash of the seed and the arch string; each bracket promotes within its own rungs
 * (asynchronous Hyperband, Li et al. 2020 §3.2). `sh` is the single bracket s = s_max.
 *
 * A candidate's record: the accuracy source's metrics at the highest rung it reached, its first
 * rung's counts and latency, `fidelityEpochs` and `rung` (0-based) of that rung, `<metric>At<E>Epochs`
 * for every rung it trained at, `totalTrainMs` (training time summed over its rungs) and, for
 * Hyperband, `bracket`. A failed first rung is a failed record; a failed later rung keeps the rung
 * before it and says why in info `fidelityError`. Every rung result is written to the {@link RungStore}
 * the moment it is known; a resumed run reuses them and takes the same decisions.
 */

/** How a multi-fidelity evaluation spends epochs. */
export interface FidelitySettings {
  /** `sh`: every candidate starts at the lowest rung; `hyperband`: candidates spread over brackets. */
  readonly schedule: 'sh' | 'hyperband';
  /** Epochs of the lowest rung. @defaultValue 1 */
  readonly minEpochs?: number;
  /** Epochs of the highest rung. @defaultValue 9 */
  readonly maxEpochs?: number;
  /** Promotion ratio η: the top 1/η of a rung goes on, for η× the epochs. @defaultValue 3 */
  readonly eta?: number;
}

/** {@link FidelitySettings} with every default filled in. */
export type ResolvedFidelity = Required<FidelitySettings>;

export const FIDELITY_SCHEDULES = ['sh', 'hyperband'] as const;
export const DEFAULT_FIDELITY = { minEpochs: 1, maxEpochs: 9, eta: 3 } as const;

for (const m of [
  { name: 'fidelityEpochs', direction: 'max', unit: 'epochs', summary: 'training epochs of the highest multi-fidelity rung the candidate reached', min: 1 },
  { name: 'rung', direction: 'max', unit: '', summary: 'highest multi-fidelity rung the candidate reached (0 = the lowest)', min: 0 },
  { name: 'bracket', direction: 'max', unit: '', summary: 'Hyperband bracket of the candidate (s: its first rung is s_max − s)', min: 0 },
  { name: 'totalTrainMs', direction: 'min', unit: 'ms', summary: 'training wall time summed over the multi-fidelity rungs of the candidate', min: 0 },
] as const) registerMetric(m);

/** Check fidelity settings (an {@link InputError} naming the flag) and fill in the defaults. */
export function checkFidelity(f: FidelitySettings): ResolvedFidelity {
  if (!(FIDELITY_SCHEDULES as readonly string[]).includes(f.schedule)) throw new InputError('bad-flag', 'unknown multi-fidelity schedule', { path: '--fidelity', expected: `one of ${FIDELITY_SCHEDULES.join(', ')}`, actual: JSON.stringify(f.schedule) });
  const r = { ...DEFAULT_FIDELITY, ...f };
  const int = (v: number, flag: string, min: number, max: number) => {
    if (!Number.isSafeInteger(v) || v < min || v > max) throw new InputError('bad-flag', 'out of range', { path: flag, expected: `an integer in [${min}, ${max}]`, actual: String(v) });
  };
  int(r.minEpochs, '--min-epochs', 1, MAX_FIDELITY_EPOCHS);
  int(r.maxEpochs, '--max-epochs', 1, MAX_FIDELITY_EPOCHS);
  int(r.eta, '--eta', 2, 100);
  if (r.maxEpochs < r.minEpochs * r.eta) {
    throw new InputError('bad-flag', '--max-epochs leaves no rung to promote to', { path: '--max-epochs', expected: `at least --min-epochs × --eta = ${r.minEpochs * r.eta}`, actual: String(r.maxEpochs) });
  }
  return r;
}

/** Epochs of each rung, lowest first (see the module comment). */
export function rungEpochs(f: ResolvedFidelity): number[] {
  const sMax = Math.floor(Math.log(f.maxEpochs / f.minEpochs) / Math.log(f.eta) + 1e-9);
  const out: number[] = [];
  for (let k = 0; k <= sMax; k++) {
    const e = Math.max(f.minEpochs, Math.round(f.maxEpochs / f.eta ** (sMax - k)));
    if (out.at(-1) !== e) out.push(e);
  }
  return out;
}

/** A bracket: the rung its candidates start at, and its share of the candidates. */
export interface Bracket {
  /** Hyperband's s: the bracket starts at rung `rungs − 1 − s`. */
  readonly s: number;
  readonly firstRung: number;
  readonly weight: number;
}

/** The brackets of a schedule over `rungs` rungs (Li et al. 2018, Alg. 1, line 3). */
export function brackets(schedule: ResolvedFidelity['schedule'], rungs: number, eta: number): Bracket[] {
  const sMax = rungs - 1;
  if (schedule === 'sh') return [{ s: sMax, firstRung: 0, weight: 1 }];
  const out: Bracket[] = [];
  for (let s = sMax; s >= 0; s--) out.push({ s, firstRung: sMax - s, weight: Math.ceil(((sMax + 1) / (s + 1)) * eta ** s) });
  return out;
}

/** The bracket of an architecture: a seeded hash of its arch string, spread by the brackets' weights. */
export function bracketOf(arch: string, seed: number, list: readonly Bracket[]): Bracket {
  if (list.length === 1) return list[0]!;
  const total = list.reduce((a, b) => a + b.weight, 0);
  let x = (parseInt(contentHash({ fidelityBracket: arch, seed }).slice(0, 12), 16) / 2 ** 48) * total;
  for (const b of list) {
    if (x < b.weight) return b;
    x -= b.weight;
  }
  return list.at(-1)!;
}

/** `accuracyAt3Epochs`: the searched metric at one rung (a record keeps one per rung it trained at). */
export function rungMetricName(metric: string, epochs: number): string {
  return `${metric}At${epochs}Epochs`;
}

/**
 * Architectures of a rung's pool in promotion order: constrained non-dominated rank, crowding
 * distance (larger first), objective values, arch string. Entries without every objective are left out.
 */
export function promotionOrder(pool: ReadonlyMap<string, Readonly<Record<string, number>>>, objectives: readonly Objective[], constraints: readonly Constraint[]): string[] {
  const archs: string[] = [];
  const points: number[][] = [];
  const violations: number[] = [];
  for (const [arch, m] of pool) {
    try {
      points.push(objectiveValues(objectives, m));
      violations.push(constraintViolation(constraints, m));
      archs.push(arch);
    } catch {
      // a record without an objective cannot be ranked
    }
  }
  const rank = new Array<number>(archs.length).fill(0);
  const crowd = new Array<number>(archs.length).fill(0);
  nonDominatedSort(points, violations).forEach((front, f) => {
    const d = crowdingDistance(points, front);
    front.forEach((i, k) => {
      rank[i] = f;
      crowd[i] = d[k]!;
    });
  });
  return archs.map((_, i) => i).sort((a, b) => {
    if (rank[a] !== rank[b]) return rank[a]! - rank[b]!;
    if (crowd[a] !== crowd[b]) return crowd[b]! - crowd[a]!;
    for (let k = 0; k < objectives.length; k++) {
      const d = points[a]![k]! - points[b]![k]!;
      if (d !== 0) return d;
    }
    return archs[a]! < archs[b]! ? -1 : archs[a]! > archs[b]! ? 1 : 0;
  }).map((i) => archs[i]!);
}

export interface MultiFidelityOptions {
  readonly fidelity: ResolvedFidelity;
  /** The accuracy source's searched metric (`accuracy`). */
  readonly metric: string;
  readonly objectives: readonly Objective[];
  readonly constraints: readonly Constraint[];
  /** The whole evaluation (counts, accuracy, latency) of a candidate at its first rung. */
  readonly evaluate: BatchEvaluate;
  /** The accuracy source alone, for the rungs a candidate is promoted to. */
  readonly evaluateAccuracy: BatchEvaluate;
  readonly store: RungStore;
  /** Seed of the Hyperband bracket assignment. */
  readonly seed: number;
  /** One line per rung of a batch (trained, promoted). */
  readonly onNote?: (text: string) => void;
}

/** A candidate on its way up the rungs. */
interface Climb {
  readonly c: Candidate;
  readonly bracket: Bracket;
  rung: number;
  /** Results of the rungs it trained at, lowest first (the first holds the whole evaluation). */
  readonly done: RungRecord[];
  error?: string;
  resolve(e: Evaluated): void;
  reject(e: unknown): void;
}

const ok = (o: Outcome): o is Outcome & { status: 'ok' } => o.status === 'ok';

/**
 * A {@link BatchEvaluate} that runs a batch through the rungs (see the module comment): one promise
 * per candidate, settled when the candidate stops climbing, so each final record is journaled as soon
 * as it is known.
 */
export function multiFidelityEvaluate(o: MultiFidelityOptions): BatchEvaluate {
  const f = o.fidelity;
  const rungs = rungEpochs(f);
  const list = brackets(f.schedule, rungs.length, f.eta);
  const info = findMetric(o.metric);
  for (const e of rungs) {
    registerMetric({
      name: rungMetricName(o.metric, e), direction: info?.direction ?? 'max', unit: info?.unit ?? '', summary: `${o.metric} after ${e} epoch(s) of training (a multi-fidelity rung)`,
      ...(info?.min !== undefined && { min: info.min }), ...(info?.max !== undefined && { max: info.max }),
    });
  }
  // Promotion pools: per bracket and rung, the metrics of every successful result so far.
  const pools = new Map<string, Map<string, Record<string, number>>>();
  const pool = (b: Bracket, rung: number) => {
    const k = `${b.s}/${rung}`;
    let p = pools.get(k);
    if (!p) pools.set(k, (p = new Map()));
    return p;
  };
  const entryOf = new Map<string, RungRecord>();
  const addToPool = (r: RungRecord) => {
    const rung = rungs.indexOf(r.epochs);
    if (rung < 0 || !ok(r.outcome)) return;
    const b = bracketOf(r.arch, o.seed, list);
    if (rung === b.firstRung) entryOf.set(r.arch, r);
    const entry = entryOf.get(r.arch);
    if (!entry || !ok(entry.outcome)) return;
    pool(b, rung).set(r.arch, rung === b.firstRung ? r.outcome.metrics : { ...entry.outcome.metrics, ...r.outcome.metrics });
  };
  // Entry rungs first, so that a promoted rung finds its candidate's counts and latency.
  const replayed = [...o.store.replayed].sort((a, b) => a.epochs - b.epochs);
  for (const r of replayed) addToPool(r);

  const record = (c: Candidate, epochs: number, e: Evaluated): RungRecord => {
    const r: RungRecord = { arch: c.arch, genotype: [...c.genotype], epochs, outcome: e.outcome, evalMs: Math.round(e.evalMs) };
    if (e.worker !== undefined) r.worker = e.worker;
    if (e.startedAt !== undefined) r.startedAt = e.startedAt;
    if (e.finishedAt !== undefined) r.finishedAt = e.finishedAt;
    o.store.append(r);
    addToPool(r);
    return r;
  };

  /** Results of `climbs` at their current rung: from the store, or evaluated (and stored) now. */
  const rungResults = async (climbs: readonly Climb[], entry: boolean): Promise<void> => {
    const fresh: Climb[] = [];
    for (const x of climbs) {
      const known = o.store.lookup(x.c.arch, rungs[x.rung]!);
      if (known) x.done.push(known);
      else fresh.push(x);
    }
    if (fresh.length === 0) return;
    // A promoted rung trains a copy of the genotype: a backend that keys per-candidate bookkeeping by
    // genotype object keeps each rung apart.
    const batch = fresh.map((x) => ({ genotype: [...x.c.genotype], arch: x.c.arch, epochs: rungs[x.rung]! }));
    const pending = (entry ? o.evaluate : o.evaluateAccuracy)(batch);
    await Promise.all(pending.map(async (p, i) => {
      const x = fresh[i]!;
      x.done.push(record(x.c, rungs[x.rung]!, await p));
    }));
  };

  const finish = (x: Climb): void => {
    const first = x.done[0]!;
    const evalMs = x.done.reduce((a, r) => a + r.evalMs, 0);
    const workers = [...new Set(x.done.flatMap((r) => (r.worker ? r.worker.split(' ') : [])))];
    const times = x.done.flatMap((r) => [r.startedAt, r.finishedAt]).filter((t): t is string => t !== undefined).sort();
    const meta: Omit<Evaluated, 'outcome'> = {
      evalMs, ...(workers.length > 0 && { worker: workers.join(' ') }), ...(times.length > 0 && { startedAt: times[0]!, finishedAt: times.at(-1)! }),
    };
    if (!ok(first.outcome)) return x.resolve({ outcome: first.outcome, ...meta });
    const reached = x.done.filter((r) => ok(r.outcome));
    const last = reached.at(-1)!;
    const metrics: Record<string, number> = { ...first.outcome.metrics };
    let trainMs = 0;
    for (const r of reached) {
      const m = (r.outcome as Outcome & { status: 'ok' }).metrics;
      Object.assign(metrics, m);
      if (m[o.metric] !== undefined) metrics[rungMetricName(o.metric, r.epochs)] = m[o.metric]!;
      trainMs += m.trainMs ?? 0;
    }
    metrics.fidelityEpochs = last.epochs;
    metrics.rung = rungs.indexOf(last.epochs);
    metrics.totalTrainMs = trainMs;
    if (f.schedule === 'hyperband') metrics.bracket = x.bracket.s;
    const info = { ...first.outcome.info, ...(x.error !== undefined && { fidelityError: x.error }) };
    x.resolve({ outcome: Object.keys(info).length > 0 ? { status: 'ok', metrics, info } : { status: 'ok', metrics }, ...meta });
  };

  const climb = async (climbs: Climb[]): Promise<void> => {
    for (let k = 0; k < rungs.length; k++) {
      const here = climbs.filter((x) => x.rung === k);
      if (here.length === 0) continue;
      const entering = here.filter((x) => x.done.length === 0);
      const promoted = here.filter((x) => x.done.length > 0);
      await Promise.all([rungResults(entering, true), rungResults(promoted, false)]);
      let up = 0;
      const tops = new Map<Bracket, Set<string>>();
      const top = (b: Bracket): Set<string> => {
        let t = tops.get(b);
        if (!t) {
          const order = promotionOrder(pool(b, k), o.objectives, o.constraints);
          tops.set(b, (t = new Set(order.slice(0, Math.floor(order.length / f.eta)))));
        }
        return t;
      };
      for (const x of here) {
        const r = x.done.at(-1)!;
        if (!ok(r.outcome)) {
          if (x.done.length > 1) x.error = `rung ${k} (${rungs[k]} epochs) failed: ${r.outcome.error}`;
          finish(x);
          continue;
        }
        if (k === rungs.length - 1) {
          finish(x);
          continue;
        }
        if (top(x.bracket).has(x.c.arch)) {
          x.rung = k + 1;
          up++;
        } else finish(x);
      }
      o.onNote?.(`rung ${k} (${rungs[k]} epoch${rungs[k] === 1 ? '' : 's'}): ${here.length} trained${k < rungs.length - 1 ? `, ${up} promoted to ${rungs[k + 1]} epochs` : ''}`);
    }
  };

  return (batch) => {
    const climbs: Climb[] = [];
    const promises = batch.map((c) => new Promise<Evaluated>((resolve, reject) => {
      const b = bracketOf(c.arch, o.seed, list);
      climbs.push({ c, bracket: b, rung: b.firstRung, done: [], resolve, reject });
    }));
    climb(climbs).catch((e: unknown) => {
      for (const x of climbs) x.reject(e);
    });
    return promises;
  };
}
