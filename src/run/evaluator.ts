import { countFlops, countParams } from '../graph/count.ts';
import type { ModelGraph } from '../graph/model-graph.ts';
import type { AccuracySource } from '../accuracy/accuracy-source.ts';
import type { LatencyItemResult, LatencyProvider } from '../latency/latency-provider.ts';
import { deviceMetric } from '../record/metric-registry.ts';
import type { Outcome } from '../record/outcome.ts';
import type { Genotype, SearchSpace } from '../space/search-space.ts';
import { errorMessage } from '../errors.ts';
import type { Candidate, Evaluated } from './trial-loop.ts';

/** Which metric groups an evaluation computes. */
export interface EvaluatorNeeds {
  /** paramCount and flops (cheap, counted on the graph). @defaultValue true */
  counts?: boolean;
  accuracy?: AccuracySource;
  /** Latency providers; one device, or several for a joint search. */
  latency?: readonly LatencyProvider[];
  /**
   * Several devices scored at once: each device's metrics and facts get the suffix `@<device>`
   * (`latencyMs@fpga`). @defaultValue false (one device, plain names)
   */
  joint?: boolean;
  /**
   * Accuracy and latency are computed elsewhere (queue workers, each of which keeps its own device to
   * one measurement at a time): a candidate's latency request neither waits for the batch's accuracy
   * work nor for other candidates' latency, so requests to several workers overlap. @defaultValue false
   */
  remote?: boolean;
}

/** One measurement at a time in this process: timing never overlaps other timing or training. */
let measuring: Promise<unknown> = Promise.resolve();
function exclusively<T>(work: () => Promise<T>): Promise<T> {
  const run = measuring.then(work, work);
  measuring = run.catch(() => undefined);
  return run;
}

/**
 * Evaluates architectures in this process: builds the graph, counts params/FLOPs, asks the accuracy
 * source and the latency providers. The only place that knows both metrics and devices. Never throws
 * for a bad candidate: failures come back as `{ status: 'failed', error }`.
 *
 * A batch scores accuracy for up to `accuracy.concurrency` candidates at once (training in worker
 * threads), and only when all of the batch's accuracy work is done measures the batch's latency,
 * its candidates together in interleaved rounds (`LatencyProvider.latencyBatch`), one batch at a
 * time in this process, so a timed model never shares the cores with training or other timing.
 * Latency looked up in a table or LUT does not wait: such a candidate is finished as soon as its
 * accuracy is.
 */
export class Evaluator {
  private readonly providers: readonly LatencyProvider[];

  constructor(readonly space: SearchSpace, private readonly needs: EvaluatorNeeds) {
    this.providers = needs.latency ?? [];
    if (this.providers.length > 1 && !needs.joint) throw new Error('Evaluator: several latency providers need joint: true');
  }

  /** Metrics every successful outcome carries. */
  metricNames(): string[] {
    const names = new Set<string>();
    if (this.needs.counts !== false) names.add('paramCount').add('flops');
    for (const m of this.needs.accuracy?.metricNames ?? []) names.add(m);
    for (const p of this.providers) for (const m of p.metricNames) names.add(this.needs.joint ? deviceMetric(m, p.deviceId) : m);
    return [...names];
  }

  /** Evaluate one architecture. */
  async evaluate(g: Genotype): Promise<Outcome> {
    return (await this.evaluateBatch([{ genotype: g, arch: '' }])[0]!).outcome;
  }

  /** Evaluate a batch; one promise per candidate, in order. */
  evaluateBatch(batch: readonly Candidate[]): Promise<Evaluated>[] {
    const started = batch.map(() => ({ at: new Date().toISOString(), busyMs: 0 }));
    // A graph is built only when something uses it: table lookups (tables, benchmark accuracy) do not.
    const needsGraph = this.needs.counts !== false || this.providers.some((p) => p.kind !== 'table');
    const built = batch.map((c) => (needsGraph ? this.build(c.genotype) : { outcome: { status: 'ok', metrics: {} } as Outcome }));
    const accuracy = this.accuracyPhase(batch, built, started);
    const remote = this.needs.remote ?? false;
    // In this process the batch's measured latency is timed together, after all of its accuracy work
    // (never while training runs), one batch at a time in this process. Table and LUT lookups do not
    // wait: each candidate is done the moment its accuracy is.
    const timed = !remote && this.providers.some((p) => p.kind === 'measured');
    const measured = !timed ? undefined : Promise.all(accuracy).then((partials) => exclusively(async () => {
      const t = performance.now();
      const outcomes = await this.latencyPhaseBatch(batch.map((c) => c.genotype), built.map((b) => b.graph), partials);
      const ok = partials.filter((p) => p.status === 'ok').length;
      partials.forEach((p, i) => {
        if (p.status === 'ok') started[i]!.busyMs += (performance.now() - t) / ok;
      });
      return outcomes;
    }));
    return batch.map(async (c, i) => {
      const partial = await accuracy[i]!;
      let outcome = partial;
      if (measured) outcome = (await measured)[i]!;
      else if (outcome.status === 'ok' && this.providers.length > 0) {
        const t = performance.now();
        try {
          outcome = await this.latencyPhase(c.genotype, built[i]!.graph, partial as Outcome & { status: 'ok' });
        } finally {
          started[i]!.busyMs += performance.now() - t;
        }
      }
      if (outcome.status === 'ok') {
        for (const [k, v] of Object.entries(outcome.metrics)) {
          if (!Number.isFinite(v)) outcome = { status: 'failed', error: `metric ${k} is ${v}` };
        }
      }
      return { outcome, evalMs: started[i]!.busyMs, startedAt: started[i]!.at, finishedAt: new Date().toISOString() };
    });
  }

  private build(g: Genotype): { graph?: ModelGraph | undefined; outcome: Outcome } {
    let graph: ModelGraph;
    try {
      graph = this.space.build(g);
    } catch (e) {
      return { outcome: { status: 'failed', error: `build: ${errorMessage(e)}` } };
    }
    const metrics: Record<string, number> = {};
    if (this.needs.counts !== false) {
      metrics.paramCount = countParams(graph);
      metrics.flops = countFlops(graph);
    }
    return { graph, outcome: { status: 'ok', metrics } };
  }

  private accuracyPhase(batch: readonly Candidate[], built: readonly { outcome: Outcome }[], started: { busyMs: number }[]): Promise<Outcome>[] {
    const source = this.needs.accuracy;
    if (!source) return built.map((b) => Promise.resolve(b.outcome));
    const limit = Math.max(1, source.concurrency ?? 1);
    let active = 0;
    const waiting: (() => void)[] = [];
    const slot = async <T>(work: () => Promise<T>): Promise<T> => {
      if (active >= limit) await new Promise<void>((r) => waiting.push(r));
      active++;
      try {
        return await work();
      } finally {
        active--;
        waiting.shift()?.();
      }
    };
    return batch.map((c, i) => {
      const b = built[i]!.outcome;
      if (b.status !== 'ok') return Promise.resolve(b);
      return slot(async () => {
        const t = performance.now();
        try {
          const m = await source.metrics(this.space, c.genotype, c.epochs !== undefined ? { epochs: c.epochs } : undefined);
          return { status: 'ok', metrics: { ...b.metrics, ...m } } as Outcome;
        } catch (e) {
          return { status: 'failed', error: `accuracy (${source.id}): ${errorMessage(e)}` } as Outcome;
        } finally {
          started[i]!.busyMs += performance.now() - t;
        }
      });
    });
  }

  private async latencyPhase(g: Genotype, graph: ModelGraph | undefined, partial: Outcome & { status: 'ok' }): Promise<Outcome> {
    return (await this.latencyPhaseBatch([g], [graph], [partial]))[0]!;
  }

  /**
   * Latency of a batch on every provider: a provider with `latencyBatch` measures the batch's
   * candidates together (interleaved rounds), others are asked one candidate at a time. A candidate
   * whose latency fails on any device fails; the others keep theirs.
   */
  private async latencyPhaseBatch(gs: readonly Genotype[], graphs: readonly (ModelGraph | undefined)[], partials: readonly Outcome[]): Promise<Outcome[]> {
    const out: Outcome[] = partials.map((p) => (p.status === 'ok' ? { status: 'ok', metrics: { ...p.metrics }, ...(p.info && { info: { ...p.info } }) } : p));
    const name = (k: string, p: LatencyProvider) => (this.needs.joint ? deviceMetric(k, p.deviceId) : k);
    for (const p of this.providers) {
      const live = out.flatMap((o, i) => (o.status === 'ok' ? [i] : []));
      if (live.length === 0) break;
      let results: LatencyItemResult[];
      if (p.latencyBatch) results = await p.latencyBatch(this.space, live.map((i) => ({ genotype: gs[i]!, graph: graphs[i] })));
      else {
        results = [];
        for (const i of live) {
          try {
            results.push({ ok: await p.latency(this.space, gs[i]!, graphs[i]) });
          } catch (e) {
            results.push({ error: errorMessage(e) });
          }
        }
      }
      live.forEach((i, k) => {
        const r = results[k];
        const o = out[i] as Outcome & { status: 'ok' };
        if (!r || 'error' in r) {
          out[i] = { status: 'failed', error: `latency (${p.deviceId}): ${r ? r.error : 'no result'}` };
          return;
        }
        for (const [key, v] of Object.entries(r.ok.metrics)) o.metrics[name(key, p)] = v;
        if (Object.keys(r.ok.info).length > 0) o.info ??= {};
        for (const [key, v] of Object.entries(r.ok.info)) o.info![name(key, p)] = v;
      });
    }
    return out;
  }
}
